"""KIMs that publish elsewhere join the hub by their feeds (`kims[].feed`), fetched from a real
HTTP server on 127.0.0.1: good feeds, one behind a redirect, one too slow, one malformed, one
gone, one redirecting forever, one too big. The build never fails for them; `--offline` builds
from the cache alone, byte for byte the same."""

from __future__ import annotations

import csv
import hashlib
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.conftest import BUILD_DATE, FIXTURES, run_kimsite
from tests.regency import write_regency
from tests.servers.blog import BlogServer, run_blog_server

EXTERNAL = {  # slug → (village code, path on the server)
    "kim-tuksono": ("34.01.02.1008", "umpan/kim-luar.rss.xml"),
    "kim-kembang": ("34.01.01.2002", "redirect/umpan/kim-atom.xml"),
    "kim-rusak": ("34.01.01.2003", "umpan/rusak.xml"),
    "kim-lambat": ("34.01.01.2005", "slow/umpan/kim-atom.xml"),
    "kim-hilang": ("34.01.01.2006", "gone/umpan/kim-atom.xml"),
    "kim-putar": ("34.01.01.2007", "loop"),
    "kim-besar": ("34.01.01.2008", "big"),
}
LOCAL_POST = "---\ntitle: Berita Glagah\ndate: 2026-11-10 08:00\ncategory: berita\n---\n\nIsi berita.\n"


@pytest.fixture
def blog(tmp_path: Path) -> Iterator[BlogServer]:
    served = tmp_path / "served"
    shutil.copytree(FIXTURES / "import", served)
    with run_blog_server(served, slow_seconds=3.0) as server:
        yield server


@pytest.fixture
def regency(tmp_path: Path, blog: BlogServer) -> Path:
    config = write_regency(tmp_path / "regency", {"kim-glagah": {"posts/2026-11-10-berita-glagah.md": LOCAL_POST}})
    kims = "".join(f"  - slug: {slug}\n    name: KIM {slug[4:].title()}\n    village_code: \"{code}\"\n"
                   f"    feed: {blog.url}{path}\n" for slug, (code, path) in EXTERNAL.items())
    hub = "hub:\n  per_kim_cap: 2\n  feed_timeout: 1\n  feed_max_kb: 64\n  feed_allow_local: true\n"
    config.write_text(config.read_text() + kims + hub)
    return config


def _build(config: Path, *more: str):  # noqa: ANN202
    return run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE, *more)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _status_rows(output: Path) -> dict[str, list[str]]:
    rows = _soup(output / "status-umpan/index.html").select("tbody tr")
    return {row["id"].removeprefix("umpan-"): [td.get_text(" ", strip=True) for td in row.find_all("td")]
            for row in rows}


