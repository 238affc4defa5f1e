"""Byte budgets of the written pages, for readers on ~0.23 Mbit/s shared village WiFi.

- every page: HTML + CSS, gzip-compressed, at most 14 KB (one TCP round trip);
- an article: that plus its lead photo (the 720 px WebP a phone fetches) at most 100 KB;
- a list (a page with thumbnails: KIM home, categories, topics, products, the hub's lists):
  that plus every thumbnail at most 60 KB;
- the hub's home: at most 100 KB (60 KB as a list with thumbnails);
- the downloads (`unduh/`), listed apart by their whole size, as they are sent on WhatsApp:
  an offline pack at most 600 KB, a bulletin at most 1 MB.

Measured from the written files; an over-budget page is a warning naming the page and
its largest item (`--strict` turns warnings into a failed build).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from kimsite.errors import Problem, Severity, Text
from kimsite.models import ADMIN_DIR
from kimsite.output.compress import is_download as is_download  # weighed whole, against its own limit

PAGE_LIMIT = 14 * 1024
ARTICLE_LIMIT = 100 * 1024
LIST_LIMIT = 60 * 1024
HUB_HOME_LIMIT = 100 * 1024
DOWNLOAD_LIMITS = {".html": 600 * 1024, ".pdf": 1024 * 1024}  # an offline pack, a bulletin
# our own templates' markup, before or after minifying (attribute order and quotes vary)
_LINK = re.compile(r"<link\b[^>]*>")
_CSS_HREF = re.compile(r"href=\"?[^\" >]*?/(tema/css/[^\" >]+)")
_LEAD = re.compile(r'<figure class="?lead"?><picture><source\b[^>]*?srcset="([^"]+)"')
_IMG = re.compile(r"<img\b[^>]*>")
_THUMB = re.compile(r'\bclass="?thumb\b')
_SRC = re.compile(r'\bsrc="?([^" >]+)')
Roots = dict[str, Path]  # a site's URL → its folder: where a page's thumbnails are found


class PageWeight(NamedTuple):  # a tuple: the hub's publish record saves one per page
    path: str  # relative to the output
    html: int  # gzip bytes
    css: int  # gzip bytes
    images: int  # bytes of the photos a phone loads: the lead photo's WebP, or a list's thumbnails
    thumbs: int = 0  # thumbnails on the page: a list, weighed against LIST_LIMIT

    @property
    def text(self) -> int:
        return self.html + self.css

    @property
    def total(self) -> int:
        return self.text + self.images


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def gz_size(path: Path, data: bytes) -> int:
    """The size of the precompressed twin when there is one (no second compression)."""
    twin = path.with_name(path.name + ".gz")
    return twin.stat().st_size if twin.is_file() else gz(data)


def _lead_bytes(html: str, site: Path) -> int:
    match = _LEAD.search(html)
    if not match:
        return 0
    candidates = [item.split()[0] for item in match.group(1).split(", ")]
    chosen = next((c for c in candidates if c.endswith("-720.webp")), candidates[-1])
    photo = site / "foto" / chosen.rsplit("/", 1)[1]
    return photo.stat().st_size if photo.is_file() else 0


def _thumb_bytes(html: str, site: Path, roots: Roots | None) -> tuple[int, int]:
    """(count, bytes) of a list's thumbnails, each found by its URL's site (`roots`, longest
    first) or, without roots, in the site's own `foto/`."""
    found = [m.group(1) for tag in _IMG.findall(html) if _THUMB.search(tag) for m in [_SRC.search(tag)] if m]
    size = 0
    for url in found:
        base = next((b for b in sorted(roots or {}, key=len, reverse=True) if url.startswith(b)), None)
        path = (roots or {})[base] / url[len(base):] if base is not None else site / "foto" / url.rsplit("/", 1)[1]
        size += path.stat().st_size if path.is_file() else 0
    return len(found), size


