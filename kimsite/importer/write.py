"""Imported items → kimsite's files: `posts/YYYY-MM-DD-<slug>.md` and `pages/<slug>.md`,
with their photos beside them. What was imported before (by the old id or address recorded
in the front matter) is never written again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from kimsite.errors import Text
from kimsite.importer import convert
from kimsite.importer.photos import PhotoFetcher
from kimsite.importer.sources import Item
from kimsite.models import Category
from kimsite.read import frontmatter
from kimsite.read.content import SUMMARY_LIMIT, find_category
from kimsite.read.extras import RESERVED_PAGES
from kimsite.read.markup import plain_text
from kimsite.read.yamlsrc import YamlProblem, dump_front_matter


def imported_ids(kim_dir: Path) -> set[str]:
    """The old ids and addresses recorded in this KIM's posts and pages."""
    found: set[str] = set()
    for path in [*(kim_dir / "posts").glob("*.md"), *(kim_dir / "pages").glob("*.md")]:
        try:
            data = frontmatter.read_source(path.read_bytes(), path.name).data
        except (YamlProblem, OSError):
            continue
        found |= {str(data[k]) for k in ("old_id", "old_url") if data.get(k)}
    return found


@dataclass(frozen=True)
class Written:
    path: Path
    url_path: str  # inside the site
    photos: int
    photo_problems: tuple[tuple[str, Text], ...]


def _free(folder: Path, stem: str) -> str:
    """`stem`, or `stem-2`, `stem-3`… when a file of another post has that name."""
    name, n = stem, 1
    while (folder / f"{name}.md").exists():
        n += 1
        name = f"{stem}-{n}"
    return name


def _categories(item: Item, categories: tuple[Category, ...], default: Category) -> tuple[str, list[str]]:
    """The first of the blog's categories found in the regency's list; the others become tags."""
    found = next((c for word in item.categories if (c := find_category(word, categories))), None)
    rest = [w for w in item.categories if find_category(w, categories) != found]
    tags = list(dict.fromkeys(t for t in [*item.tags, *rest] if t.strip()))
    return (found or default).slug, tags


def _summary(item: Item) -> str | None:
    text = plain_text(item.excerpt) if item.excerpt else ""
    return text[:SUMMARY_LIMIT] if text else None


def _body(item: Item, folder: Path, stem: str, fetcher: PhotoFetcher | None) -> tuple[str, int, int]:
    """Markdown of the body (photos downloaded as `<stem>-N.ext`), photos saved, photos failed."""
    clean = convert.clean_html(item.html)
    names: dict[str, str | None] = {}
    failed_before = len(fetcher.failed) if fetcher else 0
    for n, src in enumerate(convert.image_sources(clean), start=1):
        path = fetcher.get(src, folder, f"{stem}-{n}") if fetcher else None
        names[src] = path.name if path else None
    text = convert.to_markdown(clean, lambda src: names.get(src.replace("&amp;", "&")))
    saved = sum(1 for v in names.values() if v)
    return text, saved, (len(fetcher.failed) - failed_before) if fetcher else len(names)


def write_post(item: Item, kim_dir: Path, categories: tuple[Category, ...], default: Category,
               fetcher: PhotoFetcher) -> Written:
    folder = kim_dir / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    assert item.date is not None
    slug = slugify(item.slug or item.title)[:80].strip("-") or "berita"
    stem = _free(folder, f"{item.date:%Y-%m-%d}-{slug}")
    failed_before = len(fetcher.failed)
    body, photos, _failed = _body(item, folder, stem, fetcher)
    meta: dict[str, object] = {"title": item.title, "date": item.date.isoformat(timespec="minutes")}
    if item.author:
        meta["author"] = item.author
    meta["category"], tags = _categories(item, categories, default)
    if tags:
        meta["tags"] = tags
    if summary := _summary(item):
        meta["summary"] = summary
    lead = fetcher.get(item.featured, folder, f"{stem}-utama") if item.featured else None
    if lead is not None:
        meta["image"], meta["image_alt"] = lead.name, item.featured_alt or item.title
        photos += 1
    if item.draft:
        meta["draft"] = True
    meta.update({k: v for k, v in (("old_url", item.old_url), ("old_id", item.old_id)) if v})
    path = folder / f"{stem}.md"
    path.write_text(f"---\n{dump_front_matter(meta)}---\n\n{body}", encoding="utf-8")
    url_slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)
    return Written(path, f"{item.date:%Y}/{item.date:%m}/{slugify(url_slug)}/", photos,
                   tuple(fetcher.failed[failed_before:]))


def write_page(item: Item, kim_dir: Path) -> Written:
    """A static page; its photos are left out (a page has none in kimsite), their descriptions kept."""
    folder = kim_dir / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    slug = slugify(item.slug or item.title)[:80].strip("-") or "halaman-lama"
    if slug in RESERVED_PAGES or slug.isdigit():
        slug = f"halaman-{slug}"
    stem = _free(folder, slug)
    body, _saved, left_out = _body(item, folder, stem, None)
    meta: dict[str, object] = {"title": item.title}
    if item.draft:
        meta["draft"] = True
    meta.update({k: v for k, v in (("old_url", item.old_url), ("old_id", item.old_id)) if v})
    path = folder / f"{stem}.md"
    path.write_text(f"---\n{dump_front_matter(meta)}---\n\n{body}", encoding="utf-8")
    skipped = ((item.old_url or item.title, Text(f"{left_out} foto di halaman tidak diimpor (halaman tanpa foto)",
                                                 f"{left_out} photos of a page not imported (pages have none)")),)
    return Written(path, f"{stem}/", 0, skipped if left_out else ())