def test_external_kims_appear_in_the_hub_and_bad_feeds_never_fail_the_build(blog: BlogServer,
                                                                             regency: Path) -> None:
    result = _build(regency)
    assert result.returncode == 0, result.stderr
    for slug in ("kim-rusak", "kim-lambat", "kim-hilang", "kim-putar", "kim-besar"):
        assert f"{blog.url}{EXTERNAL[slug][1]} [feed]: peringatan/warning: umpan KIM" in result.stderr
    output = regency.parent / "output"
    tuksono = f"{blog.url}tuksono/2026/11/"
    home = _soup(output / "index.html")
    links = [a["href"] for a in home.select("article h2 a")]
    assert f"{tuksono}pelatihan-jurnalistik/" in links and sum(tuksono in u for u in links) == 2  # per-KIM cap
    assert "situs sendiri, lewat umpan" in home.get_text()
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "alert(" not in text and "onerror" not in text and "slot gacor" not in text.lower()
    with (regency.parent / "reports/spam.csv").open(encoding="utf-8") as report:
        assert any(row[1] == f"{tuksono}promo/" for row in csv.reader(report))
    directory = _soup(output / "direktori/index.html").get_text(" ", strip=True)
    assert all(f"KIM {slug[4:].title()}" in directory for slug in EXTERNAL)
    assert "Wates" in _soup(output / "cakupan/index.html").get_text()
    assert "Pelatihan Jurnalistik Warga" in _soup(output / "wilayah/wates/index.html").get_text()
    assert "KIM Tuksono" in _soup(output / "dasbor/index.html").get_text()
    opml = [o.get("xmlUrl") for o in ET.parse(output / "opml.xml").iter("outline")]
    assert f"{blog.url}umpan/kim-luar.rss.xml" in opml and "https://kim.example.go.id/kim-glagah/atom.xml" in opml
    assert opml.count(f"{blog.url}umpan/kim-luar.rss.xml") == 1  # an external KIM: its own feed, once
    atom = feedparser.parse((output / "atom.xml").read_bytes())
    entry = next(e for e in atom.entries if e.title == "Bantuan Bibit Kelapa")  # 18:30 UTC: the next day in WIB
    assert entry.link == f"{tuksono}bibit-kelapa/" and entry.published.startswith("2026-11-18T01:30:00+07:00")
    rss = feedparser.parse((output / "wilayah/wates/rss.xml").read_bytes())
    assert not rss.bozo and "Pelatihan Jurnalistik Warga" in {e.title for e in rss.entries}
    rows = _status_rows(output)
    assert rows["kim-tuksono"][2:4] == ["200", "5"] and rows["kim-kembang"][2:4] == ["200", "1"]
    assert rows["kim-hilang"][2] == "404" and "HTTP 404" in rows["kim-hilang"][5]
    assert "tidak menjawab dalam 1 detik" in rows["kim-lambat"][5] and "dialihkan" in rows["kim-putar"][5]
    assert "bukan umpan RSS/Atom" in rows["kim-rusak"][5] and "batas 65536 byte" in rows["kim-besar"][5]


def test_feeds_are_fetched_conditionally_and_the_last_good_copy_stays(blog: BlogServer, regency: Path) -> None:
    assert _build(regency).returncode == 0
    feed_path = "/umpan/kim-luar.rss.xml"
    assert _build(regency).returncode == 0
    second = blog.hits(feed_path)[-1]
    assert second.get("If-None-Match") and second.get("If-Modified-Since")
    output = regency.parent / "output"
    assert _status_rows(output)["kim-tuksono"][2:4] == ["304", "5"]
    (blog.root / feed_path.lstrip("/")).write_text("<rss><channel><item>broken")  # the blog breaks
    broken = _build(regency)
    assert broken.returncode == 0 and f"{blog.url}umpan/kim-luar.rss.xml [feed]" in broken.stderr
    assert "Pelatihan Jurnalistik Warga" in _soup(output / "index.html").get_text()  # last good entries
    row = _status_rows(output)["kim-tuksono"]
    assert row[2:4] == ["200", "5"] and "bukan umpan RSS/Atom" in row[5] and row[4] != "belum ada"


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))  # kimsite's own records (.kimsite-*) are never published
            if p.is_file() and not any(part.startswith(".kimsite") for part in p.relative_to(folder).parts)}


def test_offline_builds_use_the_cache_only_and_are_byte_identical(blog: BlogServer, regency: Path,
                                                                  tmp_path: Path) -> None:
    assert _build(regency).returncode == 0  # fills the cache
    before = len(blog.requests)
    one, two = tmp_path / "one", tmp_path / "two"
    for output in (one, two):
        result = _build(regency, "--offline", "--output", str(output))
        assert result.returncode == 0, result.stderr
    assert len(blog.requests) == before  # nothing fetched
    assert _tree(one) == _tree(two)
    assert "Festival Jathilan" in _soup(one / "index.html").get_text()


def test_an_offline_build_without_a_cache_warns_and_builds(regency: Path, blog: BlogServer) -> None:
    result = _build(regency, "--offline")
    assert result.returncode == 0 and "tanpa jaringan (--offline) dan belum ada salinan" in result.stderr
    assert not blog.requests
    assert "KIM Tuksono" in _soup(regency.parent / "output/direktori/index.html").get_text()


def test_a_feed_on_a_local_address_is_refused_without_feed_allow_local(regency: Path, blog: BlogServer) -> None:
    regency.write_text(regency.read_text().replace("  feed_allow_local: true\n", ""))
    result = _build(regency)
    assert result.returncode == 0 and "jaringan lokal/privat; ditolak" in result.stderr and not blog.requests
