"""Interface text in Indonesian (default) or English, dates and numbers: the only importer of babel.

Dates and numbers never go through the process locale (Pelican changes it process-wide).
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from babel.dates import format_date, format_datetime, get_month_names
from babel.numbers import format_decimal, format_percent

UI: dict[str, dict[str, str]] = {
    "id": {
        "skip": "Langsung ke isi",
        "home": "Beranda",
        "profile": "Profil",
        "search": "Cari",
        "search_title": "Cari berita",
        "not_found_title": "Halaman tidak ditemukan",
        "not_found_text": "Halaman yang Anda cari tidak ada, sudah dipindah, atau alamatnya salah ketik.",
        "not_found_home": "Kembali ke beranda",
        "all_kims": "semua KIM",
        "search_needs_js": "Pencarian memakai JavaScript, dan hanya di halaman ini. Tanpa JavaScript, lihat arsip:",
        "archives": "Arsip",
        "categories": "Kategori",
        "tags": "Topik",
        "category": "Kategori",
        "tag": "Topik",
        "newest": "Berita terbaru",
        "read_more": "Baca selengkapnya",
        "by": "oleh",
        "updated": "Diperbarui",
        "correction": "Ralat",
        "corrections": "Ralat terbaru",
        "corrections_intro": "Berita yang diperbaiki setelah terbit, dengan catatan ralatnya.",
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
        "table": "Tabel",
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
        "external": "situs sendiri, lewat umpan",
        "feed_status": "Status umpan KIM",
        "feed_status_intro": "KIM yang terbit di situs sendiri masuk portal lewat umpannya (RSS/Atom). Umpan "
                             "yang gagal diambil tidak menghentikan portal: entri terakhir yang baik tetap tampil.",
        "last_fetch": "Terakhir diambil",
        "last_good": "Terakhir berhasil",
        "http_status": "Status HTTP",
        "entries": "Entri",
        "last_error": "Galat terakhir",
        "feed": "Umpan",
        "none": "Tidak ada.",
        "villages_have_kim": "kelurahan/desa sudah memiliki KIM",
        "coverage_by": "Cakupan per",
        "with_kim": "Ber-KIM",
        "villages": "Kelurahan/desa",
        "without_kim": "Belum memiliki KIM",
        "all_covered": "Semua kelurahan/desa sudah memiliki KIM.",
        "no_region_table": "Tabel wilayah belum diatur di sites.yaml (kunci regions).",
        "dashboard_intro": "Keaktifan setiap KIM untuk Diskominfo. Data yang sama:",
        "data_through": "Data sampai dengan",
        "clusters": "Klaster keaktifan",
        "activity_table": "Berita per bulan",
        "posts_per_month": "Berita per bulan",
        "cluster": "Klaster",
        "inactive": "tidak aktif",
        "inactive_list": "KIM tanpa berita dalam",
        "spam_held": "Ditahan karena dugaan spam",
        "spam_held_intro": "Jumlah tulisan yang tidak diterbitkan karena memuat istilah atau tautan judi online. "
                           "Rinciannya hanya untuk Diskominfo.",
        "days": "hari",
        "digest_intro": "Teks siap tempel ke grup WhatsApp: salin kotak di bawah.",
        "plain_text": "Teks polos",
        "news_from": "Berita dari",
        "month_archive": "Arsip",
        "products": "Produk UMKM",
        "products_intro": "Produk warga desa. Pesan langsung ke penjual lewat WhatsApp.",
        "no_products": "Belum ada produk.",
        "all_products": "Semua produk",
        "price": "Harga",
        "seller": "Penjual",
        "order_wa": "Pesan via WhatsApp",
        "agenda": "Agenda",
        "agenda_intro": "Kegiatan yang akan datang.",
        "no_events": "Belum ada kegiatan yang akan datang.",
        "upcoming": "Agenda terdekat",
        "place": "Tempat",
        "organiser": "Penyelenggara",
        "calendar": "Tambahkan ke kalender (.ics)",
        "subscribe_calendar": "Langganan kalender (diperbarui otomatis)",
        "subscribe_https": "alamat https-nya (Android: tekan lama, salin, lalu di Google Kalender pilih «Dari URL»)",
        "all_agenda": "Semua agenda",
        "aspirasi": "Aspirasi",
        "aspirasi_intro": ("Sampaikan usulan, keluhan atau pertanyaan Anda. Pesan dikirim dari ponsel Anda "
                           "sendiri; situs ini tidak menyimpan apa pun."),
        "aspirasi_form": "Tulis aspirasi",
        "topic": "Kategori",
        "rw": "RW",
        "message": "Pesan",
        "send_wa": "Kirim lewat WhatsApp",
        "or_send": "Atau kirim lewat",
        "sms": "SMS",
        "no_contact": "KIM ini belum mencantumkan nomor WhatsApp atau surel; sampaikan aspirasi langsung ke pengurus.",
        "aspirasi_log": "Tindak lanjut aspirasi",
        "received": "Diterima",
        "status": "Status",
        "forwarded_to": "Diteruskan ke",
        "answer": "Jawaban",
        "status_diterima": "diterima",
        "status_diteruskan": "diteruskan",
        "status_dijawab": "dijawab",
        "no_aspirations": "Belum ada aspirasi yang dicatat.",
        "downloads": "Unduh",
        "downloads_intro": "Kabar untuk dibaca tanpa internet dan untuk ditempel di papan informasi.",
        "pack": "Kabar offline",
        "pack_intro": ("Satu berkas HTML berisi berita terbaru, agenda, produk dan kontak, dengan foto. Kirim lewat "
                       "WhatsApp atau salin ke flashdisk; terbuka di peramban mana pun tanpa internet."),
        "bulletin": "Buletin mingguan",
        "bulletin_intro": "PDF A4 untuk dicetak: berita pekan ini dengan kode QR, agenda dan cek fakta.",
        "download_footer": "Unduh kabar offline dan buletin",
        "fact_check": "Cek Fakta",
        "fact_checks": "Cek Fakta",
        "fact_checks_intro": "Hasil pemeriksaan hoaks oleh KIM",
        "claim": "Klaim",
        "verdict": "Hasil",
        "sources": "Sumber",
        "pages": "Halaman",
    },
    "en": {
        "skip": "Skip to content",
        "home": "Home",
        "profile": "Profile",
        "search": "Search",
        "search_title": "Search the news",
        "not_found_title": "Page not found",
        "not_found_text": "The page you are looking for does not exist, has moved, or its address has a typo.",
        "not_found_home": "Back to the home page",
        "all_kims": "all KIMs",
        "search_needs_js": "Search uses JavaScript, on this page only. Without JavaScript, see the archive:",
        "archives": "Archives",
        "categories": "Categories",
        "tags": "Topics",
        "category": "Category",
        "tag": "Topic",
        "newest": "Latest news",
        "read_more": "Read more",
        "by": "by",
        "updated": "Updated",
        "correction": "Correction",
        "corrections": "Recent corrections",
        "corrections_intro": "Posts corrected after they were published, with the correction note.",
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
        "table": "Table",
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
        "external": "own site, by its feed",
        "feed_status": "KIM feed status",
        "feed_status_intro": "KIMs that publish on their own sites join the hub by their feeds (RSS/Atom). A feed "
                             "that cannot be fetched never stops the hub: its last good entries stay.",
        "last_fetch": "Last fetched",
        "last_good": "Last good",
        "http_status": "HTTP status",
        "entries": "Entries",
        "last_error": "Last error",
        "feed": "Feed",
        "none": "None.",
        "villages_have_kim": "villages have a KIM",
        "coverage_by": "Coverage by",
        "with_kim": "With a KIM",
        "villages": "Villages",
        "without_kim": "Without a KIM",
        "all_covered": "Every village has a KIM.",
        "no_region_table": "No region table is set in sites.yaml (key regions).",
        "dashboard_intro": "How active each KIM is, for Diskominfo. The same data:",
        "data_through": "Data up to and including",
        "clusters": "Activity clusters",
        "activity_table": "Posts per month",
        "posts_per_month": "Posts per month",
        "cluster": "Cluster",
        "inactive": "inactive",
        "inactive_list": "KIMs without a post in",
        "spam_held": "Held back as suspected spam",
        "spam_held_intro": "Items not published because they carry online-gambling terms or links. "
                           "The details are for Diskominfo only.",
        "days": "days",
        "digest_intro": "Text ready to paste into a WhatsApp group: copy the box below.",
        "plain_text": "Plain text",
        "news_from": "News from",
        "month_archive": "Archive",
        "products": "Village products",
        "products_intro": "Products made in the village. Order from the seller on WhatsApp.",
        "no_products": "No products yet.",
        "all_products": "All products:",
        "price": "Price",
        "seller": "Seller",
        "order_wa": "Order on WhatsApp",
        "agenda": "Agenda",
        "agenda_intro": "Coming events.",
        "no_events": "No coming events yet.",
        "upcoming": "Coming up",
        "place": "Place",
        "organiser": "Organiser",
        "calendar": "Add to your calendar (.ics)",
        "subscribe_calendar": "Subscribe (updates by itself)",
        "subscribe_https": "its https address (Android: long-press, copy, then «From URL» in Google Calendar)",
        "all_agenda": "Full agenda",
        "aspirasi": "Aspirations",
        "aspirasi_intro": ("Send a proposal, complaint or question. The message is sent from your own phone; "
                           "this site stores nothing."),
        "aspirasi_form": "Write your message",
        "topic": "Topic",
        "rw": "RW",
        "message": "Message",
        "send_wa": "Send on WhatsApp",
        "or_send": "Or send by",
        "sms": "SMS",
        "no_contact": "This KIM lists no WhatsApp number or email yet; please talk to its board in person.",
        "aspirasi_log": "Follow-up of aspirations",
        "received": "Received",
        "status": "Status",
        "forwarded_to": "Forwarded to",
        "answer": "Answer",
        "status_diterima": "received",
        "status_diteruskan": "forwarded",
        "status_dijawab": "answered",
        "no_aspirations": "No aspirations recorded yet.",
        "downloads": "Download",
        "downloads_intro": "News to read without internet and to pin on the notice board.",
        "pack": "Offline news",
        "pack_intro": ("One HTML file with the latest news, agenda, products and contacts, photos included. Send "
                       "it by WhatsApp or copy it to a USB stick; it opens in any browser without internet."),
        "bulletin": "Weekly bulletin",
        "bulletin_intro": "An A4 PDF to print: this week's news with QR codes, the agenda and fact checks.",
        "download_footer": "Download the offline news and the bulletin",
        "fact_check": "Fact check",
        "fact_checks": "Fact checks",
        "fact_checks_intro": "Hoax checks by the KIMs of",
        "claim": "Claim",
        "verdict": "Verdict",
        "sources": "Sources",
        "pages": "Pages",
    },
}


def ui_text(language: str) -> dict[str, str]:
    return dict(UI[language])


def _day(value: date | datetime) -> date:
    """The calendar day in the value's own timezone (all a date shows): one cache entry per day."""
    return value.date() if isinstance(value, datetime) else value


