"""Small slips of issue 18, checked on the real sample build: no "#" after subheadings, spaces
around the directory's separators, no line starting with "·", Indonesian percentages, one
"Cari berita" on the hub's search, the verdict's own colour on the hub, a styled select and an
https link beside the webcal:// one."""

from __future__ import annotations

import re
from pathlib import Path

from tests.invariants import soup


def test_subheadings_keep_their_ids_but_show_no_hash(sample_output: Path) -> None:
    page = soup(next((sample_output / "kim-gerbosari" / "2026" / "11").glob("musyawarah-*/index.html")))
    headings = page.select("article.post h2[id], article.post h3[id]")
    assert headings
    for heading in headings:
        assert heading.find("a") is None and not heading.get_text().strip().endswith("#"), heading


def test_directory_separators_have_spaces(sample_output: Path) -> None:
    meta = [m.get_text() for m in soup(sample_output / "direktori" / "index.html").select("main .meta")]
    assert meta and all(re.search(r"\S·", text) is None for text in meta), meta
    assert any(re.search(r"\d{4} · RSS", text) for text in meta)


def test_product_list_puts_the_seller_on_its_own_line(sample_output: Path) -> None:
    page = soup(sample_output / "kim-glagah" / "produk" / "index.html")
    for meta in page.select("article.card p.meta"):
        assert meta.find("br") is not None and "·" not in meta.get_text(), meta
    assert "Penjual: Gapoktan Pasir Makmur" in page.get_text()
    sellers = [m.get_text() for m in soup(sample_output / "produk" / "index.html").select("main li .meta")]
    assert sellers and all("\xa0· " in t and " ·" not in t for t in sellers), sellers  # "·" sticks to the seller


def test_hub_search_names_itself_once(sample_output: Path) -> None:
    page = soup(sample_output / "cari" / "index.html")
    assert [h.get_text() for h in page.find_all("h1")] == ["Cari berita"]


def test_hub_fact_check_verdict_has_its_own_colour(sample_output: Path) -> None:
    page = soup(sample_output / "cek-fakta" / "index.html")
    verdicts = page.select("article.card p[class^=verdict-]")
    assert verdicts and all(v.find("strong") for v in verdicts)
    assert {c for v in verdicts for c in v["class"]} <= {"verdict-salah", "verdict-benar", "verdict-belum"}
    assert not page.select("article.card p.meta strong")  # no longer the muted line
    css = next((sample_output / "tema" / "css").glob("kim.*.css")).read_text(encoding="utf-8")
    assert ".verdict-salah strong{color:#b00020}" in css


def test_aspirasi_select_is_styled_like_the_inputs_and_tall_enough(sample_output: Path) -> None:
    css = next((sample_output / "kim-wates" / "tema" / "css").glob("kim.*.css")).read_text(encoding="utf-8")
    rule = re.search(r"\.aspirasi textarea,\.aspirasi select,\.aspirasi input\{([^}]*)\}", css)
    assert rule, "the select shares the inputs' rule"
    height = re.search(r"min-height:([\d.]+)rem", rule.group(1))
    assert height and float(height.group(1)) * 16 >= 44 and "border:" in rule.group(1)


def test_calendar_has_an_https_link_beside_webcal(sample_output: Path) -> None:
    for page in (sample_output / "agenda" / "index.html", sample_output / "kim-glagah" / "agenda" / "index.html"):
        links = [a["href"] for a in soup(page).select("main a[href$='agenda.ics']")]
        webcal = [h for h in links if h.startswith("webcal://")]
        assert len(webcal) == 1
        https = "https://" + webcal[0].removeprefix("webcal://")
        assert links.count(https) >= 2, links  # the download and the address to subscribe by on Android
        assert soup(page).select_one("a.ics-https")["href"] == https
