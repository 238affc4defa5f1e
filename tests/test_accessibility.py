"""axe-core (the pinned copy in .axe/, `make axe`) on every page type of the served sample, in
Debian's chromium at a 360 px phone width: 0 violations of any rule axe runs by default."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import ROOT
from tests.test_browser import CHROMIUM, FLAGS

AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
if not AXE.is_file() and not os.environ.get("KIMSITE_REQUIRE_BROWSER"):
    pytest.skip("axe-core is not installed (make axe)", allow_module_level=True)

KIM = "kim-wates/"
PAGES = {  # page type: path below the served root
    "KIM home": KIM,
    "KIM post with a photo": "kim-jangkaran/2025/09/pembibitan-mangrove/",
    "KIM fact check": KIM + "2025/12/cek-fakta-tautan-pendaftaran-bansos/",
    "KIM archive": KIM + "arsip/",
    "KIM categories": KIM + "kategori/",
    "KIM category": KIM + "kategori/kesehatan/",
    "KIM tags": KIM + "topik/",
    "KIM tag": KIM + "topik/bansos/",
    "KIM agenda": KIM + "agenda/",
    "KIM products": "kim-hargotirto/produk/",
    "KIM product": "kim-hargotirto/produk/gula-semut-kokap/",
    "KIM profile": KIM + "profil/",
    "KIM page": KIM + "sejarah/",
    "KIM aspirasi": KIM + "aspirasi/",
    "KIM search": KIM + "cari/",
    "KIM unduh": KIM + "unduh/",
    "KIM 404": KIM + "404.html",
    "hub home": "",
    "hub news list": "arsip/",
    "hub news page 2": "halaman/2/",
    "hub directory": "direktori/",
    "hub district": "wilayah/wates/",
    "hub coverage": "cakupan/",
    "hub dashboard": "dasbor/",
    "hub agenda": "agenda/",
    "hub products": "produk/",
    "hub fact checks": "cek-fakta/",
    "hub corrections": "ralat/",
    "hub search": "cari/",
    "hub digest": "kabar-pekan-ini/",
    "hub unduh": "unduh/",
    "hub 404": "404.html",
}
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .map(v => ({id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(' '))}))"""


def _violations(page, url: str) -> list[dict]:  # noqa: ANN001 - playwright's Page
    response = page.goto(url)
    assert response is not None and response.ok, url
    if url.endswith("/cari/"):  # the search form is made by JavaScript: check it with its results shown
        page.fill("#cari-q", "posyandu")
        page.wait_for_selector("#cari-hasil li a", timeout=20_000)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def test_axe_finds_no_violation_on_any_page_type(served_sample: tuple[str, Path]) -> None:
    base, output = served_sample
    assert all((output / path / ("" if path.endswith(".html") else "index.html")).is_file() for path in PAGES.values())
    found = []
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 360, "height": 780})
        for name, path in PAGES.items():
            found += [(v["id"], name, base + path, target, v["help"])
                      for v in _violations(page, base + path) for target in v["targets"]]
        assert page.evaluate("typeof axe.version") == "string"
        browser.close()
    by_rule = Counter(rule for rule, *_ in found)
    lines = [f"{rule} on {name} ({url}): {target} — {help_}" for rule, name, url, target, help_ in found]
    assert not found, f"axe: {dict(by_rule)}\n" + "\n".join(lines)


def _edge_shade(page, box) -> tuple[float, float]:  # noqa: ANN001 - playwright's Page and Locator
    """Mean brightness of the box's leftmost and rightmost 8 px (a shadow darkens its side)."""
    import io

    from PIL import Image, ImageStat

    shot = Image.open(io.BytesIO(box.screenshot())).convert("L")
    scale = shot.width / box.evaluate("e => e.clientWidth")
    edge = round(8 * scale)
    left = ImageStat.Stat(shot.crop((0, 0, edge, shot.height))).mean[0]
    right = ImageStat.Stat(shot.crop((shot.width - edge, 0, shot.width, shot.height))).mean[0]
    return left, right


def test_a_wide_table_scrolls_from_the_keyboard_with_a_shadow_on_the_side_left_to_see(
        served_sample: tuple[str, Path]) -> None:
    base, _output = served_sample
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 360, "height": 780})
        page.goto(base + "dasbor/")
        box = page.locator("div.geser").first
        assert box.evaluate("e => e.scrollWidth > e.clientWidth + 40"), "the dashboard's table fits: no test"
        box.scroll_into_view_if_needed()
        left, right = _edge_shade(page, box)
        assert right < left - 10, (left, right)  # more to see on the right: the right edge is shaded
        for _ in range(60):  # the box is in the tab order (its links come after it)
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('div.geser')"):
                break
        assert page.evaluate("document.activeElement.matches('div.geser:focus-visible')")
        for _ in range(40):
            page.keyboard.press("ArrowRight")
            if box.evaluate("e => e.scrollLeft + e.clientWidth >= e.scrollWidth - 1"):
                break
            page.wait_for_timeout(50)  # each key scrolls smoothly: let it land before the next
        assert box.evaluate("e => e.scrollLeft + e.clientWidth >= e.scrollWidth - 1"), \
            box.evaluate("e => [e.scrollLeft, e.clientWidth, e.scrollWidth]")  # the keys scrolled it
        left, right = _edge_shade(page, box)
        assert left < right - 10, (left, right)  # now the shadow is on the left
        browser.close()