def long_date(value: date | datetime, language: str) -> str:
    """'Selasa, 14 Desember 2021' (or 'Tuesday, 14 December 2021')."""
    return _format_day(_day(value), "EEEE, d MMMM y", language)


def short_date(value: date | datetime, language: str, year: bool = True) -> str:
    """'14 Des 2021', or 'Sel, 14 Des' without the year (an agenda line: the weeks ahead)."""
    return _format_day(_day(value), "d MMM y" if year else "EEE, d MMM", language)


@functools.lru_cache(maxsize=8192)  # list pages format the same days again and again
def _format_day(day: date, pattern: str, language: str) -> str:
    return format_date(day, pattern, locale=language)


def _zone(value: datetime) -> str:
    return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(str(value.tzinfo), "")


def date_time(value: datetime, language: str) -> str:
    """'Selasa, 14 Desember 2021 09.30 WIB' in the date's own timezone."""
    clock = format_datetime(value, "HH.mm", tzinfo=value.tzinfo, locale=language)
    return f"{long_date(value, language)} {clock} {_zone(value)}".rstrip()


def time_span(start: datetime, end: datetime, language: str) -> str:
    """'Rabu, 25 November 2026 08.00–11.00 WIB'; across days, both dates in full."""
    if start.date() != end.date():
        return f"{date_time(start, language)} – {date_time(end, language)}"
    first, last = (format_datetime(v, "HH.mm", tzinfo=v.tzinfo, locale=language) for v in (start, end))
    return f"{long_date(start, language)} {first}–{last} {_zone(start)}".rstrip()


