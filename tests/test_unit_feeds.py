"""Unit tests of kimsite.site.feeds: RSS, Atom and JSON Feed from FeedEntry lists, parsed back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest

from kimsite.site.feeds import FeedEntry, FeedSpec, OpmlSite, render_feeds, render_opml, tag_uri

ROOT = Path(__file__).resolve().parent.parent
WIB = ZoneInfo("Asia/Jakarta")
SITE = "https://kim.example/kim-a/"


def spec(limit: int = 20) -> FeedSpec:
    return FeedSpec(title="KIM A", description="Berita KIM A", home_url=SITE, base_url=SITE,
                    language="id", author="KIM A", limit=limit)


def entry(day: int, hour: int = 9, title: str | None = None) -> FeedEntry:
    when = datetime(2025, 3, day, hour, 30, tzinfo=WIB)
    path = f"2025/03/p{day:02d}/"
    return FeedEntry(id=tag_uri(SITE, when, path), title=title or f"Berita {day}", url=SITE + path, date=when,
                     author="Siti", summary=f"Ringkasan {day}.", content_html=f"<p>Isi {day} &amp; lain.</p>",
                     category=("pertanian", "Pertanian"), tags=("panen",),
                     image_url=SITE + f"foto/p{day}.jpg" if day % 2 else None)


ENTRIES = [entry(3), entry(14), entry(7)]  # deliberately not in date order


@pytest.fixture(scope="module")
def feeds() -> dict[str, bytes]:
    return render_feeds(spec(), ENTRIES)


def parsed(data: bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


# --------------------------------------------------------------------------- tag URIs

def test_tag_uri_format() -> None:
    when = datetime(2025, 3, 14, 9, 30, tzinfo=WIB)
    assert tag_uri(SITE, when, "2025/03/panen/") == "tag:kim.example,2025-03-14:/kim-a/2025/03/panen/"


def test_tag_uri_on_own_domain_drops_port_and_scheme() -> None:
    when = datetime(2025, 1, 2, tzinfo=WIB)
    assert tag_uri("http://kimb.example:8080/", when, "x/") == "tag:kimb.example,2025-01-02:/x/"


def test_tag_uri_uses_the_date_of_the_given_timezone() -> None:
    late_evening_utc = datetime(2025, 3, 13, 20, 0, tzinfo=UTC)  # already 14 March in WIB
    assert tag_uri(SITE, late_evening_utc.astimezone(WIB), "p/").startswith("tag:kim.example,2025-03-14:")


# --------------------------------------------------------------------------- RSS

def test_rss_guid_is_not_a_permalink(feeds: dict[str, bytes]) -> None:
    root = ET.fromstring(feeds["rss.xml"])
    guids = root.findall("./channel/item/guid")
    assert len(guids) == 3
    assert all(g.get("isPermaLink") == "false" for g in guids)
    assert guids[0].text == "tag:kim.example,2025-03-14:/kim-a/2025/03/p14/"


def test_rss_entries_newest_first(feeds: dict[str, bytes]) -> None:
    assert [e.title for e in parsed(feeds["rss.xml"]).entries] == ["Berita 14", "Berita 7", "Berita 3"]


def test_rss_updated_is_newest_entry_not_now(feeds: dict[str, bytes]) -> None:
    root = ET.fromstring(feeds["rss.xml"])
    assert root.findtext("./channel/lastBuildDate") == "Fri, 14 Mar 2025 09:30:00 +0700"
    feed = parsed(feeds["rss.xml"])
    assert tuple(feed.feed.updated_parsed)[:6] == (2025, 3, 14, 2, 30, 0)  # feedparser gives UTC


def test_rss_entry_fields(feeds: dict[str, bytes]) -> None:
    first = parsed(feeds["rss.xml"]).entries[0]
    assert first.link == SITE + "2025/03/p14/"
    assert first.id == "tag:kim.example,2025-03-14:/kim-a/2025/03/p14/"
    assert first.author == "Siti"
    assert first.summary == "Ringkasan 14."
    assert first.content[0].value == "<p>Isi 14 &amp; lain.</p>"
    assert first.tags[0].term == "Pertanian"
    assert first.published == "Fri, 14 Mar 2025 09:30:00 +0700"


def test_rss_channel_links_home_and_self(feeds: dict[str, bytes]) -> None:
    root = ET.fromstring(feeds["rss.xml"])
    assert root.findtext("./channel/link") == SITE
    atom_self = root.find("./channel/{http://www.w3.org/2005/Atom}link")
    assert (atom_self.get("rel"), atom_self.get("href")) == ("self", SITE + "rss.xml")
    assert root.findtext("./channel/language") == "id"


# --------------------------------------------------------------------------- Atom

def test_atom_updated_is_newest_entry(feeds: dict[str, bytes]) -> None:
    root = ET.fromstring(feeds["atom.xml"])
    assert root.findtext("{http://www.w3.org/2005/Atom}updated") == "2025-03-14T09:30:00+07:00"


def test_atom_entries_and_links(feeds: dict[str, bytes]) -> None:
    feed = parsed(feeds["atom.xml"])
    assert [e.id for e in feed.entries] == [e.id for e in sorted(ENTRIES, key=lambda e: e.date, reverse=True)]
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"alternate": SITE, "self": SITE + "atom.xml"}
    assert feed.entries[0].content[0].value == "<p>Isi 14 &amp; lain.</p>"


# --------------------------------------------------------------------------- JSON Feed

def test_an_entry_with_a_photo_of_known_length_encloses_it_in_rss_and_atom() -> None:
    import dataclasses

    photo = dataclasses.replace(entry(3), image_length=19_634)  # its image_url: foto/p3.jpg
    unknown = entry(7)  # a photo without a known length: not enclosed (RSS wants the length)
    data = render_feeds(spec(), [photo, unknown, entry(14)])
    rss = ET.fromstring(data["rss.xml"])
    (enclosure,) = rss.findall("./channel/item/enclosure")
    assert enclosure.attrib == {"url": SITE + "foto/p3.jpg", "length": "19634", "type": "image/jpeg"}
    atom = ET.fromstring(data["atom.xml"])
    links = [link.attrib for link in atom.iter("{http://www.w3.org/2005/Atom}link") if link.get("rel") == "enclosure"]
    assert links == [{"rel": "enclosure", "href": SITE + "foto/p3.jpg", "type": "image/jpeg", "length": "19634"}]
    for name in ("rss.xml", "atom.xml"):
        by_title = {e.title: e for e in parsed(data[name]).entries}
        assert by_title["Berita 3"].link == SITE + "2025/03/p03/"  # the page stays the entry's link
        assert by_title["Berita 3"].enclosures[0].length == "19634"
        assert not by_title["Berita 7"].get("enclosures") and not by_title["Berita 14"].get("enclosures")


def test_json_feed_version_and_items(feeds: dict[str, bytes]) -> None:
    data = json.loads(feeds["feed.json"])
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == SITE + "feed.json"
    assert data["home_page_url"] == SITE
    assert [i["title"] for i in data["items"]] == ["Berita 14", "Berita 7", "Berita 3"]
    first = data["items"][0]
    assert first["id"] == "tag:kim.example,2025-03-14:/kim-a/2025/03/p14/"
    assert first["date_published"] == "2025-03-14T09:30:00+07:00"
    assert first["authors"] == [{"name": "Siti"}]
    assert first["tags"] == ["Pertanian", "panen"]
    assert "image" not in first
    assert data["items"][1]["image"] == SITE + "foto/p7.jpg"


def test_json_feed_keeps_non_ascii_text() -> None:
    data = render_feeds(spec(), [entry(3, title="Kabar Désa – “Panen”")])["feed.json"]
    assert "Kabar Désa – “Panen”".encode() in data
    assert json.loads(data)["items"][0]["title"] == "Kabar Désa – “Panen”"


# --------------------------------------------------------------------------- limit, order, determinism

def test_limit_keeps_the_newest() -> None:
    entries = [entry(day) for day in range(1, 11)]
    out = render_feeds(spec(limit=3), entries)
    assert [e.title for e in parsed(out["rss.xml"]).entries] == ["Berita 10", "Berita 9", "Berita 8"]
    assert [e.title for e in parsed(out["atom.xml"]).entries] == ["Berita 10", "Berita 9", "Berita 8"]
    assert len(json.loads(out["feed.json"])["items"]) == 3


def test_same_time_entries_have_a_stable_order() -> None:
    a, b = entry(5, title="A"), entry(5, title="B")
    b = FeedEntry(**{**b.__dict__, "id": b.id + "b"})
    first = render_feeds(spec(), [a, b])
    second = render_feeds(spec(), [b, a])
    assert first == second


def test_two_renders_are_byte_identical() -> None:
    first = render_feeds(spec(), list(ENTRIES))
    second = render_feeds(spec(), list(reversed(ENTRIES)))
    assert set(first) == {"rss.xml", "atom.xml", "feed.json"}
    for name in first:
        assert first[name] == second[name], name


def test_empty_feed_is_valid() -> None:
    out = render_feeds(spec(), [])
    assert parsed(out["rss.xml"]).entries == []
    assert json.loads(out["feed.json"])["items"] == []


EMPTY_FEED_SCRIPT = """
import sys
from kimsite.site.feeds import FeedSpec, render_feeds
out = render_feeds(FeedSpec("t", "d", "https://x.example/", "https://x.example/", "id", "a"), [])
sys.stdout.buffer.write(out["atom.xml"] + out["rss.xml"])
"""


def _empty_feed_in(tz: str) -> bytes:
    env = {**os.environ, "TZ": tz}
    result = subprocess.run([sys.executable, "-c", EMPTY_FEED_SCRIPT], cwd=ROOT, env=env,
                            capture_output=True, check=True, timeout=60)
    return result.stdout


def test_empty_feed_does_not_depend_on_machine_timezone() -> None:
    assert _empty_feed_in("UTC") == _empty_feed_in("Asia/Jakarta")


# --------------------------------------------------------------------------- OPML

def test_opml_lists_one_feed_per_site_grouped() -> None:
    data = render_opml("KIM & Kulon Progo", [OpmlSite("Portal (semua KIM)", "https://hub.example/", ""),
                                              OpmlSite("Temon (semua KIM)", "https://hub.example/wilayah/temon/",
                                                       "Temon"),
                                              OpmlSite("KIM A", SITE, "Temon"),
                                              OpmlSite('KIM "B"', "https://kimb.example/", "Wates",
                                                       "https://blog.example/feed/")])
    root = ET.fromstring(data)
    assert root.findtext("./head/title") == "KIM & Kulon Progo"
    top = root.findall("./body/outline")
    assert top[0].get("xmlUrl") == "https://hub.example/atom.xml"  # the regency's own feed, outside the groups
    groups = top[1:]
    assert [g.get("text") for g in groups] == ["Temon", "Wates"]
    assert all(g.get("xmlUrl") is None for g in groups)
    assert [o.get("xmlUrl") for o in groups[0]] == ["https://hub.example/wilayah/temon/atom.xml", SITE + "atom.xml"]
    assert [(o.get("text"), o.get("xmlUrl")) for o in groups[1]] == [('KIM "B"', "https://blog.example/feed/")]
    assert {o.get("type") for o in root.iter("outline") if o.get("xmlUrl")} == {"rss"}
    assert not any("feed.json" in (o.get("xmlUrl") or "") for o in root.iter("outline"))
