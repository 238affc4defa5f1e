"""An old blog's export or feed → `Item`s: the only importer of defusedxml.

Three formats, told apart by their XML (never by the file name):

- **WordPress WXR** (WordPress eXtended RSS, versions 1.0 to 1.2; WordPress 6 writes 1.2):
  RSS 2.0 with the `wp:` (`http://wordpress.org/export/1.2/`), `content:`, `excerpt:` and
  `dc:` namespaces. There is no written specification: the format is what WordPress's
  exporter writes (`wp-admin/includes/export.php`, `export_wp()`) and what the WordPress
  Importer reads (`parsers/class-wxr-parser-simplexml.php` in wordpress-importer).
- **Blogger export** (Blogger → Settings → Back up content): an Atom feed (RFC 4287) whose
  entries carry the `blogger:` namespace (`http://schemas.google.com/blogger/2018`:
  `blogger:type` POST/PAGE/COMMENT, `blogger:status` LIVE/DRAFT/SOFT_TRASHED,
  `blogger:filename` /YYYY/MM/slug.html); older exports say the kind with an Atom
  `category` (`…/blogger/2008/kind#post`) and drafts with `app:control/app:draft`.
  Google documents the Atom it serves in the Blogger API v2 (GData) reference; the export
  itself has no published schema.
- **RSS 2.0 or Atom feed** of any blog (parsed by `read.external`, feedparser).

XML is parsed with defusedxml: no DTD, no entities, no network; the size is bounded by the caller.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from kimsite.errors import Text
from kimsite.read import external

WP = re.compile(r"^\{http://wordpress\.org/export/1\.[0-2]/\}")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
ATOM = "{http://www.w3.org/2005/Atom}"
BLOGGER = "{http://schemas.google.com/blogger/2018}"
APP_DRAFT = "{http://purl.org/atom/app#}control/{http://purl.org/atom/app#}draft"
KIND = "http://schemas.google.com/blogger/2008/kind#"


@dataclass
class Item:
    """One thing of the old blog: a post, a page or an attachment (a photo in the media library)."""

    kind: str  # post | page | attachment | other
    title: str
    html: str = ""
    date: datetime | None = None  # aware
    author: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    draft: bool = False
    trashed: bool = False
    old_url: str = ""  # its address on the old blog
    old_id: str = ""  # its id there (GUID)
    slug: str = ""
    excerpt: str = ""
    featured: str | None = None  # the featured image's URL
    featured_alt: str = ""
    post_id: str = ""  # WordPress: for the featured image (_thumbnail_id)
    attachment_url: str = ""  # an attachment's file


@dataclass
class Export:
    format: str  # wxr | blogger | feed
    site: str  # the old blog's address
    items: list[Item]


class SourceError(Exception):
    def __init__(self, reason: Text):
        super().__init__(reason.id)
        self.reason = reason


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _wp(item: ET.Element, name: str) -> str:
    return next((_text(child) for child in item if WP.match(child.tag) and WP.sub("", child.tag) == name), "")


def _wp_all(item: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in item if WP.match(child.tag) and WP.sub("", child.tag) == name]


def _wxr_date(item: ET.Element, tz: ZoneInfo) -> datetime | None:
    gmt = _wp(item, "post_date_gmt")
    if gmt and not gmt.startswith("0000"):
        return datetime.fromisoformat(gmt).replace(tzinfo=UTC).astimezone(tz)
    local = _wp(item, "post_date")  # a draft has no GMT date: the blog's own clock, read in the regency's zone
    if local and not local.startswith("0000"):
        return datetime.fromisoformat(local).replace(tzinfo=tz)
    pub = _text(item.find("pubDate"))
    return parsedate_to_datetime(pub).astimezone(tz) if pub else None


def _wxr_item(item: ET.Element, authors: dict[str, str], tz: ZoneInfo) -> Item:
    kind, status = _wp(item, "post_type"), _wp(item, "status")
    meta = {_wp(m, "meta_key"): _wp(m, "meta_value") for m in _wp_all(item, "postmeta")}
    login = _text(item.find(DC_CREATOR))
    cats = item.findall("category")
    return Item(
        kind=kind if kind in ("post", "page", "attachment") else "other",
        title=_text(item.find("title")), html=_text(item.find(CONTENT)), date=_wxr_date(item, tz),
        author=authors.get(login, login), draft=status in ("draft", "pending", "private", "auto-draft"),
        trashed=status == "trash",
        categories=[_text(c) for c in cats if c.get("domain") == "category" and _text(c) != "Uncategorized"],
        tags=[_text(c) for c in cats if c.get("domain") == "post_tag"],
        old_url=_text(item.find("link")), old_id=_text(item.find("guid")), slug=_wp(item, "post_name"),
        excerpt=_text(item.find("{http://wordpress.org/export/1.2/excerpt/}encoded")),
        featured=meta.get("_thumbnail_id") or None, featured_alt=meta.get("_wp_attachment_image_alt", ""),
        post_id=_wp(item, "post_id"), attachment_url=_wp(item, "attachment_url"),
    )


def _wxr(root: ET.Element, tz: ZoneInfo) -> Export:
    channel = root.find("channel")
    if channel is None:
        raise SourceError(Text("ekspor WordPress tanpa <channel>", "a WordPress export without <channel>"))
    authors = {_wp(a, "author_login"): _wp(a, "author_display_name") for a in _wp_all(channel, "author")}
    items = [_wxr_item(item, authors, tz) for item in channel.findall("item")]
    photos = {i.post_id: i for i in items if i.kind == "attachment" and i.attachment_url}
    for item in items:  # _thumbnail_id names an attachment: its file is the featured image
        photo = photos.get(item.featured or "") if item.kind != "attachment" else None
        item.featured = photo.attachment_url if photo else None
        item.featured_alt = (photo.featured_alt or photo.title) if photo else ""
    site = _wp(channel, "base_blog_url") or _text(channel.find("link"))
    return Export("wxr", site, items)


def _atom_date(text: str, tz: ZoneInfo) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(tz) if text else None
    except ValueError:
        return None


def _blogger_kind(entry: ET.Element) -> str:
    kind = _text(entry.find(f"{BLOGGER}type")).lower()
    if not kind:
        term = next((c.get("term", "") for c in entry.findall(f"{ATOM}category") if KIND in c.get("term", "")), "")
        kind = term.split("#")[-1]
    return kind if kind in ("post", "page") else "other"


def _blogger_item(entry: ET.Element, site: str, tz: ZoneInfo) -> Item:
    status = _text(entry.find(f"{BLOGGER}status")).upper()
    alternate = next((link.get("href", "") for link in entry.findall(f"{ATOM}link")
                      if link.get("rel") == "alternate"), "")
    filename = _text(entry.find(f"{BLOGGER}filename"))
    old_url = alternate or (site.rstrip("/") + filename if site and filename else filename)
    labels = [c.get("term", "") for c in entry.findall(f"{ATOM}category") if KIND not in c.get("term", "")
              and "#kind" not in (c.get("scheme") or "")]
    slug = re.sub(r"\.html?$", "", filename.rsplit("/", 1)[-1]) if filename else ""
    return Item(
        kind=_blogger_kind(entry), title=_text(entry.find(f"{ATOM}title")), html=_text(entry.find(f"{ATOM}content")),
        date=_atom_date(_text(entry.find(f"{ATOM}published")), tz),
        author=_text(entry.find(f"{ATOM}author/{ATOM}name")), categories=[t for t in labels if t],
        draft=status == "DRAFT" or _text(entry.find(APP_DRAFT)) == "yes", trashed="TRASH" in status,
        old_url=old_url, old_id=_text(entry.find(f"{ATOM}id")), slug=slug)


def _blogger(root: ET.Element, tz: ZoneInfo) -> Export:
    site = next((link.get("href", "") for link in root.findall(f"{ATOM}link") if link.get("rel") == "alternate"), "")
    return Export("blogger", site, [_blogger_item(e, site, tz) for e in root.findall(f"{ATOM}entry")])


def _is_blogger(root: ET.Element) -> bool:
    return root.tag == f"{ATOM}feed" and (root.find(f".//{BLOGGER}type") is not None
                                           or "blogger.com" in _text(root.find(f"{ATOM}id")))


def _feed(body: bytes, tz: ZoneInfo) -> Export:
    try:
        parsed = external.parse_feed(body)
    except external.FeedProblem as err:
        raise SourceError(err.reason) from None
    items = [Item("post", e.title, e.html, e.date.astimezone(tz) if e.date else None, e.author, list(e.tags),
                  old_url=e.link, old_id=e.guid, excerpt="", featured=e.image_url) for e in parsed.entries]
    return Export("feed", parsed.link, items)


def read_export(body: bytes, tz: ZoneInfo) -> Export:
    """The items of a WXR, Blogger or RSS/Atom document (`SourceError` when it is none of them)."""
    try:
        root = SafeET.fromstring(body, forbid_dtd=True)
    except DefusedXmlException:
        raise SourceError(Text("berkas XML berisi DTD atau ENTITY; ditolak demi keamanan",
                               "the XML declares a DTD or entities; refused for safety")) from None
    except ET.ParseError as err:
        raise SourceError(Text(f"XML rusak ({err})", f"broken XML ({err})")) from None
    if root.tag == "rss" and any(WP.match(el.tag) for el in root.iter()):
        return _wxr(root, tz)
    if _is_blogger(root):
        return _blogger(root, tz)
    return _feed(body, tz)
