"""404 pages: one per KIM site and one for the hub, in the site's style, noindex, with search
and home links that work from any depth, and in no sitemap, feed or search index."""

from __future__ import annotations

import gzip
import http.client
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import invariants
from tests.invariants import soup
from tests.servers import NginxServer

HUB = "https://kim.example.go.id/"


def error_pages(output: Path) -> dict[str, Path]:
    """Site URL → its 404.html, for every site in the output."""
    return {url: folder / "404.html" for url, folder in invariants.site_urls(output).items()}


def test_every_site_has_a_404_page(tiny_output: Path) -> None:
    pages = error_pages(tiny_output)
    assert set(pages) == {HUB, HUB + "kim-alpha/", "https://kimbeta.example/"}  # kim-beta: its own domain
    assert all(p.is_file() for p in pages.values())


@pytest.mark.parametrize("site", ["", "kim-alpha/"])
def test_404_page_looks_like_its_site_and_leads_back(tiny_output: Path, site: str) -> None:
    page, home = soup(tiny_output / site / "404.html"), soup(tiny_output / site / "index.html")
    assert page.find("html")["lang"] == "id"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("link", rel="canonical") is None  # it is served at whatever address was dead
    assert page.find("meta", property="og:url") is None
    style = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert style == [link["href"] for link in home.find_all("link", rel="stylesheet")]  # the site's own theme
    assert page.select_one("header.site nav") is not None and page.select_one("footer.site") is not None
    assert page.find("h1").get_text() == "Halaman tidak ditemukan"
    links = {a.get_text(): a["href"] for a in page.select("main a")}
    assert links["Cari berita"] == HUB + site + "cari/"
    assert links["Kembali ke beranda"] == HUB + site
    # shown at /kim-alpha/any/depth/: every link, stylesheet and image must be absolute
    refs = [a["href"] for a in page.find_all("a", href=True) if not a["href"].startswith("#")]
    refs += [link["href"] for link in page.find_all("link", href=True) if not link["href"].startswith("data:")]
    assert all(r.startswith("https://") for r in refs), [r for r in refs if not r.startswith("https://")]
    assert len(gzip.compress((tiny_output / site / "404.html").read_bytes())) < 14 * 1024


def test_404_pages_are_in_no_sitemap_feed_or_search_index(tiny_output: Path) -> None:
    for name in ("sitemap*.xml", "rss.xml", "atom.xml", "feed.json"):
        for path in tiny_output.rglob(name):
            assert "404.html" not in path.read_text(encoding="utf-8"), path
    assert "data-pagefind-body" not in (tiny_output / "kim-alpha" / "404.html").read_text(encoding="utf-8")


def test_404_pages_pass_the_invariants(tiny_output: Path) -> None:
    checked = [p for p in invariants.pages(tiny_output) if p.name == "404.html"]
    assert len(checked) == 3
    assert invariants.check_all(tiny_output) == []


def _get(server: NginxServer, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(server.base_url.split("//")[1].rstrip("/"), timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_nginx_wired_as_the_readme_says_shows_each_sites_404_page(
        nginx_server: Callable[..., NginxServer], tiny_output: Path) -> None:
    # the README's "The 404 pages" lines for nginx: one for the hub, one per KIM location
    server = nginx_server(tiny_output, server_extra="error_page 404 /404.html;\n"
                          "        location /kim-alpha/ { error_page 404 /kim-alpha/404.html; }")
    status, body = _get(server, "/kim-alpha/2025/01/tidak-ada/")
    assert status == 404 and "<title>Halaman tidak ditemukan · KIM Alpha</title>" in body
    status, body = _get(server, "/berita-lama.html")
    assert status == 404 and "<title>Halaman tidak ditemukan · Portal KIM" in body
    status, _ = _get(server, "/kim-alpha/")
    assert status == 200
