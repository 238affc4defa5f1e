"""Links within a KIM's site, checked against the site as built: a post that links to a page
the build does not make gets a warning naming the file and the line (`--strict`: an error)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from kimsite.errors import Problem, Severity, Text
from kimsite.models import Post

_HREF = re.compile(r'<a\s[^>]*?href="([^"]+)"')


def _exists(staging: Path, rel: str) -> bool:
    target = staging / rel
    return (target / "index.html").is_file() if rel.endswith("/") or not rel else \
        target.is_file() or (target / "index.html").is_file()


def _line(source: Path, text: str) -> int | None:
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next((n for n, line in enumerate(lines, start=1) if text in line), None)


def broken(posts: Iterable[Post], staging: Path, site_url: str, site: str) -> list[Problem]:
    """A warning for every link of a post into its own site whose page the build did not make."""
    problems = []
    for post in posts:
        for href in dict.fromkeys(unescape(h) for h in _HREF.findall(post.html)):
            target = urljoin(site_url + post.url_path, href)
            if not target.startswith(site_url) or href.startswith("#"):
                continue
            rel = urlsplit(target[len(site_url):]).path.lstrip("/")
            if rel.startswith(("foto/", "tema/")) or _exists(staging, rel):
                continue
            written = urlsplit(href).path or href
            problems.append(Problem(
                post.shown_path, Text(f"tautan ke halaman yang tidak ada: {href}", f"link to a page that does not "
                                      f"exist: {href}"),
                Text("periksa alamatnya (salin dari bilah alamat peramban) atau hapus tautannya",
                     "check the address (copy it from the browser's address bar) or remove the link"),
                line=_line(post.source, written), key="link", site=site, severity=Severity.WARNING))
    return problems
