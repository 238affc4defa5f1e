"""Render one KIM site with Pelican: the only importer of pelican.

Pelican keeps process-wide state (signals, log de-duplication, locale, caches), so
`render_site` must run in a worker process that builds this one site and exits.
Posts arrive already parsed and sanitised; Pelican only lays them out.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican import Pelican, writers
from pelican.log import console
from pelican.paginator import Page, Paginator
from pelican.readers import BaseReader
from pelican.settings import read_settings
from pelican.urlwrappers import Author, Category, Tag
from slugify import slugify

from kimsite.models import Extras, PhotoSet, Post, SiteJob, Variant
from kimsite.site.context import extras_context, fact_check_context, product_context
from kimsite.site.pelican_settings import PAGE2, build_settings
from kimsite.site.picture import picture_html
from kimsite.site.redirects import render_page

_PREPARED: dict[str, Post] = {}
_PHOTOS: dict[str, PhotoSet] = {}
_PAGES: dict[str, tuple[str, dict[str, Any]]] = {}  # products and static pages: (HTML, metadata)


class KimReader(BaseReader):
    """Hands Pelican the posts kimsite has already read, validated and sanitised."""

    enabled = True
    file_extensions = ["md"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        path = os.path.abspath(source_path)
        if path in _PAGES:
            html, metadata = _PAGES[path]
            return html, dict(metadata)
        if path not in _PREPARED:  # a broken or draft product or page: Pelican skips it
            return "", {"title": "-", "status": "skip"}
        return _PREPARED[path].html, self.post_metadata(_PREPARED[path])

    def post_metadata(self, post: Post) -> dict[str, Any]:
        category = Category(post.category.name, self.settings)
        category.slug = post.category.slug
        tags = []
        for name in post.tags:
            tag = Tag(name, self.settings)
            tag.slug = slugify(name) or "topik"
            tags.append(tag)
        metadata: dict[str, Any] = {
            "title": post.title,
            "date": post.date,
            "slug": post.slug,
            "author": Author(post.author, self.settings),
            "authors": [Author(post.author, self.settings)],
            "category": category,
            "tags": tags,
            "summary": post.summary,
            "url": post.url_path,
            "save_as": post.url_path + "index.html",
        }
        if post.updated is not None:
            metadata["updated_at"] = post.updated
        if post.correction:
            metadata["correction"] = post.correction
        if post.image is not None:
            photo = _PHOTOS[post.image.output_path]
            share = photo.share or photo.fallback
            metadata["image"] = {
                "url": photo.fallback.path, "alt": post.image.alt,
                "html": picture_html(photo, post.image.alt, self.settings["SITEURL"] + "/", lead=True),
                "share": share.path, "share_width": share.width, "share_height": share.height,
                "thumb": self.settings["SITEURL"] + "/" + photo.thumb.path if photo.thumb else None,
            }
        if post.fact_check is not None:
            metadata["fact_check"] = fact_check_context(post, post.fact_check, self.settings["SITEURL"] + "/",
                                                        self.settings["SITENAME"])
        return metadata


def prepare_pages(job: SiteJob, extras: Extras, photos: dict[str, PhotoSet]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Products and static pages as Pelican pages, each with its own template and URL."""
    prepared = {}
    for product in extras.products:
        prepared[os.path.abspath(product.source)] = (product.html, {
            "title": product.name, "slug": product.slug, "url": product.url_path,
            "save_as": product.url_path + "index.html", "template": "product", "status": "hidden",
            "summary": product.summary, "product": product_context(product, photos, job)})
    for page in extras.pages:
        prepared[os.path.abspath(page.source)] = (page.html, {
            "title": page.title, "slug": page.slug, "url": page.url_path, "save_as": page.url_path + "index.html",
            "template": "page", "status": "hidden", "summary": page.summary})
    return prepared


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_REDIRECTS: dict[str, str] = {}  # page path → the list's front page: written after Pelican runs


