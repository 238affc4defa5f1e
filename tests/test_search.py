"""The regency's one search, in Debian's Chromium over real servers on 127.0.0.1: the hub finds
the posts of every KIM (one on its own domain, at its own address, included), each result names
its KIM and village, a KIM's search stays on its own posts, excerpts carry no byline and no "#"."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

from tests.conftest import BUILD_DATE, ROOT, run_kimsite
from tests.test_browser import CHROMIUM, FLAGS

OWN = "kim-gerbosari"  # on its own domain in the sample (sites.yaml: url)


def _server(root: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def regency(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """The sample built for a hub at 127.0.0.1 and its own-domain KIM at `localhost` (another
    site to the browser), each served by its own HTTP server: (hub URL, own URL, output)."""
    work = tmp_path_factory.mktemp("search")
    output = work / "output"
    output.mkdir()
    hub, own = _server(output), _server(output / OWN)  # the own site's folder is served once built
    hub_url, own_url = f"http://127.0.0.1:{hub.server_address[1]}/", f"http://localhost:{own.server_address[1]}/"
    for folder in ("content", "data", "themes"):  # the sample's files, under the copied config
        shutil.copytree(ROOT / folder, work / folder)
    text = (ROOT / "sites.yaml").read_text(encoding="utf-8")
    text = text.replace("https://kim.kulonprogokab.example/", hub_url).replace("https://kimgerbosari.example/", own_url)
    (work / "sites.yaml").write_text(text, encoding="utf-8")
    result = run_kimsite("build", "--config", str(work / "sites.yaml"), "--output", str(output),
                         "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    yield hub_url, own_url, output
    for server in (hub, own):
        server.shutdown()
        server.server_close()


def _search(url: str, term: str) -> list[dict[str, str]]:
    """The results a reader sees after typing `term` on the search page at `url`."""
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(url)
        page.fill("#cari-q", term)
        page.wait_for_selector("#cari-hasil li a", timeout=20_000)
        page.wait_for_timeout(500)  # every result on screen has its data
        assert not page.is_visible("#tanpa-js")  # the no-JavaScript note hides once search runs
        results = page.locator("#cari-hasil li.hasil").evaluate_all(
            "els => els.map(e => ({href: e.querySelector('a').href, title: e.querySelector('a').textContent,"
            " meta: e.querySelector('.meta').textContent, excerpt: e.querySelector('p:last-child').textContent}))")
        browser.close()
    return results


def test_the_hub_finds_a_post_of_a_kim_on_its_own_domain_at_its_address(regency: tuple[str, str, Path]) -> None:
    hub_url, own_url, _output = regency
    results = _search(hub_url + "cari/", "homestay")
    own = [r for r in results if r["href"].startswith(own_url)]
    assert own, results
    assert any("Gerbosari" in r["meta"] for r in own)  # its KIM and village named


def test_results_name_kim_and_village_and_excerpts_carry_no_byline(regency: tuple[str, str, Path]) -> None:
    hub_url, _own_url, output = regency
    results = _search(hub_url + "cari/", "mangrove")
    assert {r["href"].removeprefix(hub_url).split("/")[0] for r in results} >= {"kim-jangkaran"}
    for result in results:
        kim_name, village = result["meta"].split(" · ")
        assert kim_name.startswith("KIM ") and village
        assert "#" not in result["excerpt"] and "Oleh" not in result["excerpt"] and result["excerpt"].strip()
        page = BeautifulSoup((output / result["href"].removeprefix(hub_url) / "index.html").read_text("utf-8"),
                             "html.parser")
        assert page.h1.get_text(strip=True) == result["title"]


def test_a_kims_search_finds_only_its_own_posts(regency: tuple[str, str, Path]) -> None:
    hub_url, own_url, _output = regency
    everywhere = _search(hub_url + "cari/", "warga")
    assert len({r["href"].removeprefix(hub_url).split("/")[0] for r in everywhere}) > 1
    mine = _search(hub_url + "kim-wates/cari/", "warga")
    assert mine and all(r["href"].startswith(hub_url + "kim-wates/") for r in mine)
    own = _search(own_url + "cari/", "homestay")  # its own small index, on its own domain
    assert own and all(r["href"].startswith(own_url) for r in own)
    assert all("#" not in r["excerpt"] and "Oleh" not in r["excerpt"] for r in own)