def weigh(site: Path, output: Path, roots: Roots | None = None) -> list[PageWeight]:
    """The weight of every page of one site folder (a KIM site or the hub)."""
    css_cache: dict[str, int] = {}
    return [_weigh(page, shown, page.read_text(encoding="utf-8"), site, css_cache, roots)
            for page in sorted(site.rglob("*.html"))
            if not is_download(shown := page.relative_to(output).as_posix())
            and page.relative_to(site).parts[0] != ADMIN_DIR]  # the writing page is for writers, not readers


def download_weight(path: str, size: int) -> PageWeight:
    """A download's weight: its whole size (in `html`: the one column that is counted)."""
    return PageWeight(path, size, 0, 0)


def weigh_downloads(site: Path, output: Path) -> list[PageWeight]:
    return [download_weight(path.relative_to(output).as_posix(), path.stat().st_size)
            for path in sorted((site / "unduh").glob("*")) if is_download(path.relative_to(output).as_posix())]


def page_weigher(site: Path, roots: Roots | None = None) -> Callable[[str, bytes], PageWeight]:
    """A function that weighs one published page (relative path, HTML) or download."""
    css_cache: dict[str, int] = {}

    def weigh_one(rel: str, data: bytes) -> PageWeight:
        if is_download(rel):
            return download_weight(rel, len(data))
        return _weigh(site / rel, rel, data.decode(), site, css_cache, roots)

    return weigh_one


def _weigh(page: Path, shown: str, html: str, site: Path, css_cache: dict[str, int],
           roots: Roots | None = None) -> PageWeight:
    css_path = next((m for tag in _LINK.findall(html) if "stylesheet" in tag
                     for m in [_CSS_HREF.search(tag)] if m), None)
    css = 0
    if css_path and (site / css_path.group(1)).is_file():
        key = css_path.group(1)
        css = css_cache.setdefault(key, gz_size(site / key, (site / key).read_bytes()))
    thumbs, thumb_bytes = _thumb_bytes(html, site, roots)
    return PageWeight(shown, gz_size(page, html.encode()), css, _lead_bytes(html, site) + thumb_bytes, thumbs)


def _over(weight: PageWeight, limit: int, what: Text) -> Problem:
    photos = "gambar kecil/thumbnails" if weight.thumbs else "foto utama/lead photo"
    items = {"HTML": weight.html, "CSS": weight.css, photos: weight.images}
    largest = max(items, key=lambda k: items[k])
    return Problem(weight.path, Text(f"{what.id}: {weight.total // 1024} KB > {limit // 1024} KB; terbesar: {largest}",
                                     f"{what.en}: {weight.total // 1024} KB > {limit // 1024} KB; largest: {largest}"),
                   Text("perkecil foto atau perpendek halaman", "use a smaller photo or a shorter page"),
                   severity=Severity.WARNING)


def _over_download(weight: PageWeight, limit: int) -> Problem:
    return Problem(weight.path, Text(f"berkas unduhan melebihi anggaran: {weight.html // 1024} KB > {limit // 1024} KB",
                                     f"download over budget: {weight.html // 1024} KB > {limit // 1024} KB"),
                   Text("kurangi build.pack_posts di sites.yaml atau perkecil foto berita terbaru",
                        "lower build.pack_posts in sites.yaml or use smaller photos in the newest posts"),
                   severity=Severity.WARNING)


def check(weights: list[PageWeight], hub_home: str | None = None) -> list[Problem]:
    problems = []
    for w in weights:
        if is_download(w.path):
            limit = DOWNLOAD_LIMITS[w.path[w.path.rfind("."):]]
            problems += [_over_download(w, limit)] if w.html > limit else []
            continue
        if w.text > PAGE_LIMIT:
            problems.append(_over(PageWeight(w.path, w.html, w.css, 0, w.thumbs), PAGE_LIMIT,
                                  Text("HTML+CSS melebihi anggaran", "HTML+CSS over budget")))
        limit = LIST_LIMIT if w.thumbs else HUB_HOME_LIMIT if w.path == hub_home else ARTICLE_LIMIT
        if w.total > limit:
            problems.append(_over(w, limit, Text("halaman dengan foto melebihi anggaran",
                                                 "page with photo over budget")))
    return problems
