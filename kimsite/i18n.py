"""Interface text in Indonesian (default) or English, and dates: the only importer of babel.

Dates never go through the process locale (Pelican changes it process-wide):
babel formats them for the site's language directly.
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from babel.dates import format_date, format_datetime

UI: dict[str, dict[str, str]] = {
    "id": {
        "skip": "Langsung ke isi",
        "home": "Beranda",
        "profile": "Profil",
        "search": "Cari",
        "search_title": "Cari berita",
        "search_needs_js": "Pencarian memakai JavaScript, dan hanya di halaman ini. Tanpa JavaScript, lihat arsip:",
        "archives": "Arsip",
        "categories": "Kategori",
        "tags": "Topik",
        "category": "Kategori",
        "tag": "Topik",
        "newest": "Berita terbaru",
        "read_more": "Baca selengkapnya",
        "by": "oleh",
        "published": "Terbit",
        "newer": "Lebih baru",
        "older": "Lebih lama",
        "page": "Halaman",
        "of": "dari",
        "feeds": "Langganan",
        "feed_rss": "RSS",
        "feed_atom": "Atom",
        "feed_json": "JSON Feed",
        "hub": "Portal KIM",
        "share_wa": "Bagikan ke WhatsApp",
        "about": "Tentang kami",
        "board": "Pengurus",
        "contacts": "Kontak",
        "decree": "Surat Keputusan (SK)",
        "decree_number": "Nomor",
        "decree_date": "Tanggal",
        "valid_until": "Berlaku sampai",
        "kim_id": "Nomor registrasi KIM.id",
        "name": "Nama",
        "role": "Jabatan",
        "whatsapp": "WhatsApp",
        "email": "Surel",
        "no_posts": "Belum ada berita.",
        "posts_in": "Berita dalam",
        "posts_tagged": "Berita bertopik",
        "all_categories": "Semua kategori",
        "all_tags": "Semua topik",
        "example_note": "Situs ini dibuat dengan kimsite.",
        "region_note": "Kode dan data wilayah: Kepmendagri No. 300.2.2-2430 Tahun 2025.",
        "sites": "Situs KIM",
        "site_nav": "Menu situs",
        "breadcrumb": "Navigasi",
        "pagination": "Halaman lain",
        "photo": "Foto",
        "directory": "Direktori",
        "coverage": "Cakupan",
        "digest": "Kabar pekan ini",
        "dashboard": "Dasbor",
        "last_post": "Berita terakhir",
        "none_yet": "belum ada",
        "none": "Tidak ada.",
        "villages_have_kim": "kelurahan/desa sudah memiliki KIM",
        "coverage_by": "Cakupan per",
        "with_kim": "Ber-KIM",
        "villages": "Kelurahan/desa",
        "without_kim": "Belum memiliki KIM",
        "all_covered": "Semua kelurahan/desa sudah memiliki KIM.",
        "no_region_table": "Tabel wilayah belum diatur di sites.yaml (kunci regions).",
        "dashboard_intro": "Keaktifan setiap KIM untuk Diskominfo. Data yang sama:",
        "clusters": "Klaster keaktifan",
        "activity_table": "Berita per bulan",
        "posts_per_month": "Berita per bulan",
        "cluster": "Klaster",
        "inactive": "tidak aktif",
        "inactive_list": "KIM tanpa berita dalam",
        "days": "hari",
        "digest_intro": "Teks siap tempel ke grup WhatsApp: salin kotak di bawah.",
        "plain_text": "Teks polos",
        "news_from": "Berita dari",
        "month_archive": "Arsip",
    },
    "en": {
        "skip": "Skip to content",
        "home": "Home",
        "profile": "Profile",
        "search": "Search",
        "search_title": "Search the news",
        "search_needs_js": "Search uses JavaScript, on this page only. Without JavaScript, see the archive:",
        "archives": "Archives",
        "categories": "Categories",
        "tags": "Topics",
        "category": "Category",
        "tag": "Topic",
        "newest": "Latest news",
        "read_more": "Read more",
        "by": "by",
        "published": "Published",
        "newer": "Newer",
        "older": "Older",
        "page": "Page",
        "of": "of",
        "feeds": "Subscribe",
        "feed_rss": "RSS",
        "feed_atom": "Atom",
        "feed_json": "JSON Feed",
        "hub": "KIM portal",
        "share_wa": "Share on WhatsApp",
        "about": "About us",
        "board": "Board",
        "contacts": "Contacts",
        "decree": "Decree (SK)",
        "decree_number": "Number",
        "decree_date": "Date",
        "valid_until": "Valid until",
        "kim_id": "KIM.id registration number",
        "name": "Name",
        "role": "Role",
        "whatsapp": "WhatsApp",
        "email": "Email",
        "no_posts": "No news yet.",
        "posts_in": "News in",
        "posts_tagged": "News on",
        "all_categories": "All categories",
        "all_tags": "All topics",
        "example_note": "This site is built with kimsite.",
        "region_note": "Region codes and data: Kepmendagri No. 300.2.2-2430 of 2025.",
        "sites": "KIM sites",
        "site_nav": "Site menu",
        "breadcrumb": "Breadcrumb",
        "pagination": "More pages",
        "photo": "Photo",
        "directory": "Directory",
        "coverage": "Coverage",
        "digest": "This week",
        "dashboard": "Dashboard",
        "last_post": "Latest post",
        "none_yet": "none yet",
        "none": "None.",
        "villages_have_kim": "villages have a KIM",
        "coverage_by": "Coverage by",
        "with_kim": "With a KIM",
        "villages": "Villages",
        "without_kim": "Without a KIM",
        "all_covered": "Every village has a KIM.",
        "no_region_table": "No region table is set in sites.yaml (key regions).",
        "dashboard_intro": "How active each KIM is, for Diskominfo. The same data:",
        "clusters": "Activity clusters",
        "activity_table": "Posts per month",
        "posts_per_month": "Posts per month",
        "cluster": "Cluster",
        "inactive": "inactive",
        "inactive_list": "KIMs without a post in",
        "days": "days",
        "digest_intro": "Text ready to paste into a WhatsApp group: copy the box below.",
        "plain_text": "Plain text",
        "news_from": "News from",
        "month_archive": "Archive",
    },
}


def ui_text(language: str) -> dict[str, str]:
    return dict(UI[language])


@functools.lru_cache(maxsize=4096)  # list pages format the same dates again and again
def long_date(value: date | datetime, language: str) -> str:
    """'Selasa, 14 Desember 2021' (or 'Tuesday, 14 December 2021')."""
    return format_date(value, "EEEE, d MMMM y", locale=language)


@functools.lru_cache(maxsize=4096)
def short_date(value: date | datetime, language: str) -> str:
    """'14 Des 2021'."""
    return format_date(value, "d MMM y", locale=language)


def date_time(value: datetime, language: str) -> str:
    """'Selasa, 14 Desember 2021 09.30 WIB' in the date's own timezone."""
    zone = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(str(value.tzinfo), "")
    clock = format_datetime(value, "HH.mm", tzinfo=value.tzinfo, locale=language)
    return f"{long_date(value, language)} {clock} {zone}".rstrip()


def month_year(value: date | datetime, language: str) -> str:
    return format_date(value, "LLLL y", locale=language)
