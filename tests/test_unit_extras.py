"""Unit tests of the pure parts behind products, agenda, pages, aspirasi and cek fakta."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from kimsite.models import DEFAULT_PRODUCT_CATEGORIES, Event, FactCheck
from kimsite.read.extras import ExtrasSpec, load_extras
from kimsite.read.markup import MarkupRenderer
from kimsite.site import context, ics

TZ = ZoneInfo("Asia/Jakarta")
SPEC = ExtrasSpec(kim="kim-a", timezone="Asia/Jakarta", product_categories=DEFAULT_PRODUCT_CATEGORIES,
                  default_organiser="KIM A", root=Path("/"))


@pytest.fixture(scope="module")
def renderer() -> MarkupRenderer:
    return MarkupRenderer()


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def event(start: datetime, end: datetime, all_day: bool = False, slug: str = "x") -> Event:
    return Event("kim-a", "agenda/x.md", slug, "Acara", start, end, all_day, "Balai", "KIM A", "Ringkas", "")


def test_events_default_end_and_all_day_ranges(tmp_path: Path, renderer: MarkupRenderer) -> None:
    kim = write(tmp_path, {
        "agenda/a.md": "---\ntitle: Rapat\nstart: 2026-11-30 19:30\nplace: Balai\n---\n\nIsi.\n",
        "agenda/b.md": "---\ntitle: Bazar\nstart: 2026-12-05\nend: 2026-12-06\nplace: Alun-alun\n---\n\nIsi.\n",
        "agenda/c.md": "---\ntitle: Senam\nstart: 2026-12-01\nplace: Lapangan\norganiser: Karang Taruna\n---\n\nx\n",
        "agenda/d.md": "---\ntitle: Draf\nstart: 2026-12-01\nplace: X\ndraft: true\n---\n\nx\n",
    })
    loaded = load_extras(kim, SPEC, renderer)
    assert loaded.problems == []
    timed, all_day, two_days = loaded.extras.events  # by start
    assert (timed.start, timed.end - timed.start, timed.all_day) == (
        datetime(2026, 11, 30, 19, 30, tzinfo=TZ), timedelta(hours=2), False)
    assert (timed.organiser, timed.summary) == ("KIM A", "Isi.")
    assert (all_day.slug, all_day.end - all_day.start, all_day.organiser) == ("c", timedelta(days=1), "Karang Taruna")
    assert two_days.end == datetime(2026, 12, 7, tzinfo=TZ)  # the last day is 6 December: end is exclusive


def test_pages_are_ordered_and_products_grouped_by_configured_category(tmp_path: Path,
                                                                       renderer: MarkupRenderer) -> None:
    product = "---\nname: {name}\ncategory: {category}\nprice: 1000\nseller: S\nwhatsapp: \"081234567890\"\n---\n\nx\n"
    kim = write(tmp_path, {
        "pages/b.md": "---\ntitle: Sejarah\norder: 1\n---\n\nIsi.\n",
        "pages/a.md": "---\ntitle: Visi\n---\n\nIsi.\n",
        "products/z.md": product.format(name="Zaitun", category="makanan"),
        "products/y.md": product.format(name="Anyaman", category="Kerajinan"),
        "products/x.md": product.format(name="Apem", category="makanan"),
    })
    extras = load_extras(kim, SPEC, renderer).extras
    assert [p.title for p in extras.pages] == ["Sejarah", "Visi"]
    assert [p.name for p in extras.products] == ["Apem", "Zaitun", "Anyaman"]  # makanan comes first in the list
    assert extras.products[0].whatsapp == "6281234567890" and extras.products[0].url_path == "produk/x/"


def test_aspiration_statuses_in_english_are_stored_in_indonesian(tmp_path: Path, renderer: MarkupRenderer) -> None:
    kim = write(tmp_path, {"aspirasi.yaml": "entries:\n  - received: 2026-01-02\n    summary: A\n    status: Answered\n"
                                            "  - received: 2026-03-04\n    summary: B\n    status: diterima\n"})
    log = load_extras(kim, SPEC, renderer).extras.aspirations
    assert [(a.summary, a.status) for a in log] == [("B", "diterima"), ("A", "dijawab")]


def test_upcoming_keeps_the_day_of_an_event_and_drops_it_after() -> None:
    morning = event(datetime(2026, 11, 22, 8, tzinfo=TZ), datetime(2026, 11, 22, 10, tzinfo=TZ))
    all_day = event(datetime(2026, 11, 21, tzinfo=TZ), datetime(2026, 11, 22, tzinfo=TZ), all_day=True)
    assert context.upcoming([morning, all_day], date(2026, 11, 22)) == [morning]
    assert context.upcoming([morning], date(2026, 11, 23)) == []
    assert context.drops_off(morning) == datetime(2026, 11, 23, tzinfo=TZ)
    assert context.drops_off(all_day) == datetime(2026, 11, 22, tzinfo=TZ)


def test_event_times_are_told_in_the_regency_zone() -> None:
    timed = event(datetime(2026, 11, 25, 8, tzinfo=TZ), datetime(2026, 11, 25, 11, tzinfo=TZ))
    assert context.event_context(timed, "id")["when"] == "Rabu, 25 November 2026 08.00–11.00 WIB"
    days = event(datetime(2026, 12, 5, tzinfo=TZ), datetime(2026, 12, 7, tzinfo=TZ), all_day=True)
    assert context.event_context(days, "id")["when"] == "Sabtu, 5 Desember 2026 – Minggu, 6 Desember 2026"
    one = event(datetime(2026, 12, 5, tzinfo=TZ), datetime(2026, 12, 6, tzinfo=TZ), all_day=True)
    assert context.event_context(one, "en")["when"] == "Saturday, 5 December 2026"


def test_claim_review_json_ld_cannot_close_its_script() -> None:
    from kimsite.models import Category, Post

    post = Post("kim-a", Path("x.md"), "x.md", "x", "Cek", datetime(2026, 1, 2, tzinfo=TZ), "A",
                Category("cek-fakta", "Cek Fakta"), (), "s", "", "2026/01/x/")
    check = FactCheck("Klaim </script><script>alert(1)</script>", "BELUM TERBUKTI", ("https://example.go.id/",))
    card = context.fact_check_context(post, check, "https://kim.example/kim-a/", "KIM A")
    assert "</script>" not in card["jsonld"] and card["css"] == "belum"
    data = json.loads(card["jsonld"])
    assert data["reviewRating"] == {"@type": "Rating", "ratingValue": 3, "bestRating": 5, "worstRating": 1,
                                    "alternateName": "BELUM TERBUKTI"}
    assert data["claimReviewed"].startswith("Klaim </script>") and data["datePublished"] == "2026-01-02"


def test_calendar_is_deterministic_with_stable_uids() -> None:
    spec = ics.CalendarSpec("Agenda", "Agenda KIM A", "https://kim.example/kim-a/agenda/", "Asia/Jakarta",
                            datetime(2026, 11, 22, tzinfo=UTC))
    site = "https://kim.example/kim-a/"
    starts = (("b", datetime(2026, 12, 2, 9, tzinfo=TZ)), ("a", datetime(2026, 12, 1, 9, tzinfo=TZ)))
    items = [ics.CalendarEvent(ics.event_uid(site, slug), slug, start, start + timedelta(hours=1), False, "Balai", "",
                               f"{site}agenda/#{slug}") for slug, start in starts]
    first, again = ics.render_calendar(spec, items), ics.render_calendar(spec, list(reversed(items)))
    assert first == again and b"\r\n" in first  # RFC 5545 line ends
    parsed = icalendar.Calendar.from_ical(first)
    uids = [str(e["UID"]) for e in parsed.walk("VEVENT")]
    assert uids == ["agenda-kim-a-a@kim.example", "agenda-kim-a-b@kim.example"]
    assert ics.event_uid("https://kimbeta.example/", "pasar") == "agenda-pasar@kimbeta.example"


def test_two_files_with_one_slug_are_an_error(tmp_path: Path, renderer: MarkupRenderer) -> None:
    page = "---\ntitle: Sejarah\n---\n\nIsi.\n"
    kim = write(tmp_path, {"pages/Sejarah.md": page, "pages/sejarah.md": page})
    loaded = load_extras(kim, SPEC, renderer)
    assert len(loaded.extras.pages) == 1
    assert [(p.line, p.message.id.split(" sudah")[0]) for p in loaded.problems] == [(1, "nama 'sejarah'")]


def test_a_photo_in_the_text_of_a_page_is_reported_on_its_line(tmp_path: Path, renderer: MarkupRenderer) -> None:
    kim = write(tmp_path, {"pages/sejarah.md": "---\ntitle: Sejarah\n---\n\nIsi.\n\n![Balai](balai.jpg)\n"})
    problems = load_extras(kim, SPEC, renderer).problems
    assert [(p.path.endswith("pages/sejarah.md"), p.line) for p in problems] == [(True, 7)]
    assert "foto 'balai.jpg' di isi tidak didukung" in problems[0].message.id
