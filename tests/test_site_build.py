"""A real build of the tiny fixture regency, checked page by page with bs4."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from tests.invariants import soup


def test_home_lists_newest_first_and_paginates(tiny_output: Path) -> None:
    home = soup(tiny_output / "kim-alpha" / "index.html")
    titles = [a.get_text() for a in home.select("article.card h2 a")]
    assert titles == ["Panen", "Posyandu & Imunisasi <b>Balita</b>"]  # posts_per_page: 2
    # numbered from the oldest, as the hub's pages are: halaman/1/ holds the two oldest and keeps them
    oldest = soup(tiny_output / "kim-alpha" / "halaman" / "1" / "index.html")
    assert [a.get_text() for a in oldest.select("article.card h2 a")] == ["Posyandu & Imunisasi <b>Balita</b>",
                                                                           "Berita Pertama"]
    assert home.find("a", rel="next")["href"] == "https://kim.example.go.id/kim-alpha/halaman/1/"
    # "newer" from the newest numbered page: the page not written yet, which redirects to the front
    # page, so this page is not rewritten when that one fills
    assert oldest.find("a", rel="prev")["href"] == "https://kim.example.go.id/kim-alpha/halaman/2/"
    assert oldest.select_one(".pager span").get_text() == "Halaman 1"  # no "of N": it would change with every page
    # the newest numbered page, all of it on the front page, is not written yet: its address redirects there
    newest = soup(tiny_output / "kim-alpha" / "halaman" / "2" / "index.html")
    assert newest.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=https://kim.example.go.id/kim-alpha/"


def test_scheduled_and_draft_posts_are_left_out(tiny_output: Path) -> None:
    site = tiny_output / "kim-alpha"
    assert not (site / "2030").exists()
    assert not list(site.rglob("*draf*"))
    assert not any("Terjadwal" in page.read_text() for page in (site / "arsip").rglob("index.html"))
    assert "Terjadwal" not in (site / "rss.xml").read_text()


def test_post_page(tiny_output: Path) -> None:
    page = soup(tiny_output / "kim-alpha" / "2025" / "01" / "pertama" / "index.html")
    assert page.find("h1").get_text() == "Berita Pertama"
    assert "Jumat, 10 Januari 2025 09.30 WIB" in page.find("time").get_text()
    assert page.find("time")["datetime"] == "2025-01-10T09:30:00+07:00"
    assert page.select_one(".body table th").get_text() == "RT"
    assert page.select_one(".body h2")["id"] == "hasil"  # heading anchor
    assert page.select_one(".body .footnote li")["id"] == "fn:1"
    tags = [a.get_text() for a in page.select(".tags a")]
    assert tags == ["kerja bakti", "desa"]
    assert page.find("link", rel="canonical")["href"] == "https://kim.example.go.id/kim-alpha/2025/01/pertama/"
    assert page.find("meta", property="og:title")["content"] == "Berita Pertama"
    assert page.find("meta", attrs={"name": "description"})["content"] == "Warga kerja bakti."
    assert page.select_one("a.share")["href"].startswith("https://wa.me/?text=Berita%20Pertama")


def test_raw_html_is_sanitised(tiny_output: Path) -> None:
    page = tiny_output / "kim-alpha" / "2025" / "02" / "kedua" / "index.html"
    body = soup(page).select_one(".body")
    assert body.find("script") is None
    assert not any(attr.startswith("on") for tag in body.find_all(True) for attr in tag.attrs)
    assert "javascript:" not in str(body)
    assert body.find("img")["src"] == "https://example.org/x.png"
    assert body.find("img")["loading"] == "lazy"


def test_category_tag_archive_and_profile_pages(tiny_output: Path) -> None:
    site = tiny_output / "kim-alpha"
    category = soup(site / "kategori" / "kesehatan" / "index.html")
    assert category.find("h1").get_text() == "Kategori: Kesehatan"
    assert category.find("link", type="application/rss+xml", href=lambda h: "kategori" in h)
    tag = soup(site / "topik" / "kerja-bakti" / "index.html")
    assert [a.get_text() for a in tag.select("article.card h2 a")] == ["Berita Pertama"]
    archive = soup(site / "arsip" / "index.html")  # the years, each a page of its posts
    years = [a["href"] for a in archive.select("main li a")]
    assert years and all(y.startswith("/kim-alpha/arsip/") or "/arsip/" in y for y in years)
    listed = [li for y in years for li in soup(site / "arsip" / y.rstrip("/").rsplit("/", 1)[1] / "index.html")
              .select("main ul.list li")]
    assert len(listed) == 3 and all(li.find("time") for li in listed)
    profile = soup(site / "profil" / "index.html")
    text = profile.get_text(" ")
    assert "488/1/2024" in text and "Siti Contoh" in text and "Ketua" in text
    assert profile.find("a", href="https://wa.me/6281200000001")
    assert "1 Februari 2027" in text  # SK valid until, as an Indonesian date


def test_english_site_with_its_own_domain(tiny_output: Path) -> None:
    home = soup(tiny_output / "kim-beta" / "index.html")
    assert home.find("html")["lang"] == "en"
    # the front page's one h1 is the site's name in the header; the news follows the menu
    assert len(home.find_all("h1")) == 1
    assert home.select_one("header h1 a.brand > span:last-child").get_text() == "KIM Beta"
    assert "Latest news" not in [h.get_text() for h in home.select("main h1, main h2")]
    assert home.find("link", rel="canonical")["href"] == "https://kimbeta.example/"
    post = soup(tiny_output / "kim-beta" / "2025" / "01" / "hello" / "index.html")
    assert "Sunday, 5 January 2025" in post.find("time").get_text()


def test_theme_basics(tiny_output: Path) -> None:
    page = soup(tiny_output / "kim-alpha" / "index.html")
    assert page.find("a", class_="skip")["href"] == "#isi"
    assert page.find("main", id="isi") and page.find("nav") and page.find("footer")
    assert page.find("script") is None  # no JavaScript needed
    assert "--accent:#1d6b4f" in page.find("style").get_text()  # the KIM's colour
    assert page.find("a", href="https://kim.example.go.id/")  # back to the hub
    css = list((tiny_output / "kim-alpha" / "tema").rglob("*.css"))  # pagefind/ has its own, for search only
    assert len(css) == 1 and css[0].stat().st_size < 8000


def test_sitemap_and_robots(tiny_output: Path) -> None:
    site = tiny_output / "kim-alpha"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ElementTree.parse(site / "sitemap.xml").getroot()  # an index: the pages, then each year's posts
    maps = [loc.text for loc in index.findall("s:sitemap/s:loc", ns)]
    assert maps[0] == "https://kim.example.go.id/kim-alpha/sitemap-halaman.xml" and len(maps) >= 2
    locs = {loc.text for m in maps for loc in ElementTree.parse(site / m.rsplit("/", 1)[1]).getroot()
            .findall("s:url/s:loc", ns)}
    assert "https://kim.example.go.id/kim-alpha/2025/01/pertama/" in locs
    assert "https://kim.example.go.id/kim-alpha/2025/01/pertama/" in (site / "sitemap-2025.xml").read_text()
    assert "https://kim.example.go.id/kim-alpha/profil/" in locs
    assert not any("2030" in loc for loc in locs)
    robots = (site / "robots.txt").read_text()
    assert "Sitemap: https://kim.example.go.id/kim-alpha/sitemap.xml" in robots


def test_lead_photo_is_upright_responsive_and_stripped(tiny_output: Path) -> None:
    from PIL import Image

    page = soup(tiny_output / "kim-alpha" / "2025" / "01" / "pertama" / "index.html")
    lead = page.select_one("figure.lead picture img")
    assert lead["alt"] == "Warga membersihkan saluran air bersama"
    assert (lead["width"], lead["height"]) == ("200", "320")  # EXIF orientation 6 applied, no upscaling
    assert page.select_one("figure.lead picture source")["type"] == "image/webp"
    og = page.find("meta", property="og:image")["content"]
    assert og.endswith("-share.jpg")
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    for url in (og, lead["src"]):
        with Image.open(tiny_output / "kim-alpha" / url.split("/kim-alpha/", 1)[1]) as image:
            assert not image.getexif() and "exif" not in image.info  # GPS, camera, orientation: all gone
    with Image.open(tiny_output / "kim-alpha" / og.split("/kim-alpha/", 1)[1]) as share:
        assert share.size == (1200, 630)


def test_text_files_are_minified_with_gz_twins(tiny_output: Path) -> None:
    import gzip

    site = tiny_output / "kim-alpha"
    [css] = (site / "tema" / "css").glob("kim.*.css")
    for name in ("index.html", "rss.xml", "feed.json", f"tema/css/{css.name}", "atom.xml"):
        original = (site / name).read_bytes()
        assert gzip.decompress((site / f"{name}.gz").read_bytes()) == original
    assert not list(tiny_output.rglob("*.br"))  # brotli only when build.precompress asks for it
    assert not list(site.rglob("*.jpg.gz")) and not list(site.rglob("*.webp.gz"))  # photos are compressed already
    home = (site / "index.html").read_text()
    assert "\n\n" not in home and "</p>" in home  # whitespace gone, closing tags kept


def test_precompress_can_add_brotli_for_what_browsers_load(tmp_path: Path) -> None:
    import brotli

    from tests.conftest import BUILD_DATE, run_kimsite
    from tests.regency import good_posts, write_regency

    config = write_regency(tmp_path, {"kim-a": good_posts(1)}, "build:\n  precompress: [gz, br]\n")
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    site = tmp_path / "output" / "kim-a"
    original = (site / "index.html").read_bytes()
    assert brotli.decompress((site / "index.html.br").read_bytes()) == original
    twins = {p.suffix for p in site.rglob("*.xml.*")} | {p.suffix for p in site.rglob("*.json.*")}
    assert ".br" not in twins  # what browsers load only; feed readers and crawlers ask for gzip


def test_theme_overrides_replace_single_files_without_copying_the_theme(tmp_path: Path) -> None:
    """`theme_overrides:` names a folder whose files replace the theme's of the same path."""
    from tests.conftest import BUILD_DATE, run_kimsite
    from tests.regency import good_posts, write_regency

    overrides = tmp_path / "tampilan"
    (overrides / "templates").mkdir(parents=True)
    (overrides / "static" / "css").mkdir(parents=True)
    theme = Path(__file__).resolve().parent.parent / "themes" / "kim"
    article = (theme / "templates" / "article.html").read_text()
    banner = "<p class=pita>Versi Pemkab</p><article"
    (overrides / "templates" / "article.html").write_text(article.replace("<article", banner, 1))
    css = (theme / "static" / "css" / "kim.css").read_text()
    (overrides / "static" / "css" / "kim.css").write_text(css + ".pita{color:#123456}\n")
    config = write_regency(tmp_path, {"kim-a": good_posts(1)}, "theme_overrides: tampilan\n")
    lines = [line for line in config.read_text().splitlines() if not line.startswith("theme:")]  # the default
    config.write_text("\n".join(lines) + "\n")
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / "kim-a" / "2025" / "01" / "berita-1" / "index.html").read_text()
    assert "Versi Pemkab" in page
    css = next((tmp_path / "output" / "tema" / "css").glob("kim.*.css")).read_text()
    assert "#123456" in css
    home = (tmp_path / "output" / "kim-a" / "index.html").read_text()
    assert "Versi Pemkab" not in home  # the other templates are the packaged theme's
