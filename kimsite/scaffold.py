"""`kimsite new post`: a ready-to-edit post file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from slugify import slugify

from kimsite.errors import KimsiteError, Problem, Text, display_path
from kimsite.models import SiteConfig

TEMPLATE = """---
title: {title}
date: {date}
author: {author}
category: {category}
tags: []
summary: Satu atau dua kalimat ringkasan untuk daftar berita dan pratinjau WhatsApp.
# image: nama-foto.jpg
# image_alt: Apa yang tampak di foto
draft: true
---

Tulis isi berita di sini. Hapus baris `draft: true` bila sudah siap terbit.
"""


def new_post(config: SiteConfig, kim_slug: str, title: str, now: datetime) -> Path:
    """Create content/<kim>/posts/YYYY-MM-DD-<slug>.md; never overwrite."""
    if kim_slug not in {k.slug for k in config.kims}:
        known = ", ".join(k.slug for k in config.kims)
        raise KimsiteError([Problem(display_path(config.path), Text(f"KIM '{kim_slug}' tidak ada di sites.yaml",
                                                                    f"KIM '{kim_slug}' is not in sites.yaml"),
                                    Text(f"pilih salah satu: {known}", f"choose one of: {known}"))])
    slug = slugify(title) or "berita"
    path = config.content_dir / kim_slug / "posts" / f"{now:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise KimsiteError([Problem(display_path(path), Text("berkas sudah ada", "the file already exists"),
                                    Text("pakai judul lain atau sunting berkas itu",
                                         "use another title or edit that file"))])
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_title = title.replace('"', "'")
    path.write_text(TEMPLATE.format(title=f'"{safe_title}"', date=f"{now:%Y-%m-%d %H:%M}",
                                    author=config.kim(kim_slug).name, category=config.categories[0].slug),
                    encoding="utf-8")
    return path
