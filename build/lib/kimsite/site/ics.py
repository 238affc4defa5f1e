"""iCalendar (.ics) files of a KIM's or the regency's agenda: the only importer of icalendar.

Deterministic: DTSTAMP is the build date (midnight UTC), never "now"; UIDs are made from
the site's host and the event's file, so a phone that imported a calendar updates the
same events on the next import. Times carry TZID (Asia/Jakarta, …) with its VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event

PRODID = "-//kimsite//Agenda KIM//ID"


@dataclass(frozen=True)
class CalendarSpec:
    name: str
    description: str
    url: str  # the agenda page the calendar belongs to
    timezone: str  # IANA name
    stamp: datetime  # DTSTAMP of every event: derived from the build date


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    start: datetime  # aware
    end: datetime
    all_day: bool
    place: str
    description: str
    url: str


def event_uid(site_url: str, slug: str) -> str:
    """Stable across builds and themes: 'agenda-<path>-<slug>@<host>'."""
    parts = urlsplit(site_url)
    path = "-".join(p for p in parts.path.split("/") if p)
    return f"agenda-{path + '-' if path else ''}{slug}@{parts.hostname or 'localhost'}"


def _event(item: CalendarEvent, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("summary", item.title)
    if item.all_day:
        event.add("dtstart", item.start.date())
        event.add("dtend", item.end.date())
    else:
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
    event.add("location", item.place)
    if item.description:
        event.add("description", item.description)
    event.add("url", item.url)
    return event


def render_calendar(spec: CalendarSpec, events: Iterable[CalendarEvent]) -> bytes:
    """One VCALENDAR with a VEVENT per event, sorted by start then UID."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", spec.name)
    calendar.add("x-wr-calname", spec.name)
    calendar.add("x-wr-caldesc", spec.description)
    calendar.add("x-wr-timezone", spec.timezone)
    calendar.add("url", spec.url)
    for item in sorted(events, key=lambda e: (e.start, e.uid)):
        calendar.add_component(_event(item, spec.stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
