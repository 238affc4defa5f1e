"""Pages in a real headless Chromium (Debian's) at a 360 px phone width (and 1280 px).

Every page type must render and nothing may overflow horizontally; a home's first screen must
show the site's name, its menu and the first headline. Screenshots of every page type at both
widths are kept in reports/screenshots/ (or $KIMSITE_SCREENSHOTS) for a human look; the run's
summary prints the folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None and not os.environ.get("KIMSITE_REQUIRE_BROWSER"):  # CI sets it: there it must run
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE, DESKTOP = {"width": 360, "height": 780}, {"width": 1280, "height": 800}
# every page type of the sample, KIM sites first, then the hub ("kim post" is the first article
# linked from that home, opened below)
PAGE_TYPES = {
    "kim home": "kim-wates/", "kim post": "kim-jangkaran/",
    "kim fact check": "kim-wates/2025/12/cek-fakta-tautan-pendaftaran-bansos/",
    "kim categories": "kim-wates/kategori/", "kim category": "kim-wates/kategori/kesehatan/",
    "kim tags": "kim-wates/topik/", "kim tag": "kim-wates/topik/bazar/", "kim archives": "kim-wates/arsip/",
    "kim agenda": "kim-wates/agenda/", "kim products": "kim-wates/produk/",
    "kim product": "kim-hargotirto/produk/gula-semut-kokap/", "kim page": "kim-wates/sejarah/",
    "kim profile": "kim-glagah/profil/", "kim aspirasi": "kim-wates/aspirasi/", "kim search": "kim-wates/cari/",
    "kim unduh": "kim-wates/unduh/", "kim 404": "kim-wates/404.html",
    "hub home": "", "hub news list": "halaman/1/", "hub district": "wilayah/wates/", "hub archives": "arsip/",
    "hub directory": "direktori/", "hub coverage": "cakupan/", "hub dashboard": "dasbor/",
    "hub agenda": "agenda/", "hub products": "produk/", "hub fact checks": "cek-fakta/",
    "hub corrections": "ralat/", "hub search": "cari/", "hub digest": "kabar-pekan-ini/",
    "hub unduh": "unduh/", "hub 404": "404.html",
}


@pytest.fixture(scope="module")
def served(served_sample: tuple[str, Path], pytestconfig: pytest.Config) -> tuple[str, Path]:
    """The served sample's base URL (conftest's served_sample), and the screenshot folder
    (reports/screenshots/, or $KIMSITE_SCREENSHOTS), emptied of the last run's."""
    from tests.conftest import SCREENSHOTS, SHOTS_KEY

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    pytestconfig.stash[SHOTS_KEY] = SCREENSHOTS  # conftest's summary prints where they are
    return served_sample[0], SCREENSHOTS


def _shot_name(name: str, width: int) -> str:
    return f"{width}-{name.replace(' ', '-')}.png"


def test_every_page_type_at_360_and_1280px_without_horizontal_overflow(served: tuple[str, Path]) -> None:
    """Each page type renders with one h1 and no sideways scrolling; full-page screenshots at both widths."""
    base, shots = served
    overflowing = []
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for viewport in (PHONE, DESKTOP):
            page = browser.new_page(viewport=viewport, device_scale_factor=2 if viewport is PHONE else 1)
            urls = {name: base + path for name, path in PAGE_TYPES.items()}
            page.goto(urls["kim post"])
            urls["kim post"] = page.locator("main article.card h2 a").first.get_attribute("href")
            for name, url in urls.items():
                response = page.goto(url)
                assert response is not None and response.ok, url
                assert page.locator("h1").count() == 1 and page.locator("h1").is_visible(), url
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > viewport["width"]:
                    overflowing.append(f"{name}: {width}px wide at {viewport['width']}px ({url})")
                page.screenshot(path=str(shots / _shot_name(name, viewport["width"])), full_page=True)
            page.close()
        page = browser.new_page()
        page.goto(base + PAGE_TYPES["hub dashboard"])
        assert page.evaluate("document.scripts.length") == 0
        browser.close()
    assert not overflowing, overflowing
    assert len(list(shots.glob("*.png"))) >= 2 * len(PAGE_TYPES)


# the first screen of a home, measured where the browser laid it out
FIRST_SCREEN = """() => {
  const box = el => el ? el.getBoundingClientRect().toJSON() : null;
  const menu = document.querySelector('header nav ul');
  const items = [...menu.querySelectorAll('li')];
  return {
    name: box(document.querySelector('header .brand')), headline: box(document.querySelector('main article h2 a')),
    rows: new Set(items.map(li => Math.round(li.getBoundingClientRect().top))).size,
    scrolls: menu.scrollWidth > menu.clientWidth, overflowX: getComputedStyle(menu).overflowX,
    cue: getComputedStyle(menu).backgroundImage, scripts: document.scripts.length,
    agenda: [...document.querySelectorAll('aside.agenda li')].map(li => li.getBoundingClientRect().height),
    lineHeight: parseFloat(getComputedStyle(document.body).lineHeight),
  };
}"""


def _first_screen(page, url: str) -> dict:  # noqa: ANN001 - playwright's Page
    page.goto(url)
    screen = page.evaluate(FIRST_SCREEN)
    name, headline = screen["name"], screen["headline"]
    assert name and name["top"] >= 0 and name["bottom"] <= PHONE["height"], f"{url}: the site's name is off screen"
    assert headline, f"{url}: no headline"
    assert headline["top"] < 600, f"{url}: the first headline starts at {headline['top']:.0f}px (at most 600)"
    assert screen["scripts"] == 0, url  # the menu is CSS only
    one_scrolling_row = (screen["rows"] == 1 and screen["overflowX"] in ("auto", "scroll")
                         and "gradient" in screen["cue"])  # the shadow at the edge that says "more this way"
    assert screen["rows"] <= 2 and (not screen["scrolls"] or one_scrolling_row), f"{url}: menu {screen}"
    return screen


