"""Old links of an imported blog keep working: a small page at each old path that sends
the reader (and search engines, by its canonical link) to the post's new address.

- `/2021/04/slug/` (WordPress) → `2021/04/slug/index.html`; `/2021/04/slug.html` (Blogger)
  → that very file; both with a meta refresh, a canonical link and a plain link.
- `/?p=123` and `/?page_id=45` (WordPress's GUIDs and plain permalinks) carry the post in
  the query string, which a static host cannot route by itself: they become rewrite rules
  in the site's `.htaccess` (Apache and LiteSpeed, the shared hosting most regencies use).
  For nginx the same rules are in the import report's nginx map. Hosts with neither (an S3
  bucket, GitHub Pages) serve the home page for `/?p=123`: a script of one line in that
  page looks the number up in `lama.json` and moves on, only when the address has one.

An old path that the new site already uses (a WordPress permalink equal to the new one) or
that does not look like a plain path is left alone.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from kimsite.output.files import GuardedWriter

_SAFE_PATH = re.compile(r"^/[\w.~/-]*$")  # after %-decoding: the name a web server looks for
QUERY_KEYS = ("p", "page_id")


def old_path(url: str) -> str | None:
    """The file an old address becomes (`2021/04/slug/index.html`), or None."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.query or not _SAFE_PATH.match(path) or path == "/" or ".." in path.split("/"):
        return None
    if re.search(r"\.html?$", path):
        return path.lstrip("/")
    return path.strip("/") + "/index.html"


def old_query(url: str) -> tuple[str, str] | None:
    """(`p`, `123`) for `https://blog/?p=123`, else None."""
    parts = urlsplit(url)
    if parts.path not in ("", "/", "/index.php"):
        return None
    found = [(k, v) for k, v in parse_qsl(parts.query) if k in QUERY_KEYS and v.isdigit()]
    return found[0] if len(found) == 1 else None


@dataclass
class Redirects:
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # file → (new URL, title)
    queries: dict[tuple[str, str], str] = field(default_factory=dict)  # (p, 123) → new URL


def plan_redirects(items: Iterable[tuple[tuple[str, ...], str, str]], taken: set[str] | None = None) -> Redirects:
    """Redirects for (old addresses, new URL, title) items; a file in `taken` is left alone."""
    found = Redirects()
    for urls, new, title in items:
        for url in urls:
            query, path = old_query(url), old_path(url)
            if query:
                found.queries.setdefault(query, new)
            elif path and path not in (taken or set()):
                found.pages.setdefault(path, (new, title))
    return found


def render_page(new: str, title: str, language: str = "id") -> bytes:
    url, name = html.escape(new, quote=True), html.escape(title)
    moved = "Halaman ini sudah pindah" if language == "id" else "This page has moved"
    return (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{name}</title>'
            f'<meta name="description" content="{moved}: {name}"><link rel="canonical" href="{url}">'
            f'<meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url={url}">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"></head>'
            f'<body><p>{moved}: <a href="{url}">{name}</a></p></body></html>\n').encode()


def render_htaccess(queries: dict[tuple[str, str], str]) -> bytes:
    lines = ["# kimsite: old WordPress links (?p=123) to the posts' new addresses", "RewriteEngine On"]
    for (key, value), new in sorted(queries.items()):
        lines += [f"RewriteCond %{{QUERY_STRING}} (^|&){key}={value}(&|$)",
                  f"RewriteRule ^(index\\.php)?$ {new} [R=301,L,QSD]"]
    return ("\n".join(lines) + "\n").encode()


def render_nginx(queries: dict[tuple[str, str], str]) -> str:
    """An nginx `map` for the same rules (an admin includes it in the server block)."""
    rows = [f"    \"~(^|&){key}={value}(&|$)\" {new};" for (key, value), new in sorted(queries.items())]
    return ("# in http {}: then in server {}: location = / { if ($kimsite_old) { return 301 $kimsite_old; } }\n"
            "map $args $kimsite_old {\n    default \"\";\n" + "\n".join(rows) + "\n}\n")


# the home page's fallback for hosts without rewrite rules: it runs only for an old ?p= address
OLD_QUERY_SCRIPT = ('<script>(function(){var m=location.search.match(/[?&](p|page_id)=(\\d+)(&|$)/);'
                    'if(m)fetch("lama.json").then(function(r){return r.json()}).then(function(t){'
                    'var u=t[m[1]+"="+m[2]];if(u)location.replace(u)})})()</script>')


def render_query_map(queries: dict[tuple[str, str], str]) -> bytes:
    return (json.dumps({f"{k}={v}": new for (k, v), new in sorted(queries.items())}, ensure_ascii=False,
                       sort_keys=True, separators=(",", ":")) + "\n").encode()


def add_query_fallback(home: Path) -> None:
    text = home.read_text(encoding="utf-8")
    if OLD_QUERY_SCRIPT not in text:
        home.write_text(text.replace("</head>", OLD_QUERY_SCRIPT + "</head>", 1), encoding="utf-8")


def write_redirects(items: Iterable[tuple[tuple[str, ...], str, str]], staging: Path, writer: GuardedWriter,
                    language: str) -> int:
    """The redirect pages and `.htaccess` of one site, beside what it has built already."""
    found = plan_redirects(items)
    count = 0
    for path, (new, title) in sorted(found.pages.items()):
        if (staging / path).exists():
            continue
        writer.write(path, render_page(new, title, language))
        count += 1
    if found.queries:
        writer.write(".htaccess", render_htaccess(found.queries))
        writer.write("lama.json", render_query_map(found.queries))
        if (staging / "index.html").is_file():
            add_query_fallback(staging / "index.html")
    return count + len(found.queries)
