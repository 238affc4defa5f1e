"""Pages in a real headless Chromium (Debian's) at a 360 px phone width.

The page must render and nothing may overflow horizontally. Screenshots are kept
under the test's tmp folder for a human look.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None and not os.environ.get("KIMSITE_REQUIRE_BROWSER"):  # CI sets it: there it must run
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
PAGES = {
    "home": "kim-wates/",
    "article": "kim-jangkaran/",  # the first article linked from this home is opened below
    "profile": "kim-glagah/profil/",
    "hub": "",
    "dashboard": "dasbor/",
    "product": "kim-hargotirto/produk/gula-semut-kokap/",
    "catalogue": "produk/",
    "agenda": "kim-wates/agenda/",
    "fact check": "kim-wates/2025/12/cek-fakta-tautan-pendaftaran-bansos/",
    "aspirasi": "kim-wates/aspirasi/",
    "downloads": "kim-wates/unduh/",
    "hub downloads": "unduh/",
}


@pytest.fixture(scope="module")
def served(sample_output: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample, rebuilt under a 127.0.0.1 address and served by a real HTTP server."""
    from tests.conftest import BUILD_DATE, ROOT, run_kimsite

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    output = tmp_path_factory.mktemp("browser") / "output"
    result = run_kimsite("build", "--config", str(ROOT / "sites.yaml"), "--output", str(output),
                         "--base-url", base, "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    server.RequestHandlerClass = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base, tmp_path_factory.mktemp("screenshots")
    server.shutdown()
    server.server_close()


def test_pages_render_at_360px_without_horizontal_overflow(served: tuple[str, Path]) -> None:
    base, shots = served
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2)
        urls = {name: base + path for name, path in PAGES.items()}
        page.goto(urls["article"])
        urls["article"] = page.locator("article.card h2 a").first.get_attribute("href")
        for name, url in urls.items():
            response = page.goto(url)
            assert response is not None and response.ok, url
            assert page.locator("h1").first.is_visible()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{name} overflows: {width}px wide at a 360px viewport ({url})"
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        page.goto(urls["dashboard"])
        assert page.evaluate("document.scripts.length") == 0
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
