"""Activity of each KIM for Diskominfo: posts per month, SK status and a cluster (pure).

The clusters follow the four groups Diskominfo Kota Malang uses; the rule, with its
thresholds from `activity:` in sites.yaml (see docs/activity.md):

1. SK valid (or expiring) and publishing regularly: at least `regular_min_posts`
   posts in the last `regular_days` days.
2. Publishing, but the organisation is not in order: posts within the last
   `publishing_days` days, yet either not regularly or without a valid SK.
3. SK valid (or expiring) but not publishing: no post within `publishing_days`.
4. SK expired or missing and nothing published within `publishing_days`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kimsite.hub.data import HubPost
from kimsite.models import ActivityRules, Kim, Profile

SK_VALID, SK_EXPIRING, SK_EXPIRED, SK_MISSING = "valid", "expiring", "expired", "missing"


@dataclass(frozen=True)
class KimActivity:
    kim: Kim
    monthly: tuple[int, ...]  # posts in each of the last 12 months, oldest first
    total: int
    last_post: date | None
    days_since_post: int | None
    recent_posts: int  # within rules.regular_days
    sk_status: str
    sk_valid_until: date | None
    cluster: int
    inactive: bool  # no post within rules.inactive_days


def last_months(today: date, count: int = 12) -> list[tuple[int, int]]:
    """(year, month) of the `count` months ending with today's, oldest first."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def sk_status(profile: Profile, today: date, rules: ActivityRules) -> str:
    if profile.sk is None or profile.sk.valid_until is None:
        return SK_MISSING if profile.sk is None else SK_VALID  # an SK without end date stays valid
    if profile.sk.valid_until < today:
        return SK_EXPIRED
    if profile.sk.valid_until <= today + timedelta(days=rules.sk_expiring_days):
        return SK_EXPIRING
    return SK_VALID


def cluster(sk: str, recent_posts: int, days_since_post: int | None, rules: ActivityRules) -> int:
    sk_in_order = sk in (SK_VALID, SK_EXPIRING)
    publishing = days_since_post is not None and days_since_post <= rules.publishing_days
    regular = recent_posts >= rules.regular_min_posts
    if sk_in_order and regular:
        return 1
    if publishing:
        return 2
    return 3 if sk_in_order else 4


def kim_activity(kim: Kim, profile: Profile, posts: Sequence[HubPost], today: date,
                 rules: ActivityRules) -> KimActivity:
    months = last_months(today)
    dates = [p.date.date() for p in posts if p.date.date() <= today]
    monthly = tuple(sum(1 for d in dates if (d.year, d.month) == ym) for ym in months)
    last = max(dates, default=None)
    days_since = (today - last).days if last else None
    recent = sum(1 for d in dates if (today - d).days <= rules.regular_days)
    status = sk_status(profile, today, rules)
    return KimActivity(kim, monthly, len(dates), last, days_since, recent, status,
                       profile.sk.valid_until if profile.sk else None,
                       cluster(status, recent, days_since, rules),
                       inactive=days_since is None or days_since > rules.inactive_days)


def activity_rows(items: Sequence[KimActivity], months: Sequence[tuple[int, int]]) -> list[dict[str, object]]:
    """One flat row per KIM, for CSV and JSON (column names stable: spreadsheets use them)."""
    rows = []
    for item in items:
        row: dict[str, object] = {
            "slug": item.kim.slug, "name": item.kim.name, "village_code": item.kim.village_code,
            "village": item.kim.village, "district": item.kim.district, "url": item.kim.url,
            "posts_total": item.total, "last_post": item.last_post.isoformat() if item.last_post else "",
            "days_since_post": "" if item.days_since_post is None else item.days_since_post,
            "sk_status": item.sk_status,
            "sk_valid_until": item.sk_valid_until.isoformat() if item.sk_valid_until else "",
            "cluster": item.cluster,
        }
        row.update({f"posts_{y:04d}_{m:02d}": n for (y, m), n in zip(months, item.monthly, strict=True)})
        rows.append(row)
    return rows
