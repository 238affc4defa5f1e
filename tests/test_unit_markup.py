"""Unit tests of kimsite.read.markup: Markdown rendering and HTML sanitising, asserted on parsed output."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from kimsite.read.markup import YOUTUBE_EMBED, MarkupRenderer, heading_id, plain_text, sanitise


@pytest.fixture(scope="module")
def renderer() -> MarkupRenderer:
    return MarkupRenderer()


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def resolve_only(*names: str):
    """A resolver that knows `names` and nothing else (like a KIM folder holding those files)."""
    def resolve(src: str) -> str | None:
        return f"https://kim.example/kim-a/foto/{src}" if src in names else None
    return resolve


# --------------------------------------------------------------------------- Markdown features

def test_table_renders_header_and_body_cells(renderer: MarkupRenderer) -> None:
    html = renderer.render("| Dusun | KK |\n|---|--:|\n| Bulak | 120 |\n| Kidul | 95 |\n").html
    table = soup(html).find("table")
    assert table is not None
    assert [th.get_text() for th in table.find_all("th")] == ["Dusun", "KK"]
    assert [[td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")] == [
        ["Bulak", "120"], ["Kidul", "95"]]


def test_table_alignment_style_survives_sanitising(renderer: MarkupRenderer) -> None:
    html = renderer.render("| a | b |\n|---|:-:|\n| 1 | 2 |\n").html
    cells = soup(html).find_all("td")
    assert cells[1]["style"] == "text-align: center;"
    assert not cells[0].has_attr("style")


def test_footnote_has_reference_and_note(renderer: MarkupRenderer) -> None:
    html = renderer.render("Panen naik[^1].\n\n[^1]: Data Gapoktan 2025.\n").html
    doc = soup(html)
    ref = doc.find("sup").find("a")
    assert ref["href"] == "#fn:1"
    assert "footnote-ref" in ref["class"]
    note = doc.find("div", class_="footnote").find("li")
    assert note["id"] == "fn:1"
    assert "Data Gapoktan 2025." in note.get_text()


def test_heading_gets_slug_id(renderer: MarkupRenderer) -> None:
    html = renderer.render("Teks.\n\n## Sub Judul\n\nLagi.\n").html
    heading = soup(html).find("h2")
    assert heading["id"] == "sub-judul"
    assert heading.find("a") is None and heading.get_text() == "Sub Judul"  # no "#" glyph after it


def test_repeated_headings_get_distinct_ids(renderer: MarkupRenderer) -> None:
    html = renderer.render("## Sub Judul\n\n## Sub Judul\n").html
    ids = [h["id"] for h in soup(html).find_all("h2")]
    assert ids[0] == "sub-judul" and len(set(ids)) == 2


def test_heading_id_transliterates_and_falls_back() -> None:
    assert heading_id("Ékonomi Désa", "-") == "ekonomi-desa"
    assert heading_id("!!!", "-") == "bagian"


def test_renderer_is_reusable_without_leaking_state(renderer: MarkupRenderer) -> None:
    renderer.render("Satu[^1].\n\n[^1]: Catatan satu.\n")
    second = renderer.render("Dua saja.\n")
    assert "Catatan satu" not in second.html
    assert soup(second.html).find("div", class_="footnote") is None


# --------------------------------------------------------------------------- sanitising

def test_script_is_removed_with_its_text() -> None:
    html = sanitise("<p>Halo</p><script>alert('jahat')</script>")
    assert soup(html).find("script") is None
    assert "jahat" not in html and "alert" not in html
    assert soup(html).find("p").get_text() == "Halo"


def test_event_handlers_are_removed() -> None:
    html = sanitise('<p onclick="steal()">a</p><img src="https://x.example/a.jpg" onerror="steal()">')
    doc = soup(html)
    for tag in doc.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")], tag
    assert doc.find("img")["src"] == "https://x.example/a.jpg"


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "jav&#x09;ascript:alert(1)"])
def test_javascript_links_lose_their_href(href: str) -> None:
    link = soup(sanitise(f'<a href="{href}">klik</a>')).find("a")
    assert link is not None and link.get_text() == "klik"
    assert not link.has_attr("href")


def test_ordinary_links_are_kept() -> None:
    link = soup(sanitise('<a href="https://kulonprogokab.go.id/">Pemkab</a>')).find("a")
    assert link["href"] == "https://kulonprogokab.go.id/"


def test_form_and_input_are_removed() -> None:
    doc = soup(sanitise('<form action="https://evil.example/"><input name="nik"><button>Kirim</button></form>'))
    assert doc.find("form") is None
    assert doc.find("input") is None


def test_style_element_is_removed_with_its_text() -> None:
    html = sanitise("<style>body{display:none}</style><p>isi</p>")
    assert soup(html).find("style") is None
    assert "display" not in html


def test_style_attribute_other_than_alignment_is_dropped() -> None:
    doc = soup(sanitise('<div style="color:red">a</div><table><tr><td style="background:url(x)">b</td></tr></table>'))
    assert not doc.find("div").has_attr("style")
    assert not doc.find("td").has_attr("style")


def test_youtube_nocookie_iframe_is_kept() -> None:
    src = YOUTUBE_EMBED + "dQw4w9WgXcQ"
    iframe = soup(sanitise(f'<iframe src="{src}" width="560" height="315" allowfullscreen></iframe>')).find("iframe")
    assert iframe is not None
    assert iframe["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert iframe["width"] == "560"


@pytest.mark.parametrize("src", ["https://www.youtube.com/embed/x", "https://evil.example/embed/x",
                                 "https://www.youtube-nocookie.com.evil.example/embed/x"])
def test_other_iframes_are_removed_entirely(src: str) -> None:
    html = sanitise(f'<p>a</p><iframe src="{src}">isi cadangan</iframe>')
    assert soup(html).find("iframe") is None
    assert "isi cadangan" not in html


def test_svg_with_handler_is_removed() -> None:
    html = sanitise("<svg onload=alert(1)><circle/></svg><p>teks</p>")
    assert soup(html).find("svg") is None and "alert" not in html


def test_unknown_classes_are_dropped_known_ones_kept() -> None:
    doc = soup(sanitise('<a class="footnote-ref evil" href="#fn:1">1</a><span class="x">b</span>'))
    assert doc.find("a")["class"] == ["footnote-ref"]
    assert not doc.find("span").has_attr("class")


# --------------------------------------------------------------------------- images

def test_markdown_local_image_goes_through_resolver(renderer: MarkupRenderer) -> None:
    result = renderer.render("![Sawah](x.jpg)\n", resolve_only("x.jpg"))
    img = soup(result.html).find("img")
    assert img["src"] == "https://kim.example/kim-a/foto/x.jpg"
    assert img["alt"] == "Sawah"
    assert result.missing_images == ()


def test_raw_html_local_image_goes_through_resolver(renderer: MarkupRenderer) -> None:
    result = renderer.render('<img src="x.jpg" alt="Sawah">\n', resolve_only("x.jpg"))
    assert soup(result.html).find("img")["src"] == "https://kim.example/kim-a/foto/x.jpg"


def test_unresolved_markdown_image_is_listed_and_loses_src(renderer: MarkupRenderer) -> None:
    result = renderer.render("![a](hilang.jpg)\n", resolve_only("x.jpg"))
    assert result.missing_images == ("hilang.jpg",)
    assert not soup(result.html).find("img").has_attr("src")


def test_unresolved_raw_html_image_is_listed(renderer: MarkupRenderer) -> None:
    result = renderer.render('Teks <img src="hilang.jpg"> lagi.\n', resolve_only())
    assert result.missing_images == ("hilang.jpg",)


def test_reference_style_image_is_resolved(renderer: MarkupRenderer) -> None:
    result = renderer.render("![a][foto]\n\n[foto]: x.jpg\n", resolve_only("x.jpg"))
    assert soup(result.html).find("img")["src"] == "https://kim.example/kim-a/foto/x.jpg"


def test_remote_image_is_not_given_to_resolver(renderer: MarkupRenderer) -> None:
    asked: list[str] = []

    def resolve(src: str) -> str | None:
        asked.append(src)
        return None

    result = renderer.render("![a](https://cdn.example/a.jpg)\n", resolve)
    assert asked == []
    assert result.missing_images == ()
    assert soup(result.html).find("img")["src"] == "https://cdn.example/a.jpg"


def test_images_are_lazy_loaded(renderer: MarkupRenderer) -> None:
    img = soup(renderer.render("![a](x.jpg)\n", resolve_only("x.jpg")).html).find("img")
    assert img["loading"] == "lazy" and img["decoding"] == "async"


def test_javascript_image_src_is_dropped() -> None:
    img = soup(sanitise('<img src="javascript:alert(1)">')).find("img")
    assert not img.has_attr("src")


# --------------------------------------------------------------------------- first paragraph

def test_first_paragraph_is_plain_text_without_footnote_marks(renderer: MarkupRenderer) -> None:
    text = "Panen **raya** naik[^1] di <b>Bulak</b> &amp; Kidul.\n\nKedua.\n\n[^1]: Catatan.\n"
    assert renderer.render(text).first_paragraph == "Panen raya naik di Bulak & Kidul."


def test_first_paragraph_skips_leading_heading(renderer: MarkupRenderer) -> None:
    assert renderer.render("## Judul\n\nIsi pertama.\n\nIsi kedua.\n").first_paragraph == "Isi pertama."


def test_first_paragraph_drops_script_text(renderer: MarkupRenderer) -> None:
    first = renderer.render("Awal <script>alert(1)</script>akhir.\n").first_paragraph
    assert first == "Awal akhir."


def test_first_paragraph_joins_lines(renderer: MarkupRenderer) -> None:
    assert renderer.render("Baris satu\nbaris dua.\n").first_paragraph == "Baris satu baris dua."


def test_first_paragraph_empty_when_no_paragraph(renderer: MarkupRenderer) -> None:
    assert renderer.render("* satu\n* dua\n").first_paragraph == ""


def test_plain_text_unescapes_entities() -> None:
    assert plain_text("a &amp; b &lt; c") == "a & b < c"


def test_first_paragraph_keeps_ordinary_superscript(renderer: MarkupRenderer) -> None:
    assert renderer.render("Luas 12 m<sup>2</sup> sawah.\n").first_paragraph == "Luas 12 m2 sawah."


def test_first_paragraph_with_attributes_is_used(renderer: MarkupRenderer) -> None:
    assert renderer.render('<p id="pembuka">Halo pembuka.</p>\n\nParagraf kedua.\n').first_paragraph == "Halo pembuka."


def test_each_table_scrolls_in_its_own_named_focusable_box() -> None:
    from kimsite.read.markup import scrolling_tables

    assert scrolling_tables("<p>tanpa tabel</p>", "Tabel") == "<p>tanpa tabel</p>"
    one = scrolling_tables("<table><tr><td>1</td></tr></table>", "Tabel")
    assert one == ('<div class="geser" tabindex="0" role="region" aria-label="Tabel">'
                   "<table><tr><td>1</td></tr></table></div>")
    two = scrolling_tables("<table>a</table><p>x</p><table>b</table>", "Table")
    assert two.count('tabindex="0"') == 2 and 'aria-label="Table 1"><table>a</table></div><p>x</p>' in two
    assert 'aria-label="Table 2"><table>b</table></div>' in two
