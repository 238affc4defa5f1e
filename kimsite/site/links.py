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


def _missing(target: str, site_url: str, staging: Path, hub_url: str, published: Path) -> bool:
    """Whether a link's page is missing: in this site as just built, or elsewhere in the regency
    (the hub, another KIM) as last published; False when it cannot be told (a first build)."""
    if target.startswith(site_url):
        rel = urlsplit(target[len(site_url):]).path.lstrip("/")
        return not (rel.startswith(("foto/", "tema/")) or _exists(staging, rel))
    if target.startswith(hub_url) and (published / "index.html").is_file():
        rel = urlsplit(target[len(hub_url):]).path.lstrip("/")
        return not (rel.startswith(("tema/", "s/")) or _exists(published, rel))
    return False


def broken(posts: Iterable[Post], staging: Path, site_url: str, site: str, hub_url: str = "",
           published: Path | None = None) -> list[Problem]:
    """A warning for every link of a post to a page of the regency that does not exist: in its
    own site as built now, on the hub or another KIM's site as last published (`published`)."""
    problems = []
    for post in posts:
        for href in dict.fromkeys(unescape(h) for h in _HREF.findall(post.html)):
            target = urljoin(site_url + post.url_path, href)
            if href.startswith("#") or not _missing(target, site_url, staging, hub_url or site_url,
                                                    published or staging):
                continue
            written = urlsplit(href).path or href
            problems.append(Problem(
                post.shown_path, Text(f"tautan ke halaman yang tidak ada: {href}", f"link to a page that does not "
                                      f"exist: {href}"),
                Text("periksa alamatnya (salin dari bilah alamat peramban) atau hapus tautannya",
                     "check the address (copy it from the browser's address bar) or remove the link"),
                line=_line(post.source, written), key="link", site=site, severity=Severity.WARNING))
    return problems
