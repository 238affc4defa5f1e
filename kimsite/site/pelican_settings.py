"""(job, posts) → a fresh Pelican settings dict: the only place Pelican's setting names appear.

Built anew for every site (Pelican mutates list values in settings), with `PLUGINS`
set explicitly so no installed plugin is loaded behind our back.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kimsite.models import Kim, Profile, SiteJob, Variant
from kimsite.output.files import theme_css
from kimsite.read import markup
from kimsite.read.phone import normalise_whatsapp, whatsapp_link
from kimsite.site import i18n, search
from kimsite.site.picture import thumb_html

FEED_FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}
PAGE2 = "{base_name}/halaman/{number}/"
LOGO_FILE = "logo.webp"  # the logo at the size the header shows (site.images.encode_logo)


def feed_links(base_url: str) -> dict[str, str]:
    return {kind: base_url + name for kind, name in FEED_FILES.items()}


def initials(name: str) -> str:
    """Two letters for a KIM's badge: "KIM Wates Kota" → "WK" (the word KIM itself is left out)."""
    words = [w for w in name.replace("-", " ").split() if w.upper() != "KIM" and w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "K"


def _kim_context(kim: Kim, profile: Profile, job: SiteJob) -> dict[str, Any]:
    return {
        "slug": kim.slug,
        "name": profile.name or kim.name,
        "url": kim.url,
        "village": kim.village or profile.village or "",
        "village_title": kim.village_title,
        "district": kim.district or profile.district or "",
        "district_title": job.regency.district_title,
        "color": profile.color,
        "logo": kim.url + LOGO_FILE if profile.logo else None,
        "initials": initials(profile.name or kim.name),  # the badge shown when there is no usable logo
        "language": kim.language,
        "feeds": feed_links(kim.url),
    }


def _profile_context(profile: Profile, language: str) -> dict[str, Any]:
    sk = profile.sk
    return {
        "about_html": profile.about_html,
        "kim_id": profile.kim_id,
        "sk": None if sk is None else {
            "number": sk.number,
            "date": i18n.long_date(sk.date, language) if sk.date else "",
            "valid_until": i18n.long_date(sk.valid_until, language) if sk.valid_until else "",
        },
        "board": [{"name": b.name, "role": b.role} for b in profile.board],
        "whatsapp": profile.contacts.whatsapp,
        "whatsapp_link": _whatsapp_link(profile.contacts.whatsapp),
        "email": profile.contacts.email,
        "social": [{"label": s.label, "url": s.url} for s in profile.contacts.social],
    }


def _whatsapp_link(number: str | None) -> str | None:
    """wa.me wants 62812…, not 0812… (a number it cannot read is linked by its digits)."""
    if not number:
        return None
    normal = normalise_whatsapp(number)
    return whatsapp_link(normal) if normal else "https://wa.me/" + "".join(ch for ch in number if ch.isdigit())


def _filters(language: str) -> dict[str, Any]:
    return {
        "tanggal": functools.partial(i18n.long_date, language=language),
        "tanggal_pendek": functools.partial(i18n.short_date, language=language),
        "tanggal_jam": functools.partial(i18n.date_time, language=language),
        "bulan_tahun": functools.partial(i18n.month_year, language=language),
        "tabel": functools.partial(markup.scrolling_tables, label=i18n.ui_text(language)["table"]),
        "thumb": thumb_html,
    }


def _urls() -> dict[str, Any]:
    return {
        "ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
        "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
        "ARTICLE_LANG_SAVE_AS": "", "DRAFT_SAVE_AS": "", "DRAFT_LANG_SAVE_AS": "",
        "PAGE_SAVE_AS": "", "PAGE_LANG_SAVE_AS": "", "DRAFT_PAGE_SAVE_AS": "",
        "CATEGORY_URL": "kategori/{slug}/", "CATEGORY_SAVE_AS": "kategori/{slug}/index.html",
        "TAG_URL": "topik/{slug}/", "TAG_SAVE_AS": "topik/{slug}/index.html",
        "AUTHOR_SAVE_AS": "", "AUTHORS_SAVE_AS": "",
        "ARCHIVES_SAVE_AS": "arsip/index.html",
        "CATEGORIES_SAVE_AS": "kategori/index.html",
        "TAGS_SAVE_AS": "topik/index.html",
        "PROFILE_SAVE_AS": "profil/index.html",
        "PRODUK_SAVE_AS": "produk/index.html", "AGENDA_SAVE_AS": "agenda/index.html",
        "ASPIRASI_SAVE_AS": "aspirasi/index.html", "UNDUH_SAVE_AS": "unduh/index.html",
        "SEARCH_SAVE_AS": "cari/index.html", "404_SAVE_AS": "404.html",  # the host's error page
        # one archive page per year: a new post rewrites its year's page, not every post's list
        "YEAR_ARCHIVE_URL": "arsip/{date:%Y}/", "YEAR_ARCHIVE_SAVE_AS": "arsip/{date:%Y}/index.html",
        "MONTH_ARCHIVE_SAVE_AS": "", "DAY_ARCHIVE_SAVE_AS": "",
        "PAGINATION_PATTERNS": [
            (1, "{url}", "{save_as}"),
            (2, PAGE2, PAGE2 + "index.html"),
        ],
    }


def _no_feeds() -> dict[str, Any]:
    names = ["FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS", "CATEGORY_FEED_ATOM",
             "CATEGORY_FEED_RSS", "AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS", "TAG_FEED_ATOM",
             "TAG_FEED_RSS", "TRANSLATION_FEED_ATOM", "TRANSLATION_FEED_RSS"]
    return dict.fromkeys(names)


def ignore_patterns(names: Iterable[str]) -> list[str]:
    """Exact-name patterns for files Pelican must not read (broken, drafts, scheduled)."""
    return sorted("".join(f"[{c}]" if c in "*?[]" else c for c in name) for name in names)


def build_settings(job: SiteJob, staging: Path, skip_files: Iterable[str],
                   extras: dict[str, Any], card: Variant) -> dict[str, Any]:
    """`extras`: the context of products, agenda, aspirasi and pages (kimsite.site.context);
    `card`: the KIM's share card (site.cards), every page's og:image but a photo's."""
    kim, language = job.kim, job.kim.language
    settings: dict[str, Any] = {
        "PATH": str(job.kim_dir), "OUTPUT_PATH": str(staging), "THEME": str(job.theme_dir),
        "SITENAME": job.profile.name or kim.name, "SITEURL": kim.url.rstrip("/"),
        "TIMEZONE": job.regency.tz_name, "DEFAULT_LANG": language, "LOCALE": [""],
        "PLUGINS": [], "PLUGIN_PATHS": [],
        "ARTICLE_PATHS": ["posts"], "PAGE_PATHS": ["pages", "products"], "STATIC_PATHS": [],
        "IGNORE_FILES": [".*", "__pycache__", *ignore_patterns(skip_files)],
        "DIRECT_TEMPLATES": ["index", "archives", "categories", "tags", "profile", "search", "produk", "agenda",
                             "aspirasi", *(["unduh"] if job.downloads else []), "404"],
        "PAGINATED_TEMPLATES": {"index": None, "category": None, "tag": None},
        "DEFAULT_PAGINATION": job.posts_per_page,
        "RELATIVE_URLS": False, "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False,
        "CACHE_PATH": str(job.cache_dir / "pelican"),
        "DELETE_OUTPUT_DIRECTORY": False, "OUTPUT_SOURCES": False, "TYPOGRIFY": False,
        "WITH_FUTURE_DATES": True, "DEFAULT_DATE": None, "SUMMARY_MAX_LENGTH": None,
        "JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True,
                              "auto_reload": False},  # a build never edits its templates: no stat per page
        "JINJA_FILTERS": _filters(language),
        "THEME_STATIC_DIR": "tema", "THEME_STATIC_PATHS": [],  # the stylesheet is written under its hash
        "CSS_PATH": theme_css(job.theme_dir)[0],
        "KIM": _kim_context(kim, job.profile, job),
        "PROFILE": _profile_context(job.profile, language),
        "REGENCY": {"name": job.regency.name, "code": job.regency.code, "hub_url": job.hub_url},
        "UI": i18n.ui_text(language),
        "SEARCH": search.page_context(job.hub_url, kim.slug, f"{kim.url}{search.BUNDLE}/" if kim.own_domain else "",
                                      language),
        "EXTRAS": extras,
        "SHARE_CARD": {"url": kim.url + card.path, "width": card.width, "height": card.height},
        **_urls(), **_no_feeds(),
    }
    return settings

