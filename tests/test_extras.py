"""Products, agenda, cek fakta, aspirasi and static pages, checked on the real sample build."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import icalendar

from tests.invariants import soup

SITE = "https://kim.kulonprogokab.example/"


def _calendar(path: Path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_product_page_orders_on_whatsapp_with_a_normalised_number(sample_output: Path) -> None:
    page = soup(sample_output / "kim-hargotirto" / "produk" / "gula-semut-kokap" / "index.html")
    assert page.h1.get_text() == "Gula Semut Kelapa Organik"
    assert page.select_one(".price").get_text() == "Rp25.000 per 500 gram"
    link = page.select_one("a.order")
    assert link.get_text() == "Pesan via WhatsApp"
    url = urlsplit(link["href"])
    assert (url.scheme, url.netloc, url.path) == ("https", "wa.me", "/6281227000501")  # written 0812-2700-0501
    text = parse_qs(url.query)["text"][0]
    assert "Gula Semut Kelapa Organik" in text and "Rp25.000" in text
    assert text.endswith(f"{SITE}kim-hargotirto/produk/gula-semut-kokap/")
    assert page.select_one("figure.lead picture source[type='image/webp']")  # the responsive photo pipeline
    assert len(page.select("article picture")) == 2  # both photos
    og = page.find("meta", property="og:image")["content"]
    assert og.endswith("-share.jpg")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert (data["@type"], data["offers"]["@type"], data["offers"]["price"]) == ("Product", "Offer", 25000)
    assert data["offers"]["priceCurrency"] == "IDR" and data["image"].endswith(".jpg")
    batik = soup(sample_output / "kim-wates" / "produk" / "batik-geblek-renteng" / "index.html")
    offer = json.loads(batik.find("script", type="application/ld+json").string)["offers"]
    assert (offer["@type"], offer["lowPrice"], offer["highPrice"]) == ("AggregateOffer", 175000, 350000)


def test_catalogues_list_products_by_category(sample_output: Path) -> None:
    catalogue = soup(sample_output / "kim-gerbosari" / "produk" / "index.html")
    headings = [h.get_text() for h in catalogue.select("main section h2")]
    assert headings == ["Hasil Tani & Kebun", "Jasa"]
    hub = soup(sample_output / "produk" / "index.html")
    sections = {s.h2.a.get_text(): [a.get_text() for a in s.select("li > a:first-of-type")]
                for s in hub.select("section")}
    assert "Gula Semut Kelapa Organik" in sections["Makanan & Minuman"]
    assert "Kain Batik Cap Geblek Renteng" in sections["Fesyen & Batik"]
    kims = {a["href"] for a in hub.select("li .meta a")}
    assert len(kims) >= 4  # across the regency
    nav = [a.get_text() for a in catalogue.select("header nav a")]
    assert "Produk UMKM" in nav


def test_home_shows_upcoming_events_and_drops_past_ones(sample_output: Path) -> None:
    home = soup(sample_output / "kim-wates" / "index.html")
    titles = ["Posyandu Lansia dan Cek Tekanan Darah Gratis", "Bazar UMKM Akhir Tahun",
              "Penilaian Lomba Kampung Bersih dan Hijau Antar-RW"]
    lines = home.select("aside.agenda li")  # one line per event, the first two, then a link to the rest
    assert [li.a.get_text() for li in lines] == titles[:2]
    assert [li.time.get_text() for li in lines] == ["Sab, 28 Nov", "Sab, 5 Des"]
    assert lines[0].a["href"] == f"{SITE}kim-wates/agenda/#2026-11-28-posyandu-lansia"
    assert home.select_one("aside.agenda p a")["href"] == f"{SITE}kim-wates/agenda/"
    assert "(3)" in home.select_one("aside.agenda p a").get_text()
    assert "Kerja Bakti Saluran Drainase" not in home.get_text()  # 10 November: past at 22 November
    page = soup(sample_output / "kim-wates" / "agenda" / "index.html")
    assert [h.get_text() for h in page.select("main article h2")] == titles
    assert page.find(id="2026-11-28-posyandu-lansia") is not None
    assert page.find("link", type="text/calendar")["href"] == f"{SITE}kim-wates/agenda.ics"
    assert page.select_one("a[href^='webcal:']")["href"] == "webcal://kim.kulonprogokab.example/kim-wates/agenda.ics"


def test_agenda_calendars_import_into_phones(sample_output: Path) -> None:
    events = _calendar(sample_output / "kim-wates" / "agenda.ics")
    assert [str(e["SUMMARY"]) for e in events] == ["Posyandu Lansia dan Cek Tekanan Darah Gratis",
                                                   "Bazar UMKM Akhir Tahun",
                                                   "Penilaian Lomba Kampung Bersih dan Hijau Antar-RW"]
    timed, all_day, _ = events
    assert timed["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert timed.decoded("DTSTART") == datetime.fromisoformat("2026-11-28T08:00:00+07:00")
    assert all_day.decoded("DTSTART") == date(2026, 12, 5) and all_day.decoded("DTEND") == date(2026, 12, 7)
    assert {e.decoded("DTSTAMP").isoformat() for e in events} == {"2026-11-22T00:00:00+00:00"}  # the build date
    assert str(timed["UID"]) == "agenda-kim-wates-2026-11-28-posyandu-lansia@kim.kulonprogokab.example"
    calendar = icalendar.Calendar.from_ical((sample_output / "kim-wates" / "agenda.ics").read_bytes())
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    hub = _calendar(sample_output / "agenda.ics")
    assert len(hub) == 5 and {str(e["UID"]) for e in events} <= {str(e["UID"]) for e in hub}
    starts = [e.decoded("DTSTART") for e in hub]
    assert all(str(s) >= "2026-11-22" for s in starts)


def test_fact_check_has_a_verdict_card_and_claim_review(sample_output: Path) -> None:
    page = soup(sample_output / "kim-wates" / "2025" / "12" / "cek-fakta-tautan-pendaftaran-bansos" / "index.html")
    card = page.select_one("main article aside.verdict")
    assert card is not None and card.strong.get_text() == "HOAKS"
    assert card.find_next_sibling("figure") is not None  # at the top, before the photo and the evidence
    assert [a["href"] for a in card.select("a")] == ["https://kemensos.go.id/", "https://www.komdigi.go.id/"]
    review = json.loads(page.find("script", type="application/ld+json").string)
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "HOAKS" and review["reviewRating"]["ratingValue"] == 1
    assert review["claimReviewed"].startswith("Pendaftaran bansos")
    assert review["url"] == f"{SITE}kim-wates/2025/12/cek-fakta-tautan-pendaftaran-bansos/"
    ordinary = soup(sample_output / "kim-wates" / "2025" / "09" / "layanan-adminduk-kelurahan" / "index.html")
    assert ordinary.select_one("aside.verdict") is None and ordinary.find("script") is None


def test_hub_lists_and_feeds_every_fact_check(sample_output: Path) -> None:
    page = soup(sample_output / "cek-fakta" / "index.html")
    titles = [a.get_text() for a in page.select("main article h2 a")]
    assert len(titles) == 4 and all(t.startswith("Cek Fakta") for t in titles)
    assert {s.get_text() for s in page.select("main article p.verdict-salah strong")} == {"HOAKS", "DISINFORMASI"}
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse((sample_output / "cek-fakta" / name).read_bytes())
        assert not feed.bozo and len(feed.entries) == 4
    rss = feedparser.parse((sample_output / "kim-wates" / "rss.xml").read_bytes())
    check = next(e for e in rss.entries if "Bansos" in e.title)
    assert check.summary.startswith("HOAKS: ")  # the sample's feeds carry summaries only


def test_aspirasi_page_works_without_javascript(sample_output: Path) -> None:
    page = soup(sample_output / "kim-wates" / "aspirasi" / "index.html")
    form = page.find("form", id="aspirasi")
    assert form["action"] == "https://wa.me/6281227000303" and form.get("method", "get") == "get"
    fields = [f for f in form.find_all(["textarea", "input", "select"]) if f.get("name")]
    assert [f["name"] for f in fields] == ["text"]  # all wa.me reads; category and RW are in the template
    assert "Kategori:" in fields[0].get_text() and "RW:" in fields[0].get_text()
    assert all(p.has_attr("hidden") for p in form.select(".js-only"))  # shown only by the script
    assert page.select_one("a[href^='sms:+6281227000303?body=']") is not None
    assert page.select_one("a[href^='mailto:kim.wates@example.id?subject=']") is not None
    log = [(i.select_one(".status").get_text(), i.select("p")[1].get_text()) for i in page.select(".aspirasi-item")]
    assert [status for status, _ in log] == ["diterima", "diteruskan", "dijawab"]  # newest first
    assert "Dinas Perhubungan" in page.select(".aspirasi-item")[2].get_text()


def test_static_pages_are_in_the_menu_and_sitemap(sample_output: Path) -> None:
    home = soup(sample_output / "kim-wates" / "index.html")
    nav = {a.get_text(): a["href"] for a in home.select("header nav a")}
    assert nav["Sejarah KIM"] == f"{SITE}kim-wates/sejarah/" and nav["Visi dan Misi"] == f"{SITE}kim-wates/visi-misi/"
    assert list(nav).index("Sejarah KIM") < list(nav).index("Visi dan Misi")  # by `order`
    page = soup(sample_output / "kim-wates" / "sejarah" / "index.html")
    assert page.h1.get_text() == "Sejarah KIM" and page.select_one("main h2").get_text().startswith("Kegiatan")
    sitemap = (sample_output / "kim-wates" / "sitemap-halaman.xml").read_text()
    for path in ("sejarah/", "visi-misi/", "produk/", "produk/batik-geblek-renteng/", "agenda/", "aspirasi/"):
        assert f"<loc>{SITE}kim-wates/{path}</loc>" in sitemap
    hub_map = (sample_output / "sitemap.xml").read_text()
    assert all(f"<loc>{SITE}{p}</loc>" in hub_map for p in ("produk/", "cek-fakta/", "agenda/"))


def test_new_pages_are_weighed_by_the_budgets(sample_output: Path) -> None:
    from tests.conftest import ROOT

    rows = (ROOT / "reports" / "budgets.csv").read_text().splitlines()
    product = next(r for r in rows if r.startswith("kim-wates/produk/batik-geblek-renteng/index.html,"))
    assert int(product.split(",")[3]) > 0  # the lead photo counts
    assert any(r.startswith("kim-wates/aspirasi/index.html,") for r in rows)