def test_first_screen_of_the_homes_shows_name_menu_and_first_headline(served: tuple[str, Path],
                                                                      sample_output: Path) -> None:
    """At 360 x 780: the site's name, a menu of one row (scrolling sideways, with a cue, without
    JavaScript) or two, and the first headline above 600 px; on the KIM home with three upcoming
    events, whose agenda shows two of them, one line each, and a link to the rest."""
    base, shots = served
    homes = [""] + sorted(p.parent.name + "/" for p in sample_output.glob("kim-*/index.html"))
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport=PHONE)
        page.goto(base + PAGE_TYPES["kim agenda"])
        assert page.locator("main article.event").count() >= 3  # upcoming at the sample's build date
        measured = ["home,headline_top_px,menu_rows"]
        for home in homes:
            screen = _first_screen(page, base + home)
            measured.append(f"{home or '(hub)'},{screen['headline']['top']:.0f},{screen['rows']}")
            page.screenshot(path=str(shots / f"first-screen-{home.strip('/') or 'hub'}.png"))
        (shots / "first-screen.csv").write_text("\n".join(measured) + "\n", encoding="utf-8")
        screen = _first_screen(page, base + PAGE_TYPES["kim home"])
        assert len(screen["agenda"]) == 2 and all(h < 2 * screen["lineHeight"] for h in screen["agenda"]), screen
        assert page.locator("aside.agenda a[href$='/agenda/']").is_visible()
        for _ in range(20):  # the menu's last link is reached by Tab and scrolled into sight
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement === document.querySelector('header nav li:last-child a')"):
                break
        right = page.evaluate("document.activeElement.getBoundingClientRect().right")
        assert page.evaluate("document.activeElement.closest('nav') !== null") and right <= PHONE["width"]
        browser.close()


def _sent_to_whatsapp(page, submit) -> str:  # noqa: ANN001 - playwright's Page
    """The URL the aspirasi form opens (the request to wa.me is caught, not sent)."""
    sent: list[str] = []

    def catch(route) -> None:  # noqa: ANN001
        sent.append(route.request.url)
        route.fulfill(status=200, body="ok")

    page.route("https://wa.me/**", catch)
    submit()
    page.wait_for_timeout(300)
    assert sent, "the form opened nothing"
    return sent[0]


@pytest.mark.parametrize("javascript", [True, False])
def test_aspirasi_opens_a_prefilled_whatsapp_message(served: tuple[str, Path], javascript: bool) -> None:
    from urllib.parse import parse_qs, urlsplit

    base, _shots = served
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(java_script_enabled=javascript, viewport={"width": 360, "height": 740}).new_page()
        page.goto(base + "kim-wates/aspirasi/")
        assert page.locator("#topik").is_visible() is javascript
        if javascript:
            page.select_option("#topik", "Kesehatan")
            page.fill("#rw", "05")
            page.fill("#pesan", "Posyandu perlu timbangan baru.")
        else:  # the template in the text box asks for the category and RW
            page.fill("#pesan", page.input_value("#pesan").replace("Isi: ", "Isi: Posyandu perlu timbangan baru."))
        url = urlsplit(_sent_to_whatsapp(page, lambda: page.click("form#aspirasi button")))
        browser.close()
    assert (url.netloc, url.path) == ("wa.me", "/6281227000303")
    text = parse_qs(url.query)["text"][0].replace("\r\n", "\n")  # a plain form sends CRLF line ends
    assert text.startswith("Aspirasi untuk KIM Wates Kota\nKategori: ") and "Posyandu perlu timbangan baru." in text
    if javascript:
        assert "Kategori: Kesehatan\nRW: 05" in text


def test_search_finds_articles_on_a_kim_site_and_across_the_hub(served: tuple[str, Path]) -> None:
    base, shots = served
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        for url, site in ((base + "kim-jangkaran/cari/", "kim-jangkaran/"), (base + "cari/", "")):
            page.goto(url)
            page.fill("#cari-q", "mangrove")
            page.wait_for_selector("#cari-hasil li.hasil a", timeout=20_000)
            links = page.locator("#cari-hasil li.hasil a").evaluate_all("els => els.map(e => e.href)")
            assert links and all(link.startswith(base + site) for link in links)
            assert not page.is_visible("#tanpa-js")  # the no-JavaScript note hides once search runs
            page.screenshot(path=str(shots / f"search-{site.strip('/') or 'hub'}.png"))
        browser.close()


def _runs_javascript(html: str) -> bool:
    """A <script> that runs (structured data in application/ld+json does not)."""
    import re

    return any("ld+json" not in tag for tag in re.findall(r"<script\b[^>]*>", html))


def test_only_search_pages_carry_javascript(sample_output: Path) -> None:
    with_script = sorted(p.relative_to(sample_output).as_posix() for p in sample_output.rglob("*.html")
                         if _runs_javascript(p.read_text(encoding="utf-8")) and "/pagefind/" not in p.as_posix())
    # the aspirasi page's small inline script is optional: its form works without it; admin/ is
    # the writers' page (Decap CMS), and only it loads the CMS
    assert with_script and all(p.endswith(("cari/index.html", "aspirasi/index.html", "admin/index.html"))
                               for p in with_script)
    cms = [p for p in with_script if "decap-cms" in (sample_output / p).read_text(encoding="utf-8")]
    assert cms and all(p.endswith("/admin/index.html") for p in cms)
