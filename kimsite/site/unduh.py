"""What a KIM site's and the hub's downloads share: `unduh/kabar-<name>.html` (the offline
pack) and `unduh/buletin-<name>.pdf` (the weekly bulletin); their weeks, stamps and reuse.

Both are functions of what they show: the pack says how current it is by the newest news it
holds and the bulletin by its week, never by the clock, so an unchanged pack or bulletin
keeps its bytes. Within a site build, one whose spec is the same as at the last build is
copied from the last output instead of being made again (`.kimsite-cache/unduh/<kim>.json`).
The hub reads the photos it needs from `<kim>/.kimsite-unduh/` (never published): the pack
and print copies this build made, so a hub build (or a merge) never decodes a photo.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kimsite import cachefile
from kimsite.models import SiteJob
from kimsite.read import inputs
from kimsite.site import i18n

HIDDEN = ".kimsite-unduh"  # in a site's output: the pack and print copies of its photos, for the hub
PHOTO_INDEX = "photos"  # JSON; no suffix, so no compressed twins are made of it
BULLETIN_POSTS = 8
FALLBACK_POSTS = 5  # a week without news: the bulletin shows the latest posts instead
DEFAULT_COLOUR = "#1d5e8c"  # the theme's accent
PACK_LABELS = {
    "id": {"news": "Berita terbaru", "agenda": "Agenda", "products": "Produk UMKM", "contacts": "Kontak",
           "online": "Baca di situs", "order": "Pesan via WhatsApp", "no_posts": "Belum ada berita.",
           "stamp": "Dibuat dari kabar hingga", "open": "Buka situs", "week": "Pekan"},
    "en": {"news": "Latest news", "agenda": "Agenda", "products": "Products", "contacts": "Contacts",
           "online": "Read on the site", "order": "Order via WhatsApp", "no_posts": "No news yet.",
           "stamp": "Made from the news up to", "open": "Open the site", "week": "Week of"},
}


def pack_path(slug: str) -> str:
    return f"unduh/kabar-{slug}.html"


def bulletin_path(slug: str) -> str:
    return f"unduh/buletin-{slug}.pdf"


def week_of(today: date) -> tuple[date, date]:
    """Monday to Sunday around `today`: the bulletin's week (a notice board's week)."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def week_label(today: date, language: str) -> str:
    monday, sunday = week_of(today)
    return f"{PACK_LABELS[language]['week']} {i18n.day_month_year(monday, language)} – " \
           f"{i18n.day_month_year(sunday, language)}"


def next_week(now: datetime) -> datetime:
    """The next Monday, 00:00 in the build's timezone: the bulletin's week turns."""
    return datetime.combine(week_of(now.date())[1] + timedelta(days=1), time(0), now.tzinfo)


def in_week(dates: list[datetime], today: date) -> list[int]:
    """Indexes of the dates inside today's week, up to today."""
    monday, _sunday = week_of(today)
    return [i for i, d in enumerate(dates) if monday <= d.date() <= today]


def stamp(dates: list[datetime], language: str) -> str:
    """'Dibuat dari kabar hingga 21 November 2026': how current it is, from what it shows."""
    if not dates:
        return PACK_LABELS[language]["no_posts"]
    return f"{PACK_LABELS[language]['stamp']} {i18n.day_month_year(max(dates), language)}"


NO_NEWS = datetime(2000, 1, 1, tzinfo=UTC)  # the creation date of a bulletin without any news


def made_at(dates: list[datetime], today: date, timezone: Any, this_week: bool) -> datetime:  # noqa: ANN401
    """The bulletin's creation date (aware: fpdf2 would take a naive one in the machine's zone):
    the newest news it shows, or the Monday of a week that has news."""
    monday = [datetime.combine(week_of(today)[0], time(0), timezone)] if this_week else []
    return max([*monday, *dates], default=NO_NEWS)


def week_due(dates: list[datetime], now: datetime) -> datetime | None:
    """When the bulletin changes with no new input: at the week's turn, if it shows this week's
    news (a bulletin of the latest news, in a week without any, stays as it is)."""
    return next_week(now) if in_week(dates, now.date()) else None


def spec_key(spec: object) -> str:
    return cachefile.digest((spec, inputs.code_version()))


@dataclass
class Made:
    """The downloads of one build: their keys (to reuse them next time) and sizes."""

    keys: dict[str, str]
    sizes: dict[str, int]
    dropped: int = 0  # posts whose photo the pack left out to stay under its limit


def make_file(rel: str, spec: object, render: Any, job: SiteJob, staging: Path, made: Made,  # noqa: ANN401
              last: dict[str, Any]) -> None:
    """Write `rel` from `spec`: copied from the last output when made from the same spec."""
    key = spec_key(spec)
    previous = job.output_dir / rel
    target = staging / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if last.get("keys", {}).get(rel) == key and previous.is_file():
        _keep(previous, target)
        made.dropped = max(made.dropped, int(last.get("dropped", 0))) if rel.endswith(".html") else made.dropped
    else:
        target.write_bytes(render(spec))
    made.keys[rel] = key
    made.sizes[rel] = target.stat().st_size


def _keep(previous: Path, target: Path) -> None:
    """The last build's file, linked (the same file, not written again: nothing in the build
    writes to a download after it is made, compress.minify_tree skips them) or copied."""
    try:
        os.link(previous, target)
    except OSError:  # another file system, or no hard links
        shutil.copyfile(previous, target)


RECORD = "made"  # JSON; in the hidden folder: swapped in with the output, so it never names a file not there


def load_record(site: Path) -> dict[str, Any]:
    try:
        found = json.loads((site / HIDDEN / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def save_record(site: Path, made: Made) -> None:
    (site / HIDDEN).mkdir(parents=True, exist_ok=True)
    (site / HIDDEN / RECORD).write_text(json.dumps({"keys": made.keys, "dropped": made.dropped}, sort_keys=True),
                                        encoding="utf-8")


def photo_stem(output_path: str) -> str:
    """'foto/panen-1a2b.jpg' → 'panen-1a2b': a photo's name in the hidden folder."""
    return output_path.rsplit("/", 1)[-1].removesuffix(".jpg")


