"""Markdown → safe HTML: the only importer of markdown and nh3.

One `MarkupRenderer` per worker (building a Markdown instance costs more than
converting a short post). Every post's HTML is sanitised: many writers publish under
one domain, so a post must never carry script into another KIM's pages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import markdown
import nh3
from slugify import slugify

from kimsite import cachefile

ImageResolver = Callable[[str], str | None]

YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/"

ALLOWED_TAGS = (nh3.ALLOWED_TAGS | {"iframe", "section"}) - {"center", "map", "area", "acronym", "tt"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "ol": {"start", "reversed", "type"},
    "abbr": {"title"},
    "time": {"datetime"},
    "data": {"value"},
}
ALLOWED_CLASSES = {
    "a": {"headerlink", "footnote-ref", "footnote-backref"},
    "div": {"footnote", "table-wrap"},
    "sup": set(),
}
_IMG = re.compile(r"<img\b")
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.S)
_FIRST_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.S)
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return value if value.startswith(YOUTUBE_EMBED) else None
    if attribute == "style":  # only table alignment survives
        return value if re.fullmatch(r"text-align:\s*(left|right|center);?", value) else None
    return value


def _is_local(src: str) -> bool:
    return not re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", src, re.I)


def sanitise(html: str, resolver: ImageResolver | None = None, missing: list[str] | None = None) -> str:
    """Remove script, handlers, javascript: URLs, forms and foreign iframes.

    Local image sources (Markdown or raw HTML alike) are passed to `resolver`; those
    it cannot resolve are dropped and listed in `missing`.
    """

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and _is_local(value) and resolver is not None:
            resolved = resolver(value)
            if resolved is None and missing is not None:
                missing.append(value)
            return resolved
        return _keep_attribute(tag, attribute, value)

    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes={"http", "https", "mailto", "tel"},
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener",
    )
    # added here, not by nh3's set_tag_attribute_values: its attribute order varies by run
    clean = _LINK_REL.sub(_rel, clean)
    return _IMG.sub('<img loading="lazy" decoding="async"', _EMPTY_IFRAME.sub("", clean))


_LINK_REL = re.compile(r'<a href="(?P<href>[^"]*)"(?P<rest>[^>]*?) rel="noopener">')
_TRUSTED = tuple(line.strip() for line in (Path(__file__).resolve().parent.parent / "data" / "trusted-domains.txt")
                 .read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))


def _rel(match: re.Match[str]) -> str:
    """A writer's link to another site is user content (`ugc`), and `nofollow` too unless its
    host is on the trusted list (kimsite/data/trusted-domains.txt: go.id, desa.id…): a spam link
    that slips through earns its site nothing from search engines. Links within the site keep
    `noopener`."""
    href = unescape(match["href"])
    host = (urlsplit(href).hostname or "").lower() if re.match(r"^https?://", href, re.I) else ""
    if not host:
        return match.group(0)
    trusted = any(host == d or host.endswith("." + d) for d in _TRUSTED)
    rel = "ugc noopener" if trusted else "ugc noopener nofollow"
    return f'<a href="{match["href"]}"{match["rest"]} rel="{rel}">'


_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)


def scrolling_tables(html: str, label: str) -> str:
    """Each table in its own scrolling box (class "geser"), reachable from the keyboard so that
    arrow keys scroll it, and named for screen readers (`label`, numbered when there are more than
    one: each region's name is its own): a phone shows a wide table whole, never cut off."""
    tables = _TABLE.findall(html)
    if not tables:
        return html
    names = iter([label] if len(tables) == 1 else [f"{label} {n}" for n in range(1, len(tables) + 1)])
    return _TABLE.sub(lambda m: f'<div class="geser" tabindex="0" role="region" aria-label="{next(names)}">'
                      f"{m.group(0)}</div>", html)


def plain_text(html: str) -> str:
    """The text of an HTML fragment, one line, without the text of footnote marks."""
    text = nh3.clean(_FOOTNOTE_REF.sub("", html), tags=set(), clean_content_tags={"script", "style"})
    return " ".join(unescape(text).split())


@dataclass(frozen=True)
class Rendered:
    html: str
    first_paragraph: str
    missing_images: tuple[str, ...]


def heading_id(value: str, separator: str) -> str:
    return slugify(value, separator=separator) or "bagian"


class MarkupRenderer:
    """Reusable Markdown converter with tables, footnotes and heading anchors."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=["tables", "footnotes", "fenced_code", "sane_lists", "abbr", "toc"],
            extension_configs={
                # ids on headings (links to a section keep working), but no visible "#" after each
                "toc": {"permalink": False, "slugify": heading_id, "toc_depth": "2-4"},
                "footnotes": {"BACKLINK_TITLE": "Kembali ke teks %d"},
            },
            output_format="html",
        )

    def render(self, text: str, resolver: ImageResolver | None = None) -> Rendered:
        missing: list[str] = []
        html = sanitise(self._md.reset().convert(text), resolver, missing)
        first = _FIRST_PARAGRAPH.search(html)
        return Rendered(html, plain_text(first.group(1)) if first else "", tuple(missing))


class Renders(Protocol):
    def render(self, text: str, resolver: ImageResolver | None = None) -> Rendered: ...


_CACHE_VERSION = f"markdown {markdown.__version__} nh3 {nh3.__version__}"


class RenderCache:
    """Markdown rendered at a site's last build, by text: a new post costs one conversion,
    not one per post of the site. A hit replays the image lookups the first rendering made,
    and counts only if each resolves as it did then (a photo since removed, a new site
    address: rendered again). Only what this build used is saved, so it never grows stale.
    `version`: whatever else the HTML depends on (kimsite's code)."""

    def __init__(self, renderer: Renders, path: Path, version: str):
        self.renderer, self.path = renderer, path
        self.version = f"{_CACHE_VERSION} {version}"
        self.old: dict[bytes, tuple[Rendered, tuple[tuple[str, str | None], ...]]] = cachefile.load(path, self.version)
        self.used: dict[bytes, tuple[Rendered, tuple[tuple[str, str | None], ...]]] = {}

    def render(self, text: str, resolver: ImageResolver | None = None) -> Rendered:
        key = hashlib.sha256(text.encode() + (b"\0r" if resolver else b"\0-")).digest()
        known = self.used.get(key) or self.old.get(key)
        if known is not None and all(resolver(src) == result for src, result in known[1]):  # type: ignore[misc]
            self.used[key] = known
            return known[0]
        calls: list[tuple[str, str | None]] = []

        def recording(src: str) -> str | None:
            result = resolver(src)  # type: ignore[misc]
            calls.append((src, result))
            return result

        rendered = self.renderer.render(text, recording if resolver else None)
        self.used[key] = (rendered, tuple(calls))
        return rendered

    def save(self) -> None:
        cachefile.save(self.path, self.version, self.used)
