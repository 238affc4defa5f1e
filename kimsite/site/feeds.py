"""RSS 2.0, Atom and JSON Feed 1.1 from the content models: the only importer of feedgen.

Deterministic: a feed's updated date is its newest entry's, never "now". Entry ids
are tag URIs (RFC 4151) made from the site's host, the post's date and its path, so
they survive a change of domain scheme or theme; the RSS guid says isPermaLink="false".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator

GENERATOR = "kimsite"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
QUOTE = {'"': "&quot;"}


@dataclass(frozen=True)
class FeedSource:
    """Where an entry of a combined feed comes from: RSS and Atom `<source>`, JSON Feed's author URL."""
    name: str  # the KIM and its village
    feed_url: str
    home_url: str


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    url: str
    date: datetime
    author: str
    summary: str
    content_html: str
    category: tuple[str, str]  # (slug, name)
    tags: tuple[str, ...] = ()
    image_url: str | None = None
    image_length: int = 0  # bytes of the JPEG at image_url: with it, the photo is the entry's enclosure
    source: FeedSource | None = None  # the KIM, in combined feeds
    updated: datetime | None = None  # last edited, when the writer says so


@dataclass(frozen=True)
class FeedSpec:
    title: str
    description: str
    home_url: str  # the page the feed belongs to
    base_url: str  # folder where rss.xml, atom.xml and feed.json are published
    language: str
    author: str
    limit: int = 20
    full_content: bool = True  # False: a summary and a link, as Pelican's and Hugo's default feeds

    def url(self, name: str) -> str:
        return self.base_url + name


def tag_uri(site_url: str, when: datetime, path: str) -> str:
    host = urlsplit(site_url).hostname or "localhost"
    return f"tag:{host},{when:%Y-%m-%d}:{urlsplit(site_url).path}{path}"


class _AtomEnclosure(BaseEntryExtension):
    """An Atom entry's `<link rel="enclosure">`: feedgen 1.0 writes an entry's links with their
    href alone (rel, type and length are lost), so this one is added as an entry extension."""

    def __init__(self) -> None:
        self.attributes: dict[str, str] = {}

    def extend_atom(self, entry):  # noqa: ANN001, ANN201 - feedgen's lxml element
        if self.attributes:
            entry.append(entry.makeelement("link", self.attributes))
        return entry


def _enclose(fe, entry: FeedEntry, rss: bool) -> None:  # noqa: ANN001 - feedgen's FeedEntry
    """The lead photo (its web JPEG) as the entry's enclosure, with its real length."""
    if not (entry.image_url and entry.image_length):
        return
    if rss:
        fe.enclosure(entry.image_url, entry.image_length, "image/jpeg")
        return
    fe.register_extension("kim_enclosure", _AtomEnclosure, atom=True, rss=False)
    fe.kim_enclosure.attributes = {"rel": "enclosure", "href": entry.image_url, "type": "image/jpeg",
                               "length": str(entry.image_length)}


