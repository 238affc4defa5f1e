"""Every feed of a real build, parsed with feedparser (and json for JSON Feed)."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser


def test_site_feeds_carry_the_published_posts(tiny_output: Path) -> None:
    site = tiny_output / "kim-alpha"
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse((site / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert [e.title for e in feed.entries] == ["Panen", "Posyandu & Imunisasi <b>Balita</b>", "Berita Pertama"]
        first = feed.entries[-1]
        assert first.link == "https://kim.example.go.id/kim-alpha/2025/01/pertama/"
        assert first.id == "tag:kim.example.go.id,2025-01-10:/kim-alpha/2025/01/pertama/"
        assert first.author == "Siti Contoh"
        assert first.published.endswith(("+0700", "+07:00"))
        assert feed.feed.title == "KIM Alpha"
    rss = (site / "rss.xml").read_text()
    assert rss.count('isPermaLink="false"') == 3
    assert "<lastBuildDate>Sat, 01 Mar 2025 00:00:00 +0700</lastBuildDate>" in rss  # newest post, not now


def test_json_feed(tiny_output: Path) -> None:
    data = json.loads((tiny_output / "kim-alpha" / "feed.json").read_text())
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "https://kim.example.go.id/kim-alpha/feed.json"
    assert [i["title"] for i in data["items"]][0] == "Panen"
    assert data["items"][0]["date_published"] == "2025-03-01T00:00:00+07:00"
    assert data["items"][0]["authors"] == [{"name": "KIM Alpha"}]


def test_category_feeds_hold_only_their_category(tiny_output: Path) -> None:
    folder = tiny_output / "kim-alpha" / "kategori" / "kesehatan"
    feed = feedparser.parse((folder / "atom.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Posyandu & Imunisasi <b>Balita</b>"]
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == "https://kim.example.go.id/kim-alpha/kategori/kesehatan/atom.xml"
    assert json.loads((folder / "feed.json").read_text())["items"][0]["tags"][0] == "Kesehatan"


def test_feed_content_is_sanitised_html_with_absolute_urls(tiny_output: Path) -> None:
    feed = feedparser.parse((tiny_output / "kim-alpha" / "rss.xml").read_bytes())
    content = next(e for e in feed.entries if e.title.startswith("Posyandu")).content[0].value
    assert "<script" not in content and "onerror" not in content and "javascript:" not in content


def test_summary_feeds_by_default_carry_title_summary_and_link_but_not_the_post(sample_output: Path) -> None:
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse((sample_output / "kim-wates" / name).read_bytes())
        assert feed.entries and not feed.bozo
        for entry in feed.entries:
            assert entry.link.startswith("https://kim.kulonprogokab.example/kim-wates/")
            assert entry.summary and "content" not in entry
    items = json.loads((sample_output / "kim-wates" / "feed.json").read_text())["items"]
    assert all(i["content_text"] and "content_html" not in i for i in items)
    hub = feedparser.parse((sample_output / "atom.xml").read_bytes())
    assert hub.entries and all("content" not in e for e in hub.entries)  # the hub always links out


def test_hub_feed_entries_name_their_kim_and_village(tiny_output: Path) -> None:
    rss = feedparser.parse((tiny_output / "rss.xml").read_bytes())
    atom = feedparser.parse((tiny_output / "atom.xml").read_bytes())
    data = json.loads((tiny_output / "feed.json").read_text(encoding="utf-8"))
    alpha, beta = "KIM Alpha, Kalurahan Glagah", "KIM Beta, "
    for feed in (rss, atom):
        assert not feed.bozo and feed.entries
        for entry in feed.entries:
            kim = alpha if "/kim-alpha/" in entry.link else beta
            assert kim in entry.author and entry.source.title.startswith(kim), entry.link
        by_link = {e.link: e for e in feed.entries}
        written = by_link["https://kim.example.go.id/kim-alpha/2025/01/pertama/"]
        assert written.author == f"Siti Contoh ({alpha})"  # the writer, then the KIM and village
    rss_sources = {e.source.href for e in rss.entries}
    assert "https://kim.example.go.id/kim-alpha/rss.xml" in rss_sources  # RSS: the KIM's own feed
    assert "https://kim.example.go.id/kim-alpha/" in {e.source.link for e in atom.entries}  # Atom: its page
    for item in data["items"]:
        (author,) = item["authors"]
        kim = alpha if "/kim-alpha/" in item["url"] else beta
        assert kim in author["name"] and author["url"] in item["url"], item["url"]
    # a KIM's own feed keeps the plain writer's name: its reader knows which KIM it is
    own = feedparser.parse((tiny_output / "kim-alpha" / "atom.xml").read_bytes())
    assert "Siti Contoh" in {e.author for e in own.entries} and not any("source" in e for e in own.entries)


def _built_file(output: Path, url: str, site_url: str = "https://kim.example.go.id/") -> Path:
    assert url.startswith(site_url), url
    return output / url.removeprefix(site_url)


def test_entries_with_a_lead_photo_enclose_its_web_jpeg_with_its_real_length(tiny_output: Path) -> None:
    feeds = {name: feedparser.parse((tiny_output / name).read_bytes())
             for name in ("kim-alpha/rss.xml", "kim-alpha/atom.xml", "rss.xml", "atom.xml")}
    for name, feed in feeds.items():
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        with_photo = [e for e in feed.entries if e.get("enclosures")]
        assert with_photo, name
        for entry in with_photo:
            (enclosure,) = entry.enclosures
            photo = _built_file(tiny_output, enclosure.href)
            assert photo.is_file() and photo.read_bytes()[:3] == b"\xff\xd8\xff", (name, enclosure.href)
            assert int(enclosure.length) == photo.stat().st_size and enclosure.type == "image/jpeg", name
            assert entry.link.endswith("/") and entry.link != enclosure.href  # still the post's page
        page = (tiny_output / with_photo[0].link.removeprefix("https://kim.example.go.id/") / "index.html").read_text()
        assert with_photo[0].enclosures[0].href in page  # the photo the post shows (its fallback JPEG)
        without = [e for e in feed.entries if not e.get("enclosures")]
        assert without, name  # a post without a photo encloses nothing
    titles = {name: sorted(e.title for e in f.entries if e.get("enclosures")) for name, f in feeds.items()}
    assert titles["kim-alpha/rss.xml"] == titles["kim-alpha/atom.xml"]


def test_each_combined_feed_gives_its_entries_ids_of_its_own(tiny_output: Path) -> None:
    """A reader keying items by id across feeds (newsboat) would show a combined feed empty if
    its entries kept the KIM's ids."""
    ids = {name: {e.id for e in feedparser.parse((tiny_output / name).read_bytes()).entries}
           for name in ("atom.xml", "wilayah/temon/atom.xml", "kim-alpha/atom.xml", "kim-beta/atom.xml")}
    assert all(ids.values()), ids
    assert not ids["atom.xml"] & ids["wilayah/temon/atom.xml"]
    own = ids["kim-alpha/atom.xml"] | ids["kim-beta/atom.xml"]
    assert not (ids["atom.xml"] | ids["wilayah/temon/atom.xml"]) & own
    district = ids["wilayah/temon/atom.xml"]
    assert "tag:kim.example.go.id,2025-01-10:/wilayah/temon/:kim-alpha/2025/01/pertama/" in district
    rss = {e.id for e in feedparser.parse((tiny_output / "rss.xml").read_bytes()).entries}
    assert rss == ids["atom.xml"]  # the same item in both formats
