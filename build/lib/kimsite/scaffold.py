"""`kimsite new post|cek-fakta|product|event|page`: a ready-to-edit content file (a draft)."""

from __future__ import annotations

from datetime import datetime, timedelta
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


FACT_CHECK = """---
title: "Cek Fakta: {title_text}"
date: {date}
author: {author}
type: cek-fakta
claim: "Tulis klaim yang beredar dalam satu kalimat."
verdict: BELUM TERBUKTI  # HOAKS, DISINFORMASI, FAKTA atau BELUM TERBUKTI
sources:
  - https://contoh.go.id/sumber-bukti
summary: Satu kalimat hasil pemeriksaan.
draft: true
---

Tulis bukti dan penjelasannya di sini. Hapus baris `draft: true` bila sudah siap terbit.
"""

PRODUCT = """---
name: {title}
category: {product_category}
price: 10000  # atau rentang: 10000-25000
unit: per bungkus
seller: Nama penjual atau usaha
whatsapp: "0812-0000-0000"  # nomor HP penjual
photos: []  # nama berkas foto di folder ini, misalnya [{slug}.jpg]
summary: Satu kalimat tentang produk ini.
draft: true
---

Keterangan produk: bahan, ukuran, cara memesan dan mengirim.
"""

EVENT = """---
title: {title}
start: {week_later} 08:00
end: {week_later} 10:00
place: Tempat acara
organiser: {author}
summary: Satu kalimat tentang acara ini.
draft: true
---

Keterangan acara.
"""

PAGE = """---
title: {title}
order: 100  # urutan di menu, yang kecil di depan
draft: true
---

Isi halaman.
"""

# kind → (folder, file name, template); every new file is a draft, valid as written
KINDS = {
    "post": ("posts", "{today}-{slug}.md", TEMPLATE),
    "cek-fakta": ("posts", "{today}-cek-fakta-{slug}.md", FACT_CHECK),
    "product": ("products", "{slug}.md", PRODUCT),
    "event": ("agenda", "{week_later}-{slug}.md", EVENT),
    "page": ("pages", "{slug}.md", PAGE),
}


def new_content(config: SiteConfig, kim_slug: str, kind: str, title: str, now: datetime) -> Path:
    """Create the file of a new post, fact check, product, event or page; never overwrite."""
    if kim_slug not in {k.slug for k in config.kims}:
        known = ", ".join(k.slug for k in config.kims)
        raise KimsiteError([Problem(display_path(config.path), Text(f"KIM '{kim_slug}' tidak ada di sites.yaml",
                                                                    f"KIM '{kim_slug}' is not in sites.yaml"),
                                    Text(f"pilih salah satu: {known}", f"choose one of: {known}"))])
    folder, name, template = KINDS[kind]
    values = {"slug": slugify(title) or "isi", "today": f"{now:%Y-%m-%d}", "date": f"{now:%Y-%m-%d %H:%M}",
              "week_later": f"{now + timedelta(days=7):%Y-%m-%d}", "author": config.kim(kim_slug).name,
              "category": config.categories[0].slug, "product_category": config.product_categories[0].slug,
              "title": '"' + title.replace('"', "'") + '"', "title_text": title.replace('"', "'")}
    path = config.content_dir / kim_slug / folder / name.format(**values)
    if path.exists():
        raise KimsiteError([Problem(display_path(path), Text("berkas sudah ada", "the file already exists"),
                                    Text("pakai judul lain atau sunting berkas itu",
                                         "use another title or edit that file"))])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template.format(**values), encoding="utf-8")
    return path


def new_post(config: SiteConfig, kim_slug: str, title: str, now: datetime) -> Path:
    """Create content/<kim>/posts/YYYY-MM-DD-<slug>.md; never overwrite."""
    return new_content(config, kim_slug, "post", title, now)
