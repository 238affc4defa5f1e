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
from pelican import Pelican
from pelican.log import console
from pelican.readers import BaseReader
from pelican.settings import read_settings
from pelican.urlwrappers import Author, Category, Tag
from slugify import slugify

from kimsite.models import Extras, PhotoSet, Post, SiteJob
from kimsite.site.context import extras_context, fact_check_context, product_context
from kimsite.site.pelican_settings import build_settings
from kimsite.site.picture import picture_html

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


def render_site(job: SiteJob, staging: Path, posts: list[Post], skip_files: list[str],
                photos: dict[str, PhotoSet], extras: Extras, downloads: dict[str, Any]) -> list[str]:
    """Write the site's HTML pages and theme files into `staging`; return Pelican's warnings."""
    _PREPARED.clear()
    _PREPARED.update({os.path.abspath(p.source): p for p in posts})
    _PHOTOS.clear()
    _PHOTOS.update(photos)
    _PAGES.clear()
    _PAGES.update(prepare_pages(job, extras, photos))
    overrides = build_settings(job, staging, skip_files, {**extras_context(job, extras, photos), "unduh": downloads})
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
    try:
        settings = read_settings(None, override=overrides)
        Pelican(settings).run()
    finally:
        pelican_logger.removeHandler(collector)
        _PREPARED.clear()
        _PAGES.clear()
    return collector.messages