def month_year(value: date | datetime, language: str) -> str:
    return format_date(value, "LLLL y", locale=language)


def day_month_year(value: date | datetime, language: str) -> str:
    """'22 November 2026' (babel's "d MMMM y", put together from its month names: a worker
    formats each day once, and format_date costs about a millisecond a call)."""
    day = _day(value)
    return f"{day.day} {_months(language)[day.month]} {day.year}"


@functools.cache
def _months(language: str) -> dict[int, str]:
    return dict(get_month_names("wide", locale=language))


def file_size(size: int, language: str) -> str:
    """'312 KB', '1,2 MB' (1 KB = 1,024 bytes, as phones' file managers count)."""
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)), locale=language)} KB"
    return f"{format_decimal(round(size / 1024 / 1024, 1), format='#,##0.0', locale=language)} MB"


def number(value: float, language: str) -> str:
    """'1.500' in Indonesian, '1,500' in English."""
    return format_decimal(value, locale=language)


def rupiah(value: int, language: str) -> str:
    """'Rp25.000' (or 'Rp25,000' in English)."""
    return "Rp" + number(value, language)


def percent(ratio: float, language: str) -> str:
    """0.08 → '8,0%' (id), '8.0%' (en)."""
    return format_percent(ratio, format="#,##0.0%", locale=language)
