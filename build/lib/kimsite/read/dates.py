"""Dates as Indonesians write them, read in the regency's timezone.

ISO (`2025-03-14 09:30`), day first with slashes or dashes (`14/03/2025`, `14-03-2025`),
month names in Indonesian or English, full or short (`14 Maret 2025`, `14 Mar 2025`),
with an optional weekday, time and zone (`Senin, 14 Maret 2025 09.30 WIB`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "agst": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "december": 12, "des": 12, "dec": 12,
}
ZONES = {"wib": 7, "wita": 8, "wit": 9}
_WEEKDAY = re.compile(r"^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday"
                      r"|thursday|friday|saturday|sunday|sen|sel|rab|kam|jum|sab|min|mon|tue|wed|thu|fri|sat|sun)"
                      r"\.?,?\s+", re.I)
_TIME = r"(?:[ T,]+(?:pukul|pkl\.?|jam)?\s*(?P<h>\d{1,2})[.:](?P<mi>\d{2})(?:[.:](?P<s>\d{2}))?)?"
_ZONE = r"(?:\s*(?P<zone>WIB|WITA|WIT))?"
_NUMERIC = re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})" + _TIME + _ZONE + r"$", re.I)
_NAMED = re.compile(r"^(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]+)\.?,?\s+(?P<y>\d{4})" + _TIME + _ZONE + r"$", re.I)
_ISO = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d")


def _from_parts(match: re.Match[str], month: int, tz: ZoneInfo) -> datetime | None:
    try:
        day = date(int(match["y"]), month, int(match["d"]))
        clock = time(int(match["h"] or 0), int(match["mi"] or 0), int(match["s"] or 0))
    except ValueError:
        return None
    if match["zone"]:
        fixed = timezone(timedelta(hours=ZONES[match["zone"].lower()]))
        return datetime.combine(day, clock, fixed).astimezone(tz)
    return datetime.combine(day, clock, tz)


def _from_text(text: str, tz: ZoneInfo) -> datetime | None:
    text = _WEEKDAY.sub("", " ".join(text.split()))
    numeric = _NUMERIC.match(text)
    if numeric:
        return _from_parts(numeric, int(numeric["m"]), tz)
    named = _NAMED.match(text)
    if named and named["mon"].lower() in MONTHS:
        return _from_parts(named, MONTHS[named["mon"].lower()], tz)
    for pattern in _ISO:
        try:
            return datetime.strptime(text.replace("T", " "), pattern).replace(tzinfo=tz)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(tz) if parsed.tzinfo else parsed.replace(tzinfo=tz)


def parse_date(value: Any, tz: ZoneInfo) -> datetime | None:  # noqa: ANN401 - whatever YAML or TOML gave
    """A front-matter date in the site's timezone; None when it cannot be read."""
    if isinstance(value, datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tz)
    if not isinstance(value, str):
        return None
    return _from_text(value.strip(), tz)