def _generator(spec: FeedSpec, entries: list[FeedEntry], content_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(spec.home_url)
    fg.title(spec.title)
    fg.description(spec.description)
    fg.subtitle(spec.description)
    fg.author({"name": spec.author})
    fg.language(spec.language)
    fg.generator(GENERATOR)
    never = datetime(2000, 1, 1, tzinfo=UTC)  # not the machine's zone
    newest = max((e.updated or e.date for e in entries), default=never)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.guid(entry.id, permalink=False)
        fe.title(entry.title)
        fe.link(href=entry.url, rel="alternate")
        fe.published(entry.date)
        fe.updated(entry.updated or entry.date)
        fe.author({"name": entry.author})
        rss = content_type == "CDATA"
        if rss:  # RSS's <author> wants an e-mail address: the name goes in dc:creator (Atom's author has it)
            fe.dc.dc_creator(entry.author)
        fe.summary(entry.summary or entry.title)
        if spec.full_content and entry.content_html:
            fe.content(entry.content_html, type=content_type)
        fe.category(term=entry.category[0], label=entry.category[1])
        _enclose(fe, entry, rss)
        if entry.source:  # RSS: the source's feed; Atom: its page (a <link> without rel is the alternate)
            fe.source(url=entry.source.feed_url if rss else entry.source.home_url, title=entry.source.name)
    return fg


def render_rss(spec: FeedSpec, entries: list[FeedEntry]) -> bytes:
    fg = _generator(spec, entries, "CDATA")
    fg.link(href=spec.url("rss.xml"), rel="self", type="application/rss+xml")
    fg.link(href=spec.home_url, rel="alternate")  # RSS <link> is the last one added
    return fg.rss_str(pretty=False)


def render_atom(spec: FeedSpec, entries: list[FeedEntry]) -> bytes:
    fg = _generator(spec, entries, "html")
    fg.link(href=spec.home_url, rel="alternate", type="text/html")
    fg.link(href=spec.url("atom.xml"), rel="self", type="application/atom+xml")
    return fg.atom_str(pretty=False)


def render_json(spec: FeedSpec, entries: list[FeedEntry]) -> bytes:
    items = []
    for entry in entries:
        # a summary feed's text is the summary: said once (content_text), not twice
        body = {"content_html": entry.content_html, "summary": entry.summary} \
            if spec.full_content and entry.content_html else {"content_text": entry.summary or entry.title}
        item = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            **body,
            "date_published": entry.date.isoformat(),
            "authors": [{"name": entry.author, **({"url": entry.source.home_url} if entry.source else {})}],
            "tags": [entry.category[1], *entry.tags],
        }
        if entry.updated:
            item["date_modified"] = entry.updated.isoformat()
        if entry.image_url:
            item["image"] = entry.image_url
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": spec.title,
        "home_page_url": spec.home_url,
        "feed_url": spec.url("feed.json"),
        "description": spec.description,
        "language": spec.language,
        "authors": [{"name": spec.author}],
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def render_feeds(spec: FeedSpec, entries: list[FeedEntry]) -> dict[str, bytes]:
    """{file name: bytes} for the three formats, newest `spec.limit` entries."""
    newest = sorted(entries, key=lambda e: (e.date, e.id), reverse=True)[: spec.limit]
    return {
        "rss.xml": render_rss(spec, newest),
        "atom.xml": render_atom(spec, newest),
        "feed.json": render_json(spec, newest),
    }


@dataclass(frozen=True)
class OpmlSite:
    name: str
    home_url: str
    group: str  # e.g. the district; "" for the top level (the regency's own feed)
    feed_url: str | None = None  # an external KIM: its one feed, instead of kimsite's Atom feed

    @property
    def subscription(self) -> str:
        return self.feed_url or self.home_url + "atom.xml"


def _outline(site: OpmlSite) -> str:
    text = escape(site.name, QUOTE)
    return (f'<outline type="rss" text="{text}" title="{text}" xmlUrl="{escape(site.subscription, QUOTE)}" '
            f'htmlUrl="{escape(site.home_url, QUOTE)}"/>')


def render_opml(title: str, sites: list[OpmlSite]) -> bytes:
    """OPML 2.0: one subscription per site, grouped (no dates: deterministic). A kimsite site is
    subscribed by its Atom feed, one of its three formats (a reader importing all three would
    show every site three times). Sites in group "" come first, outside any group; each group
    keeps the order given (the caller puts a district's combined feed first)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
             f"<head><title>{escape(title)}</title></head>", "<body>"]
    lines += [_outline(site) for site in sites if not site.group]
    groups: dict[str, list[OpmlSite]] = {}
    for site in sites:
        if site.group:
            groups.setdefault(site.group, []).append(site)
    for group, members in groups.items():
        lines.append(f'<outline text="{escape(group, QUOTE)}" title="{escape(group, QUOTE)}">')
        lines += [_outline(site) for site in members]
        lines.append("</outline>")
    lines += ["</body>", "</opml>"]
    return ("\n".join(lines) + "\n").encode()
