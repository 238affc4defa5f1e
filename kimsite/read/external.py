"""RSS and Atom feeds of other sites: the only importer of feedparser.

Two users: the hub, which carries the KIMs that publish elsewhere (`kims[].feed`) by their
feeds, and `kimsite import`, which reads a plain feed as a source. The hub's side keeps the
last good copy of each feed in `.kimsite-cache/feeds/` and fetches with a conditional GET
(`read.remote`); an offline build reads only that copy. A feed that is dead, slow or
malformed never fails a build: its last good entries stay and a warning names it. Every
entry is sanitised like a post (`read.markup`) and checked for spam (`read.spam`); a spam
entry is left out with a warning.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kimsite.errors import Problem, Severity, Text
from kimsite.models import Category, Kim
from kimsite.read import remote, spam
from kimsite.read.content import SUMMARY_LIMIT, find_category
from kimsite.read.markup import plain_text, sanitise

_ENTITY = re.compile(rb"<!ENTITY", re.I)


@dataclass(frozen=True)
class ExternalEntry:
    """One entry of an external KIM's feed, sanitised, as the hub lists it."""

    title: str
    url: str  # absolute: the post on the KIM's own site
    date: datetime  # aware, in the regency's timezone
    author: str
    summary: str  # plain text
    category: Category
    image_url: str | None
    guid: str


@dataclass(frozen=True)
class FeedStatus:
    """The last fetch of an external KIM's feed, for `status-umpan/` and the warnings."""

    kim: str
    url: str
    fetched: str | None = None  # ISO time of the last attempt (from the cache in an offline build)
    status: int | None = None  # HTTP status of the last attempt
    good: str | None = None  # ISO time of the last good copy
    entries: int = 0
    error: str | None = None  # of the last attempt, Indonesian / English


@dataclass(frozen=True)
class ExternalFeeds:
    """What the hub carries of the KIMs that publish elsewhere (`kims[].feed`)."""

    entries: dict[str, tuple[ExternalEntry, ...]] = field(default_factory=dict)  # KIM → newest first
    statuses: tuple[FeedStatus, ...] = ()


@dataclass(frozen=True)
class RawEntry:
    """An entry as the feed gives it (HTML not yet sanitised)."""

    title: str
    link: str
    guid: str
    date: datetime | None  # aware, UTC
    author: str
    html: str  # the content, else the summary
    summary_html: str
    tags: tuple[str, ...]
    image_url: str | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    entries: tuple[RawEntry, ...]


class FeedProblem(Exception):
    def __init__(self, reason: Text):
        super().__init__(reason.id)
        self.reason = reason


def _when(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def _image(entry: Any) -> str | None:
    for media in entry.get("media_content", []) + entry.get("media_thumbnail", []):
        if media.get("url"):
            return media["url"]
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            return link.get("href")
    return None


def _raw(entry: Any) -> RawEntry:
    content = entry.get("content") or []
    summary = entry.get("summary", "")
    return RawEntry(title=" ".join(str(entry.get("title", "")).split()), link=entry.get("link", ""),
                    guid=entry.get("id") or entry.get("link", ""), date=_when(entry),
                    author=str(entry.get("author", "")).strip(),
                    html=content[0].get("value", "") if content else summary, summary_html=summary,
                    tags=tuple(t.get("term", "") for t in entry.get("tags", []) if t.get("term")),
                    image_url=_image(entry))


def parse_feed(body: bytes) -> ParsedFeed:
    """An RSS or Atom document's entries; `FeedProblem` when it is none (entities refused)."""
    if _ENTITY.search(body):
        raise FeedProblem(Text("umpan berisi deklarasi ENTITY XML; ditolak", "the feed declares XML entities; refused"))
    import feedparser  # here: a build without external KIMs never pays its import

    harmless = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)  # the XML itself is whole
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    broken = parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), harmless)
    if not parsed.get("version") or broken:  # a half-read feed would replace the last good entries
        raise FeedProblem(Text("bukan umpan RSS/Atom yang dapat dibaca", "not a readable RSS or Atom feed"))
    feed = parsed.feed
    return ParsedFeed(title=str(feed.get("title", "")), link=str(feed.get("link", "")),
                      entries=tuple(_raw(e) for e in parsed.entries))


@dataclass(frozen=True)
class ExternalSpec:
    """What turning a feed into hub entries needs (small, frozen)."""

    timezone: str  # IANA name
    categories: tuple[Category, ...]
    default_category: Category
    max_entries: int
    spam: Any = None  # read.spam.SpamRules


