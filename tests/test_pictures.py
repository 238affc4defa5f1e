"""Issue 18, points 2 and 3: thumbnails on lists, share cards (og:image) on every page, the
logo at the size shown. Measured on real builds: pages parsed with bs4, images opened with Pillow."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from kimsite.output import budgets
from kimsite.site import cards
from tests.conftest import BUILD_DATE, run_kimsite
from tests.invariants import pages, resolve, site_urls, soup
from tests.regency import good_posts, write_regency

SHARE_MIN = (1200, 630)
SHARE_MAX_BYTES = 60_000


def _is_redirect(doc: BeautifulSoup) -> bool:
    """A list's not-yet-written page or an imported blog's old link (site.redirects): no preview."""
    return doc.find("meta", attrs={"http-equiv": "refresh"}) is not None and not doc.find("meta", property="og:title")


def _meta(doc: BeautifulSoup, key: str) -> str | None:
    tag = doc.find("meta", property=key) or doc.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def share_failures(output: Path) -> tuple[list[str], dict[str, str]]:
    """Every reader's page (not a download or a redirect) must name an og:image of at least
    1200x630 and at most 60 KB, that exists, with its size and twitter:card summary_large_image."""
    sites, failures, kinds, opened = site_urls(output), [], {}, {}
    for page in pages(output):
        rel = page.relative_to(output).as_posix()
        doc = soup(page)
        if budgets.is_download(rel) or _is_redirect(doc):
            continue
        url = _meta(doc, "og:image")
        target = resolve(url, sites) if url else None
        if target is None or not target.is_file():
            failures.append(f"{rel}: og:image {url} is missing")
            continue
        if target not in opened:
            with Image.open(target) as image:
                opened[target] = (image.size, image.format, dict(image.info))
        size, fmt, info = opened[target]
        declared = (int(_meta(doc, "og:image:width") or 0), int(_meta(doc, "og:image:height") or 0))
        if size[0] < SHARE_MIN[0] or size[1] < SHARE_MIN[1] or declared != size:
            failures.append(f"{rel}: og:image {size}, declared {declared}")
        if target.stat().st_size > SHARE_MAX_BYTES or fmt not in ("PNG", "JPEG"):
            failures.append(f"{rel}: og:image {target.stat().st_size} B {fmt}")
        if {"exif", "icc_profile", "xmp"} & set(info):
            failures.append(f"{rel}: og:image carries metadata {sorted(info)}")
        if _meta(doc, "twitter:card") != "summary_large_image":
            failures.append(f"{rel}: twitter:card {_meta(doc, 'twitter:card')}")
        kinds[rel] = target.name
    return failures, kinds


def test_every_page_of_the_sample_has_a_large_small_share_image(sample_output: Path) -> None:
    failures, kinds = share_failures(sample_output)
    assert failures == []
    assert len(kinds) > 400
    photo, card = re.compile(r"-share\.jpg$"), re.compile(r"^kartu-[0-9a-f]{12}\.png$")
    # a post with a photo shares the photo; one without, the KIM's card; every other page type the card
    glagah = {rel.removeprefix("kim-glagah/"): name for rel, name in kinds.items() if rel.startswith("kim-glagah/")}
    assert photo.search(glagah["2025/11/bersih-pantai-glagah/index.html"])
    assert card.match(glagah["index.html"]) and card.match(glagah["profil/index.html"])
    for page_type in ("kategori/", "topik/", "agenda/", "produk/", "aspirasi/", "unduh/", "cari/", "arsip/"):
        assert card.match(glagah[page_type + "index.html"]), page_type
    products = [name for rel, name in glagah.items() if rel.startswith("produk/") and rel.count("/") > 1]
    assert any(photo.search(n) for n in products)
    assert card.match(kinds["kim-gerbosari/produk/jasa-pemandu-suroloyo/index.html"])  # a product without a photo
    # the hub: its own card on its pages (not a KIM's), a post's photo on its short link
    hub_card = kinds["index.html"]
    assert card.match(hub_card) and (sample_output / hub_card).is_file()
    for page_type in ("direktori/", "cakupan/", "dasbor/", "produk/", "agenda/", "cek-fakta/", "cari/"):
        assert kinds[page_type + "index.html"] == hub_card, page_type
    assert kinds["404.html"] == hub_card and glagah["404.html"] != hub_card
    assert any(rel.startswith("s/") and photo.search(name) for rel, name in kinds.items())
    # each KIM has a card of its own (name, village, colour, logo)
    assert len({name for rel, name in kinds.items() if rel.endswith("/index.html") and rel.count("/") == 1}) >= 7


def test_every_page_of_the_tiny_regency_has_one_too(tiny_output: Path) -> None:
    """Its posts without a photo share their KIM's card; so do the pages of a KIM without a logo."""
    failures, kinds = share_failures(tiny_output)
    assert failures == []
    posts = {rel: name for rel, name in kinds.items() if re.match(r"kim-[^/]+/20\d\d/\d\d/[^/]+/index.html", rel)}
    assert any(name.startswith("kartu-") for name in posts.values())
    assert any(name.endswith("-share.jpg") for name in posts.values())