class StablePage(Page):
    """A list page with a stable address: `label` is its number counted from the oldest
    (None for the front page, which shows the newest posts)."""

    def __init__(self, paginator: Paginator, object_list: list, number: int, label: int | None):
        super().__init__(paginator.name, paginator.url, object_list, number, paginator, paginator.settings)
        self.label = label

    def _stable(self, key: str) -> str:
        if self.label is None:  # the front page: the list's own address, its folder
            return self._from_settings(key).removesuffix("index.html") if key == "URL" else self._from_settings(key)
        path = PAGE2.format(base_name=self.base_name, number=self.label).lstrip("/")
        return path if key == "URL" else path + "index.html"

    url = property(lambda self: self._stable("URL"))
    save_as = property(lambda self: self._stable("SAVE_AS"))


class StablePaginator(Paginator):
    """List pages numbered from the oldest, as the hub's are: `halaman/1/` holds the oldest
    posts and keeps them, so a new post rewrites the front page (the newest posts) and at most
    one numbered page, not every page of every list. The newest numbered page, whose posts
    are all on the front page, is not written until it is full: its address redirects to the
    front page meanwhile (it also catches the old newest-first numbering). The page before it
    links there for "newer", so it is not rewritten when that page fills, as the hub's lists."""

    def __init__(self, name: str, url: str, object_list: list, settings: dict, per_page: int | None = None):
        super().__init__(name, url, object_list, settings, per_page)
        self.orphans = 0
        pages = -(-len(object_list) // self.per_page) if self.per_page else 1
        self.numbered = max(pages - 1, 0)  # numbered pages written: all but the newest
        self._num_pages = 1 + self.numbered
        self.newer_url = ""  # the newest numbered page's "newer" link: the page not yet written
        if pages > 1:
            newest = StablePage(self, [], 2, pages)
            _REDIRECTS[newest.save_as] = self.page(1).url
            self.newer_url = newest.url

    def page(self, number: int) -> StablePage:
        if number == 1:
            return StablePage(self, self.object_list[: self.per_page], 1, None)
        label = self.numbered + 2 - number
        oldest_first = self.object_list[::-1]
        chunk = oldest_first[(label - 1) * self.per_page: label * self.per_page]
        return StablePage(self, chunk[::-1], number, label)


def _write_redirects(staging: Path, settings: dict[str, Any]) -> None:
    """The not-yet-written newest list pages: redirect pages to their front page (site.redirects)."""
    for save_as, front in sorted(_REDIRECTS.items()):
        path = staging / save_as
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_page(f"{settings['SITEURL']}/{front}", settings["SITENAME"], settings["DEFAULT_LANG"]))


def render_site(job: SiteJob, staging: Path, posts: list[Post], skip_files: list[str],
                photos: dict[str, PhotoSet], extras: Extras, downloads: dict[str, Any], card: Variant) -> list[str]:
    """Write the site's HTML pages and theme files into `staging`; return Pelican's warnings."""
    _PREPARED.clear()
    _PREPARED.update({os.path.abspath(p.source): p for p in posts})
    _PHOTOS.clear()
    _PHOTOS.update(photos)
    _PAGES.clear()
    _PAGES.update(prepare_pages(job, extras, photos))
    overrides = build_settings(job, staging, skip_files, {**extras_context(job, extras, photos), "unduh": downloads},
                               card)
    overrides["READERS"] = {"md": KimReader}
    # compiled templates are shared by every worker and every build (keyed by source checksum)
    bytecode = job.cache_dir / "jinja"
    bytecode.mkdir(parents=True, exist_ok=True)
    overrides["JINJA_ENVIRONMENT"]["bytecode_cache"] = FileSystemBytecodeCache(str(bytecode))
    collector = _Collect()
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(collector)
    pelican_logger.setLevel(logging.WARNING)
    pelican_logger.propagate = False
    console.quiet = True
    _REDIRECTS.clear()
    writers.Paginator = StablePaginator  # type: ignore[misc] # the writer makes its paginators by this name
    try:
        settings = read_settings(None, override=overrides)
        Pelican(settings).run()
        _write_redirects(staging, settings)
    finally:
        pelican_logger.removeHandler(collector)
        _PREPARED.clear()
        _PAGES.clear()
    return collector.messages