def hub_entries(kim: Kim, feed: ParsedFeed, spec: ExternalSpec) -> tuple[list[ExternalEntry], list[Problem]]:
    """The newest entries of an external KIM's feed, sanitised; spam and undated ones left out."""
    tz, found, problems = ZoneInfo(spec.timezone), [], []
    for raw in feed.entries:
        if raw.date is None or not raw.title or not re.match(r"^https?://", raw.link):
            continue
        if spec.spam is not None:
            held = spam.problems(spam.check(f"{raw.title}\n{raw.html}", raw.link, spec.spam), raw.link, kim.slug)
            if held:
                problems += [replace(p, severity=Severity.WARNING) for p in held[:1]]  # the entry's address
                continue
        summary = plain_text(sanitise(raw.summary_html or raw.html))
        if len(summary) > SUMMARY_LIMIT:
            summary = summary[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0] + "…"
        category = next((c for t in raw.tags if (c := find_category(t, spec.categories))), spec.default_category)
        image = raw.image_url if raw.image_url and re.match(r"^https://", raw.image_url) else None
        found.append(ExternalEntry(plain_text(raw.title), raw.link, raw.date.astimezone(tz),
                                   plain_text(raw.author) or kim.name, summary, category, image, raw.guid))
    found.sort(key=lambda e: (e.date, e.url), reverse=True)
    return found[: spec.max_entries], problems


class FeedCache:
    """The last good copy of each external feed and the record of the last fetch."""

    def __init__(self, folder: Path):
        self.folder = folder

    def status(self, kim: Kim) -> FeedStatus:
        path = self.folder / f"{kim.slug}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return FeedStatus(kim.slug, kim.feed or "")
        if data.get("url") != kim.feed:  # the feed moved: what we had is not its copy
            return FeedStatus(kim.slug, kim.feed or "")
        fields = {k: data.get(k) for k in ("fetched", "status", "good", "entries", "error")}
        return FeedStatus(kim.slug, kim.feed or "", **{**fields, "entries": fields["entries"] or 0})

    def validators(self, kim: Kim) -> tuple[str | None, str | None]:
        try:
            data = json.loads((self.folder / f"{kim.slug}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None, None
        has_body = (self.folder / f"{kim.slug}.xml").is_file()
        if not has_body or data.get("url") != kim.feed:
            return None, None
        return data.get("etag"), data.get("last_modified")

    def body(self, kim: Kim) -> bytes | None:
        path = self.folder / f"{kim.slug}.xml"
        return path.read_bytes() if path.is_file() and self.status(kim).good else None

    def save(self, kim: Kim, status: FeedStatus, fetched: remote.Fetched | None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        etag, modified = self.validators(kim)
        if fetched is not None and fetched.status == 200:
            _atomic(self.folder / f"{kim.slug}.xml", fetched.body)
            etag, modified = fetched.etag, fetched.last_modified
        record = {"url": status.url, "fetched": status.fetched, "status": status.status, "good": status.good,
                  "entries": status.entries, "error": status.error, "etag": etag, "last_modified": modified}
        _atomic(self.folder / f"{kim.slug}.json", json.dumps(record, indent=1, sort_keys=True).encode())


def _atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _parsed(body: bytes | None) -> ParsedFeed | None:
    try:
        return parse_feed(body) if body else None
    except FeedProblem:
        return None


def _warning(kim: Kim, reason: Text) -> Problem:
    return Problem(kim.feed or "", Text(f"umpan {kim.name} tidak dapat diambil: {reason.id}; entri terakhir yang "
                                        "baik tetap tampil", f"the feed of {kim.name} could not be fetched: "
                                        f"{reason.en}; its last good entries stay"),
                   Text("periksa alamat 'feed:' di sites.yaml atau hubungi pengelola situs KIM itu",
                        "check the 'feed:' address in sites.yaml or ask that KIM's site admin"),
                   key="feed", site=kim.slug, severity=Severity.WARNING)


def refresh(kim: Kim, cache: FeedCache, policy: remote.FetchPolicy, now: datetime,
            offline: bool) -> tuple[ParsedFeed | None, FeedStatus, Problem | None]:
    """The feed as it is now (or as last fetched well), the record of this fetch and a warning
    when it failed. `offline`: the cached copy only, nothing fetched, the record unchanged."""
    last = cache.status(kim)
    if offline:
        parsed = _parsed(cache.body(kim))
        problem = None if parsed else _warning(kim, Text("tanpa jaringan (--offline) dan belum ada salinan",
                                                         "offline (--offline) and no copy yet"))
        return parsed, last, problem
    etag, modified = cache.validators(kim)
    stamp = now.astimezone(UTC).isoformat(timespec="seconds")
    code = None  # of an answer that came but could not be read
    try:
        fetched = remote.fetch(kim.feed or "", policy, etag, modified)
        code = fetched.status
        parsed = _parsed(cache.body(kim)) if fetched.status == 304 else parse_feed(fetched.body)
        if parsed is None:
            raise FeedProblem(Text("salinan tersimpan hilang", "the cached copy is missing"))
        status = FeedStatus(kim.slug, kim.feed or "", stamp, fetched.status, stamp, len(parsed.entries))
        cache.save(kim, status, fetched)
        return parsed, status, None
    except (remote.FetchError, FeedProblem) as err:
        status = FeedStatus(kim.slug, kim.feed or "", stamp, getattr(err, "status", None) or code, last.good,
                            last.entries, err.reason.render())
        cache.save(kim, status, None)
        return _parsed(cache.body(kim)), status, _warning(kim, err.reason)