def test_the_checker_of_share_images_can_fail(tiny_output: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "out"
    shutil.copytree(tiny_output, copy)
    card = next((copy / "kim-alpha").glob("kartu-*.png"))
    Image.new("RGB", (300, 300), "red").save(card)  # a logo-sized preview, as before
    failures, _kinds = share_failures(copy)
    assert any("og:image (300, 300)" in f for f in failures)


LISTS = ["kim-glagah/index.html", "kim-glagah/kategori/berita/index.html", "kim-glagah/produk/index.html",
         "index.html", "wilayah/temon/index.html", "produk/index.html"]


@pytest.mark.parametrize("page", LISTS)
def test_lists_show_small_lazy_thumbnails(sample_output: Path, page: str) -> None:
    doc = soup(sample_output / page)
    thumbs = doc.select("img.thumb")
    assert thumbs, page
    sites = site_urls(sample_output)
    for position, img in enumerate(thumbs):
        assert (img["width"], img["height"], img["alt"]) == ("120", "90", "")  # decorative: the headline is the link
        assert img.get("loading") == (None if position < 2 else "lazy"), (page, position)
        target = resolve(img["src"], sites)
        assert target is not None and target.name.endswith("-thumb.webp")
        with Image.open(target) as image:
            assert image.format == "WEBP" and image.size == (120, 90) and "exif" not in image.info
        assert target.stat().st_size <= 2_300
    # the thumbnail sits in the item, beside its headline link, and is not a link itself
    assert all(img.find_parent(["article", "li"]) and not img.find_parent("a") for img in thumbs)


@pytest.mark.parametrize(("build", "site"), [("sample_output", "kim-glagah"), ("tiny_output", "kim-alpha")])
def test_every_listed_post_with_a_photo_has_its_thumbnail(build: str, site: str,
                                                          request: pytest.FixtureRequest) -> None:
    output = request.getfixturevalue(build)
    seen = set()
    for card in soup(output / site / "index.html").select("article.card:not(.event)"):
        link = card.find("h2").find("a")["href"]
        has_photo = soup(resolve(link, site_urls(output))).select_one("figure.lead") is not None
        assert (card.select_one("img.thumb") is not None) == has_photo, link
        seen.add(has_photo)
    assert seen  # the sample lists posts with photos, the tiny regency's home posts without


def test_list_pages_with_thumbnails_stay_within_60_kb(sample_output: Path) -> None:
    roots = {url: folder for url, folder in site_urls(sample_output).items()}
    weights = [w for w in budgets.weigh(sample_output, sample_output, roots) if w.thumbs]
    lists = {w.path for w in weights}
    assert {"index.html", "kim-glagah/index.html", "kim-glagah/produk/index.html", "produk/index.html"} <= lists
    assert all(w.images > 0 for w in weights)
    assert max(w.total for w in weights) <= budgets.LIST_LIMIT
    assert max(w.text for w in weights) <= budgets.PAGE_LIMIT
    assert budgets.check(weights, hub_home="index.html") == []
    home = next(w for w in weights if w.path == "index.html")
    assert home.thumbs == len(soup(sample_output / "index.html").select("img.thumb")) >= 10


def test_a_list_over_60_kb_warns_naming_its_thumbnails() -> None:
    heavy = budgets.PageWeight("kim-a/index.html", 9_000, 2_000, 55_000, 20)
    (problem,) = budgets.check([heavy])
    assert "60 KB" in problem.message.en and "thumbnails" in problem.message.en
    assert budgets.check([heavy._replace(thumbs=0)]) == []  # an article's lead photo: 100 KB


def test_the_logo_is_served_at_the_size_shown(sample_output: Path) -> None:
    for site in sorted(sample_output.glob("kim-*")):
        logo = site / "logo.webp"
        with Image.open(logo) as image:
            assert image.format == "WEBP" and max(image.size) == 80
        assert logo.stat().st_size <= 3_000
        assert not (site / "logo.png").exists()
        brand = soup(site / "index.html").select_one(".brand img")
        assert brand["src"].endswith("/logo.webp") and (brand["width"], brand["height"]) == ("40", "40")


def _photo(path: Path) -> bytes:
    Image.effect_noise((900, 600), 60).convert("RGB").save(path, quality=90)
    return path.read_bytes()


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_thumbnails_and_cards_are_made_once_and_again_only_when_their_input_changes(tmp_path: Path) -> None:
    post = "---\ntitle: Panen\ncategory: berita\nimage: panen.jpg\nimage_alt: panen cabai\n---\n\nIsi.\n"
    photo = _photo(tmp_path / "p.jpg")
    profile = 'name: KIM Alfa\ncolor: "#1d6b4f"\n'
    config = write_regency(tmp_path, {"kim-a": {**good_posts(2), "profile.yaml": profile,
                                                "posts/2025-03-01-panen.md": post, "posts/panen.jpg": photo}})
    build = ("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert run_kimsite(*build).returncode == 0
    output, images = tmp_path / "output" / "kim-a", tmp_path / ".kimsite-cache" / "images"
    first, thumb = _stamps(images), next((output / "foto").glob("*-thumb.webp"))
    thumb_bytes, card = thumb.read_bytes(), next(output.glob("kartu-*.png"))
    assert any(name.startswith("cards/") for name in first)
    (tmp_path / "content" / "kim-a" / "posts" / "2025-04-10-baru.md").write_text(
        "---\ntitle: Baru\ncategory: berita\n---\n\nIsi baru.\n")
    assert run_kimsite(*build).returncode == 0  # the site is rebuilt: nothing is encoded or drawn again
    assert _stamps(images) == first
    assert thumb.read_bytes() == thumb_bytes and next(output.glob("kartu-*.png")).name == card.name
    (tmp_path / "content" / "kim-a" / "profile.yaml").write_text(profile.replace("#1d6b4f", "#7a2e1d"))
    assert run_kimsite(*build).returncode == 0
    again = _stamps(images)
    photos = {k: v for k, v in first.items() if not k.startswith("cards/")}
    assert photos and {k: v for k, v in again.items() if not k.startswith("cards/")} == photos  # the photo stays
    assert len([k for k in again if k.startswith("cards/")]) == len([k for k in first if k.startswith("cards/")]) + 1
    new_card = next(output.glob("kartu-*.png"))
    assert new_card.name != card.name
    with Image.open(new_card) as image:
        assert image.convert("RGB").getpixel((5, 5)) == (0x7A, 0x2E, 0x1D)  # the KIM's colour
    assert new_card.name in (output / "index.html").read_text()


def test_a_card_without_the_dejavu_fonts_uses_pillows_font_and_warns(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    spec = cards.CardSpec("KIM Glagah Lestari", "Kalurahan Glagah, Kapanewon Temon", "Kabupaten Kulon Progo",
                          "#1d6b4f", "GL")
    written: dict[str, bytes] = {}
    with_font, problems = cards.write_card(spec, tmp_path / "a", written.__setitem__, "profile.yaml")
    assert problems == [] or cards.fonts() is None
    monkeypatch.setattr(cards, "FONT_DIR", tmp_path / "no-fonts")
    card, problems = cards.write_card(spec, tmp_path / "b", written.__setitem__, "profile.yaml")
    assert card.path != with_font.path  # another font, another card
    (warning,) = problems
    assert "fonts-dejavu-core" in warning.hint.id and warning.severity.name == "WARNING"
    data = written[card.path]
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 630) and image.format == "PNG" and not image.text
    assert len(data) <= SHARE_MAX_BYTES
    # the same spec and fonts draw the same bytes (no timestamp, no metadata)
    again, _ = cards.write_card(spec, tmp_path / "c", written.__setitem__, "profile.yaml")
    assert written[again.path] == data and again.path == card.path
