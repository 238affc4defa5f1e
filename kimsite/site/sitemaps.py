"""sitemap.xml and robots.txt for one site, from the list of its page URLs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(pages: Iterable[tuple[str, datetime | None]]) -> bytes:
    """`pages`: (absolute URL, last modified or None); written sorted by URL."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for url, modified in sorted(set(pages), key=lambda item: item[0]):
        lastmod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
        lines.append(f"<url><loc>{escape(url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def render_index(urls: Iterable[str]) -> bytes:
    """A sitemap index: the sitemaps of one site, without dates (it changes only when a
    sitemap is added, not with each post)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    lines += [f"<sitemap><loc>{escape(url)}</loc></sitemap>" for url in urls]
    lines.append("</sitemapindex>")
    return ("\n".join(lines) + "\n").encode()


def render_robots(sitemap_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
