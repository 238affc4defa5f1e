"""Checks that hold for every built sample: run on each built output by the tests.

- every page has lang, a title, a canonical URL and a description;
- every internal link, stylesheet and image points at a file that exists;
- every feed (RSS, Atom, JSON Feed) parses, with ids, dates with timezone,
  authors and absolute links; every page links its feeds with rel="alternate";
- every calendar (.ics) parses with icalendar, each event with UID, DTSTAMP and DTSTART;
- every JSON-LD block parses and names its schema.org type.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import icalendar
from bs4 import BeautifulSoup


def site_urls(output: Path) -> dict[str, Path]:
    """Public URL → folder of every site (KIM, regency hub, province hub) in the output.

    A site is a folder with a sitemap.xml; its URL is the canonical URL of its home page.
    """
    mapping: dict[str, Path] = {}
    for sitemap in output.rglob("sitemap.xml"):
        home = soup(sitemap.parent / "index.html")
        mapping[home.find("link", rel="canonical")["href"]] = sitemap.parent
    return mapping


def resolve(url: str, sites: dict[str, Path]) -> Path | None:
    """The output file an internal URL points at, or None for an external URL."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    best = max((p for p in sites if url.startswith(p)), key=len, default=None)
    if best is None:
        return None
    rest = url[len(best):]
    path = sites[best] / rest
    return path / "index.html" if rest == "" or rest.endswith("/") else path


ADMIN = "admin"  # a KIM's writing page (Decap CMS): for writers, checked by check_admin_pages


def pages(output: Path) -> list[Path]:
    """Every reader's page."""
    return sorted(p for p in output.rglob("*.html") if ADMIN not in p.relative_to(output).parts[:-1])


def check_admin_pages(output: Path) -> list[str]:
    """A writing page is noindex, and the CMS script it loads from the regency's host is there."""
    failures = []
    sites = site_urls(output)
    for page in sorted(output.glob(f"*/{ADMIN}/index.html")):
        doc = soup(page)
        if (doc.find("meta", attrs={"name": "robots"}) or {}).get("content") != "noindex, nofollow":
            failures.append(f"{page}: not noindex")
        for script in doc.find_all("script", src=True):
            target = resolve(script["src"], sites)
            if target is not None and not target.is_file():
                failures.append(f"{page}: script {script['src']} is missing")
    return failures


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _noindex(doc: BeautifulSoup) -> bool:
    return "noindex" in (doc.find("meta", attrs={"name": "robots"}) or {}).get("content", "")


def check_page_meta(output: Path) -> list[str]:
    failures = []
    for page in pages(output):
        doc = soup(page)
        html = doc.find("html")
        checks = {
            "lang": html is not None and html.get("lang"),
            "title": doc.title and doc.title.get_text().strip(),
            # an error page (404.html) is served at every dead address: noindex, and no canonical
            # (a canonical would name an address it is not at; search engines drop noindex pages anyway)
            "canonical": doc.find("link", rel="canonical") or _noindex(doc),
            "description": (doc.find("meta", attrs={"name": "description"}) or {}).get("content"),
        }
        failures += [f"{page}: no {name}" for name, ok in checks.items() if not ok]
    return failures


def _references(doc: BeautifulSoup) -> list[str]:
    refs = [a["href"] for a in doc.find_all("a", href=True)]
    refs += [link["href"] for link in doc.find_all("link", href=True) if "canonical" not in link.get("rel", [])]
    refs += [img["src"] for img in doc.find_all("img", src=True)]
    refs += [m["content"] for m in doc.find_all("meta", property="og:image")]
    return refs


def check_links(output: Path) -> list[str]:
    sites = site_urls(output)
    failures = []
    for page in pages(output):
        for ref in _references(soup(page)):
            target = resolve(ref, sites)
            if target is not None and not target.is_file():
                failures.append(f"{page.relative_to(output)}: broken link {ref}")
    return failures


def check_feed_file(path: Path) -> list[str]:
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        failures = [] if data["version"] == "https://jsonfeed.org/version/1.1" else [f"{path}: version"]
        for item in data["items"]:
            if not (item["id"] and urlsplit(item["url"]).scheme == "https" and item["authors"]):
                failures.append(f"{path}: incomplete item {item.get('id')}")
            if not item["date_published"][-6:].startswith(("+", "-")):
                failures.append(f"{path}: date without timezone in {item['id']}")
        return failures
    parsed = feedparser.parse(path.read_bytes())
    failures = [f"{path}: does not parse: {parsed.get('bozo_exception')}"] if parsed.bozo else []
    for entry in parsed.entries:
        if not (entry.get("id") and entry.get("author") and entry.get("published_parsed")):
            failures.append(f"{path}: entry without id, author or date: {entry.get('link')}")
        if not entry.get("link", "").startswith(("https://", "http://")):
            failures.append(f"{path}: relative link {entry.get('link')}")
        if path.name == "rss.xml" and entry.get("guidislink"):
            failures.append(f"{path}: guid must not be a permalink: {entry.get('id')}")
    return failures


def feed_files(output: Path) -> list[Path]:
    return sorted([*output.rglob("rss.xml"), *output.rglob("atom.xml"), *output.rglob("feed.json")])


def check_feeds(output: Path) -> list[str]:
    failures: list[str] = []
    for path in feed_files(output):
        failures += check_feed_file(path)
    return failures


def check_feed_discovery(output: Path) -> list[str]:
    failures = []
    for page in pages(output):
        parsed = soup(page)
        if parsed.find("meta", attrs={"http-equiv": "refresh"}):  # a short-link redirect
            continue
        if parsed.find("meta", attrs={"http-equiv": "Content-Security-Policy"}):  # an offline pack: a file to pass
            continue  # on, whose policy forbids every request; it links its site instead
        kinds = {link.get("type") for link in parsed.find_all("link", rel="alternate")}
        missing = {"application/rss+xml", "application/atom+xml", "application/feed+json"} - kinds
        if missing:
            failures.append(f"{page.relative_to(output)}: no feed link for {sorted(missing)}")
    return failures


def check_calendars(output: Path) -> list[str]:
    failures = []
    for path in sorted(output.rglob("*.ics")):
        try:
            calendar = icalendar.Calendar.from_ical(path.read_bytes())
        except ValueError as err:
            failures.append(f"{path}: does not parse: {err}")
            continue
        for event in calendar.walk("VEVENT"):
            missing = [key for key in ("UID", "DTSTAMP", "DTSTART") if key not in event]
            if missing:
                failures.append(f"{path}: event {event.get('UID')} without {missing}")
    return failures


def check_json_ld(output: Path) -> list[str]:
    failures = []
    for page in pages(output):
        for script in soup(page).find_all("script", type="application/ld+json"):
            try:
                data = json.loads(script.string or "")
            except ValueError as err:
                failures.append(f"{page.relative_to(output)}: JSON-LD does not parse: {err}")
                continue
            if not (isinstance(data, dict) and data.get("@context") == "https://schema.org" and data.get("@type")):
                failures.append(f"{page.relative_to(output)}: JSON-LD without schema.org @type")
    return failures


def check_all(output: Path) -> list[str]:
    return (check_page_meta(output) + check_links(output) + check_feeds(output) + check_feed_discovery(output)
            + check_calendars(output) + check_json_ld(output) + check_admin_pages(output))
