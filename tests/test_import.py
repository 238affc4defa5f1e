"""`kimsite import`: blogs served by a real HTTP server on 127.0.0.1 are imported into a KIM,
checked, built, and their pages, feeds, photos and old links looked at in the output."""

from __future__ import annotations

import hashlib
import http.client
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from tests.conftest import BUILD_DATE, FIXTURES, run_kimsite
from tests.regency import write_regency
from tests.servers.blog import BlogServer, run_blog_server

PHOTOS = {
    "wp-content/uploads/2021/04/panen-640x480.jpg": "JPEG",
    "wp-content/uploads/2021/04/sawah.jpg": "JPEG",
    "wp-content/uploads/2021/08/posyandu.jpg": "JPEG",
    "wp-content/uploads/2021/05/saluran.png": "PNG",
    "img/b/posyandu-s640.jpg": "JPEG",
}
SECRET = "Kamera-Rahasia-GPS-7.8123"  # a camera's metadata: must never reach the output


def _photo(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[0x010F] = SECRET  # Make
    exif[0x013B] = SECRET  # Artist
    Image.new("RGB", (900, 600), (110, 150, 60)).save(path, kind, **({"exif": exif} if kind == "JPEG" else {}))


@pytest.fixture
def blog(tmp_path: Path) -> Iterator[BlogServer]:
    served = tmp_path / "served"
    shutil.copytree(FIXTURES / "import", served)
    for rel, kind in PHOTOS.items():
        _photo(served / rel, kind)
    with run_blog_server(served, slow_seconds=3.0) as server:
        yield server


@pytest.fixture
def regency(tmp_path: Path) -> Path:
    return write_regency(tmp_path / "regency", {"kim-a": {}, "kim-b": {}})


def _import(config: Path, source: str, kim: str = "kim-a", *more: str):  # noqa: ANN202
    return run_kimsite("import", source, "--kim", kim, "--config", str(config), "--timeout", "1", *more)


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def _tree(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_wordpress_export_imports_checks_and_builds(blog: BlogServer, regency: Path) -> None:
    result = _import(regency, blog.url + "wordpress-6.wxr.xml", "kim-a", "--allow-local")
    assert result.returncode == 0, result.stderr
    assert "Impor/import (wxr): 4 berita/posts (1 draf/drafts), 1 halaman/pages, 3 foto/photos, " \
           "1 lampiran/attachments, 0 sudah ada/already imported, 6 dilewati/skipped" in result.stdout
    for reason in ("tempat sampah", "bukan tulisan atau halaman", "spam judi", "HTTP 404", "tidak menjawab dalam 1"):
        assert reason in result.stdout
    posts = regency.parent / "content" / "kim-a" / "posts"
    panen = posts / "2021-04-12-panen-raya-padi.md"
    meta = _front(panen)
    assert meta["title"] == "Panen Raya Padi di Sendangsari" and meta["author"] == "Sri Lestari"
    assert meta["date"] == "2021-04-12T09:30+07:00"  # 02:30 GMT in WIB
    assert meta["category"] == "pertanian" and meta["tags"] == ["padi", "Kegiatan Warga"]
    assert meta["old_id"] == blog.url + "?p=101" and meta["image_alt"] == "Hamparan sawah menguning"
    body = panen.read_text(encoding="utf-8").split("---\n", 2)[2]
    for gone in ("wp:", "[caption", "style", "<script", "onclick", "font-size"):
        assert gone not in body
    assert "## Hasil per petak" in body and "| Barat | 6,2 |" in body and "- Varietas Inpari 32" in body
    assert "![Petani memanen padi](2021-04-12-panen-raya-padi-1.jpg)" in body
    assert (posts / meta["image"]).is_file()
    assert _front(posts / "2021-06-01-rencana-festival-budaya-draf.md")["draft"] is True
    assert _front(posts / "2021-05-03-gotong-royong-bersih-saluran.md")["category"] == "berita"  # the default
    assert (regency.parent / "content" / "kim-a" / "pages" / "sejarah-desa.md").is_file()

    checked = run_kimsite("check", "--config", str(regency), "--build-date", BUILD_DATE)
    assert checked.returncode == 0 and "0 galat/errors, 0 peringatan/warnings" in checked.stderr, checked.stderr
    built = run_kimsite("build", "--config", str(regency), "--build-date", BUILD_DATE)
    assert built.returncode == 0, built.stderr
    _check_wordpress_output(regency.parent / "output" / "kim-a")


def _check_wordpress_output(site: Path) -> None:
    new = "https://kim.example.go.id/kim-a/2021/04/panen-raya-padi/"
    page = BeautifulSoup((site / "2021/04/panen-raya-padi/index.html").read_text(encoding="utf-8"), "html.parser")
    article = page.find("article") or page
    assert any("Hasil per petak" in h.get_text() for h in article.find_all("h2")) and article.find("table")
    assert article.find("a", href="https://pertanian.kulonprogokab.go.id/") and not page.find("script")
    assert not (site / "2021/06").exists()  # the draft stays a draft
    photos = list((site / "foto").glob("*.jpg"))
    assert photos and all(SECRET.encode() not in p.read_bytes() for p in photos)
    for photo in photos:
        with Image.open(photo) as image:
            assert not image.getexif()
    feed = feedparser.parse((site / "atom.xml").read_bytes())
    assert {e.title for e in feed.entries} >= {"Panen Raya Padi di Sendangsari", "Gotong Royong Bersih Saluran"}
    entry = next(e for e in feed.entries if e.title.startswith("Panen"))
    assert entry.link == new and entry.published.startswith("2021-04-12T09:30:00+07:00")
    redirect = BeautifulSoup((site / "2021/04/12/panen-raya-padi/index.html").read_text(encoding="utf-8"),
                             "html.parser")
    assert redirect.find("link", rel="canonical")["href"] == new
    assert redirect.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={new}"
    assert not (site / "2021/05/gotong-royong-bersih-saluran/index.html").read_text().count("http-equiv")  # same path
    htaccess = (site / ".htaccess").read_text()
    assert "RewriteCond %{QUERY_STRING} (^|&)p=101(&|$)" in htaccess and f"{new} [R=301,L,QSD]" in htaccess
    assert "page_id=104" in htaccess and "p=103" not in htaccess  # a draft has no address to keep


def test_running_the_import_again_changes_nothing(blog: BlogServer, regency: Path) -> None:
    assert _import(regency, blog.url + "wordpress-6.wxr.xml", "kim-a", "--allow-local").returncode == 0
    content = regency.parent / "content" / "kim-a"
    before = _tree(content)
    again = _import(regency, blog.url + "wordpress-6.wxr.xml", "kim-a", "--allow-local")
    assert again.returncode == 0, again.stderr
    assert "0 berita/posts" in again.stdout and "5 sudah ada/already imported" in again.stdout
    assert _tree(content) == before


def test_blogger_export_imports_with_its_old_links(blog: BlogServer, regency: Path) -> None:
    result = _import(regency, blog.url + "blogger-export.xml", "kim-b", "--allow-local")
    assert result.returncode == 0, result.stderr
    assert "Impor/import (blogger): 3 berita/posts (1 draf/drafts), 1 halaman/pages, 1 foto/photos" in result.stdout
    posts = regency.parent / "content" / "kim-b" / "posts"
    lomba = _front(posts / "2022-04-18-lomba-kebersihan-antar-rt.md")  # 23:30 UTC is the next morning in WIB
    assert lomba["date"] == "2022-04-18T06:30+07:00" and lomba["category"] == "lingkungan"
    posyandu = _front(posts / "2022-03-05-posyandu-balita-dusun-kalibondol.md")
    assert posyandu["category"] == "kesehatan" and posyandu["tags"] == ["posyandu"]
    assert "span" not in (posts / "2022-03-05-posyandu-balita-dusun-kalibondol.md").read_text()
    old = f"{blog.url}2022/03/posyandu-balita-dusun-kalibondol.html -> " \
          "https://kim.example.go.id/kim-b/2022/03/posyandu-balita-dusun-kalibondol/"
    assert old in result.stdout
    checked = run_kimsite("check", "--config", str(regency), "--build-date", BUILD_DATE)
    assert checked.returncode == 0 and "0 galat/errors, 0 peringatan/warnings" in checked.stderr, checked.stderr
    assert run_kimsite("build", "--config", str(regency), "--build-date", BUILD_DATE).returncode == 0
    site = regency.parent / "output" / "kim-b"
    slug = "posyandu-balita-dusun-kalibondol"
    for old_file, new in ((f"2022/03/{slug}.html", f"2022/03/{slug}/"), ("p/tentang-kami.html", "tentang-kami/")):
        soup = BeautifulSoup((site / old_file).read_text(encoding="utf-8"), "html.parser")
        assert soup.find("link", rel="canonical")["href"] == f"https://kim.example.go.id/kim-b/{new}"
        assert (site / new / "index.html").is_file()
    assert not (site / "2022/05").exists()  # the draft


def test_a_plain_feed_imports_without_its_spam(blog: BlogServer, regency: Path) -> None:
    result = _import(regency, blog.url + "umpan/kim-luar.rss.xml", "kim-a", "--allow-local")
    assert result.returncode == 0, result.stderr
    assert "Impor/import (feed): 5 berita/posts" in result.stdout and "spam judi" in result.stdout
    posts = regency.parent / "content" / "kim-a" / "posts"
    assert _front(posts / "2026-11-20-pelatihan-jurnalistik-warga.md")["category"] == "pendidikan"
    checked = run_kimsite("check", "--config", str(regency), "--build-date", BUILD_DATE)
    assert checked.returncode == 0 and "0 galat/errors" in checked.stderr, checked.stderr


@pytest.mark.parametrize(("path", "message"), [
    ("loop", "dialihkan"), ("slow/wordpress-6.wxr.xml", "tidak menjawab dalam 1 detik"),
    ("umpan/rusak.xml", "XML rusak"), ("gone/x.xml", "HTTP 404"),
])
def test_a_source_that_cannot_be_read_is_refused_with_the_reason(blog: BlogServer, regency: Path, path: str,
                                                                 message: str) -> None:
    result = _import(regency, blog.url + path, "kim-a", "--allow-local")
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not list((regency.parent / "content" / "kim-a" / "posts").glob("*.md"))


def test_a_redirected_source_is_followed(blog: BlogServer, regency: Path) -> None:
    result = _import(regency, blog.url + "redirect/blogger-export.xml", "kim-b", "--allow-local")
    assert result.returncode == 0 and "3 berita/posts" in result.stdout, result.stderr


def test_local_addresses_are_refused_without_allow_local(blog: BlogServer, regency: Path) -> None:
    result = _import(regency, blog.url + "wordpress-6.wxr.xml", "kim-a")
    assert result.returncode == 2 and "jaringan lokal/privat; ditolak" in result.stderr
    assert not blog.requests  # refused before connecting


def test_photos_on_local_addresses_are_refused_from_a_file_export(blog: BlogServer, regency: Path,
                                                                  tmp_path: Path) -> None:
    export = tmp_path / "export.xml"
    export.write_bytes((FIXTURES / "import" / "wordpress-6.wxr.xml").read_bytes()
                       .replace(b"@@BASE@@", blog.url.rstrip("/").encode()))
    result = _import(regency, str(export), "kim-a")
    assert result.returncode == 0, result.stderr
    assert "0 foto/photos" in result.stdout and "jaringan lokal/privat" in result.stdout and not blog.requests
    checked = run_kimsite("check", "--config", str(regency), "--build-date", BUILD_DATE)
    assert checked.returncode == 0 and "0 galat/errors" in checked.stderr, checked.stderr


def test_xml_entities_are_refused(regency: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    '<rss version="2.0"><channel><title>&b;</title></channel></rss>')
    result = _import(regency, str(bomb))
    assert result.returncode == 2 and "DTD atau ENTITY" in result.stderr


def test_old_wordpress_query_links_redirect_on_nginx(blog: BlogServer, regency: Path, tmp_path: Path,
                                                      nginx_server) -> None:  # noqa: ANN001 - a fixture factory
    nginx_map = tmp_path / "redirects.conf"
    result = _import(regency, blog.url + "wordpress-6.wxr.xml", "kim-a", "--allow-local", "--nginx-map",
                     str(nginx_map))
    assert result.returncode == 0, result.stderr
    assert run_kimsite("build", "--config", str(regency), "--build-date", BUILD_DATE).returncode == 0
    site = regency.parent / "output" / "kim-a"
    server = nginx_server(site, http_extra=nginx_map.read_text(),
                          server_extra="location = / { if ($kimsite_old) { return 301 $kimsite_old; } "
                                       "try_files $uri $uri/ =404; }")
    listed = re.findall(r"^  (\S+) -> (\S+)$", result.stdout, re.M)
    assert len(listed) == 6
    working = 0
    for old, new in listed:
        parts = urlsplit(old)
        conn = http.client.HTTPConnection(urlsplit(server.base_url).netloc, timeout=5)
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        answer = conn.getresponse()
        body = answer.read().decode("utf-8", "replace")
        conn.close()
        moved = answer.status == 301 and answer.getheader("Location") == new  # ?p=123: the nginx map
        page = answer.status == 200 and f'url={new}"' in body  # an old path: its redirect page
        working += moved or page
    assert working == len(listed)


def test_old_query_links_move_on_in_a_browser_on_a_host_without_rewrite_rules(blog: BlogServer, regency: Path) -> None:
    """An S3 bucket or GitHub Pages serves the home page for /?p=101: its one-line script finds
    the post in lama.json and moves on. Checked in Debian's Chromium against a plain file server."""
    import functools
    import http.server
    import os
    import threading

    chromium = shutil.which("chromium")
    if chromium is None and not os.environ.get("KIMSITE_REQUIRE_BROWSER"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    assert _import(regency, blog.url + "wordpress-6.wxr.xml", "kim-a", "--allow-local").returncode == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    built = run_kimsite("build", "--config", str(regency), "--build-date", BUILD_DATE, "--base-url", base,
                        "--output", str(regency.parent / "served"))
    assert built.returncode == 0, built.stderr
    server.RequestHandlerClass = functools.partial(http.server.SimpleHTTPRequestHandler,
                                                   directory=str(regency.parent / "served"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(base + "kim-a/?p=101")
            page.wait_for_url(base + "kim-a/2021/04/panen-raya-padi/", timeout=10000)
            assert page.locator("h1").inner_text() == "Panen Raya Padi di Sendangsari"
            page.goto(base + "kim-a/?p=999")  # not an old post: the home page stays
            page.wait_for_timeout(500)
            assert page.url == base + "kim-a/?p=999"
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
