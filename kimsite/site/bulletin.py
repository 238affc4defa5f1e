"""The printable weekly bulletin (A4, one or two pages): what it shows. The drawing is
`site.bulletin_pdf`, the only importer of fpdf2, imported when a bulletin is drawn: fpdf2
takes a third of a second to import, and a build that draws none (one post: the hub's
bulletins run through yesterday) does not pay it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

MAX_ITEMS = 8  # headlines: more than two A4 pages hold are left to the site
MAX_SUMMARY = 320  # characters of a summary on paper
PHOTO_W, PHOTO_H = 44.0, 29.0  # mm: a 3:2 crop box; the photo keeps its ratio inside it
QR_SIZE = 24.0  # mm: phones read it from an arm's length
MARGIN = 14.0
AGENDA_ROOM = 36.0  # mm kept free on the last page for the agenda's heading and first events
LABELS = {
    "id": {"week": "Berita pekan ini", "latest": "Berita terbaru", "agenda": "Agenda", "fact": "Cek fakta",
           "scan": "Pindai untuk membaca", "site": "Situs kami", "more": "Berita lain dan selengkapnya di",
           "page": "Halaman", "of": "dari", "none": "Belum ada agenda."},
    "en": {"week": "This week's news", "latest": "Latest news", "agenda": "Agenda", "fact": "Fact check",
           "scan": "Scan to read", "site": "Our site", "more": "More news, in full, at",
           "page": "Page", "of": "of", "none": "No events yet."},
}


@dataclass(frozen=True)
class BulletinItem:
    title: str
    meta: str  # who and when: "KIM Glagah Lestari · 20 November 2026"
    summary: str
    url: str
    photo: Path | None = None  # a JPEG made by the photo pipeline (no metadata)
    verdict: str | None = None  # a cek-fakta post's verdict


@dataclass(frozen=True)
class BulletinEvent:
    title: str
    when: str
    place: str


@dataclass(frozen=True)
class FactBox:
    verdict: str
    claim: str
    title: str
    url: str


@dataclass(frozen=True)
class BulletinSpec:
    title: str  # "Buletin KIM Glagah Lestari"
    place: str  # "Kalurahan Glagah, Kapanewon Temon, Kabupaten Kulon Progo"
    week: str  # "Pekan 16 November 2026 – 22 November 2026"; "" for a bulletin of the latest news
    made: str  # "Dibuat 22 November 2026"
    site_url: str
    colour: str  # "#1d6b4f"
    language: str
    made_at: datetime  # the PDF's creation date: the build date, never the clock
    items: tuple[BulletinItem, ...]
    events: tuple[BulletinEvent, ...] = ()
    fact_check: FactBox | None = None
    this_week: bool = True  # False: the week had no news, `items` are the latest posts


def printable(text: str) -> str:
    """Text the core fonts can show: Windows-1252 as it is, anything else by its plain letters."""
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _shorten(text: str, limit: int = MAX_SUMMARY) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def render_bulletin(spec: BulletinSpec) -> bytes:
    """The bulletin's PDF bytes (pure but for reading the photos named in the items)."""
    from kimsite.site import bulletin_pdf

    return bulletin_pdf.render(spec)
