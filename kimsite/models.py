"""The typed, frozen models every stage passes along. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kimsite.targets import ADMIN_DIR, CMS_BUNDLE_DIR, DECAP_VERSION, CmsOptions, DeployOptions  # noqa: F401 - re-exported

TIMEZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


@dataclass(frozen=True)
class Category:
    slug: str
    name: str


DEFAULT_CATEGORIES = (
    Category("berita", "Berita Desa"),
    Category("pemerintahan", "Pemerintahan"),
    Category("pertanian", "Pertanian"),
    Category("umkm", "UMKM & Ekonomi"),
    Category("kesehatan", "Kesehatan"),
    Category("pendidikan", "Pendidikan"),
    Category("budaya", "Seni & Budaya"),
    Category("lingkungan", "Lingkungan"),
    Category("pengumuman", "Pengumuman"),
    Category("cek-fakta", "Cek Fakta"),
)


DEFAULT_PRODUCT_CATEGORIES = (
    Category("makanan", "Makanan & Minuman"), Category("kerajinan", "Kerajinan"),
    Category("pertanian", "Hasil Tani & Kebun"), Category("fesyen", "Fesyen & Batik"),
    Category("jasa", "Jasa"), Category("lainnya", "Lainnya"),
)
VERDICTS = ("HOAKS", "DISINFORMASI", "FAKTA", "BELUM TERBUKTI")
# the stylesheet's class of each verdict (verdict-salah, …): its colour on KIM pages and the hub
VERDICT_CLASSES = {"HOAKS": "salah", "DISINFORMASI": "salah", "BELUM TERBUKTI": "belum", "FAKTA": "benar"}
ASPIRATION_STATUSES = ("diterima", "diteruskan", "dijawab")  # received, forwarded, answered


@dataclass(frozen=True)
class Regency:
    name: str
    code: str
    base_url: str  # always ends with "/"
    timezone: str  # WIB, WITA or WIT
    language: str
    district_title: str
    village_title: str | None  # None: by each village's code

    @property
    def tz_name(self) -> str:
        return TIMEZONES[self.timezone]


@dataclass(frozen=True)
class Kim:
    slug: str
    name: str
    village_code: str
    url: str  # the site's public URL, ends with "/"
    language: str
    own_domain: bool
    village: str  # names from the region table (or the profile when there is none)
    district: str
    village_title: str
    district_code: str
    editors: tuple[str, ...] = ()  # code-host accounts (@name) who review this KIM's changes (CODEOWNERS)
    feed: str | None = None  # an external KIM: it publishes elsewhere and joins the hub by this feed

    @property
    def external(self) -> bool:
        return self.feed is not None


@dataclass(frozen=True)
class BuildOptions:
    posts_per_page: int = 10
    workers: int = 0  # 0: one per core
    feed_content: str = "summary"  # summary | full
    precompress: tuple[str, ...] = ("gz",)  # twins beside each text file; "br" too where the host serves it
    pack_posts: int = 15  # newest posts in an offline pack
    downloads: bool = True  # unduh/: offline packs, bulletins, the Unduh pages


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class RegionTable:
    regions: dict[str, Region]

    def get(self, code: str) -> Region | None:
        return self.regions.get(code)

    def villages_of(self, parent_code: str) -> list[Region]:
        prefix = parent_code + "."
        return [
            r for code, r in sorted(self.regions.items())
            if r.level == "village" and code.startswith(prefix)
        ]

    def districts_of(self, regency_code: str) -> list[Region]:
        prefix = regency_code + "."
        return [
            r for code, r in sorted(self.regions.items())
            if r.level == "district" and code.startswith(prefix)
        ]


@dataclass(frozen=True)
class HubOptions:
    posts_per_page: int = 20
    per_kim_cap: int = 3
    feed_items: int = 20
    feed_timeout: float = 10.0  # seconds, for the feed of an external KIM
    feed_max_kb: int = 2048
    feed_max_redirects: int = 3
    feed_max_entries: int = 50  # newest entries kept of one external feed
    feed_allow_local: bool = False  # external feeds on 127.0.0.1 or a private network (an intranet, tests)


@dataclass(frozen=True)
class ActivityRules:
    """Thresholds of the activity dashboard and its clusters (docs/activity.md)."""

    sk_expiring_days: int = 60
    inactive_days: int = 90
    regular_days: int = 90
    regular_min_posts: int = 3
    publishing_days: int = 365


@dataclass(frozen=True)
class SiteConfig:
    path: Path  # sites.yaml
    root: Path  # folder holding sites.yaml; config paths are relative to it
    content_dir: Path
    theme_dir: Path
    output_dir: Path
    regions_path: Path | None
    regency: Regency
    kims: tuple[Kim, ...]
    categories: tuple[Category, ...] = DEFAULT_CATEGORIES
    default_category: Category = DEFAULT_CATEGORIES[0]  # of a post whose category is missing or unknown
    build: BuildOptions = BuildOptions()
    hub: HubOptions = HubOptions()
    activity: ActivityRules = ActivityRules()
    region_table: RegionTable | None = None
    product_categories: tuple[Category, ...] = DEFAULT_PRODUCT_CATEGORIES
    deploy: DeployOptions = field(default_factory=lambda: DeployOptions())
    spam: Any = None  # read.spam.SpamRules: what counts as gambling spam here (None: nothing checked)
    cms: CmsOptions | None = None  # the writing pages; None: no KIM has one

    def kim(self, slug: str) -> Kim:
        return next(k for k in self.kims if k.slug == slug)


@dataclass(frozen=True)
class Decree:
    """The SK (Surat Keputusan) that forms a KIM."""

    number: str
    date: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class BoardMember:
    name: str
    role: str


@dataclass(frozen=True)
class SocialLink:
    label: str
    url: str


@dataclass(frozen=True)
class Contacts:
    whatsapp: str | None = None
    email: str | None = None
    social: tuple[SocialLink, ...] = ()


@dataclass(frozen=True)
class Profile:
    name: str
    village: str | None
    district: str | None
    sk: Decree | None
    kim_id: str | None
    board: tuple[BoardMember, ...]
    contacts: Contacts
    about_html: str
    logo: Path | None
    color: str | None


@dataclass(frozen=True)
class ImageRef:
    """A local photo a post uses, and where its processed copy goes in the site."""

    source: Path
    output_path: str  # relative to the site root, e.g. "foto/panen-1a2b3c4d5e.jpg"
    alt: str = ""
    size: int = 0  # bytes of that copy, once the worker has written it (the feeds' enclosure length)


@dataclass(frozen=True)
class Post:
    kim: str
    source: Path
    shown_path: str
    slug: str
    title: str
    date: datetime  # aware, in the regency's timezone
    author: str
    category: Category
    tags: tuple[str, ...]
    summary: str
    html: str
    url_path: str  # relative to the site root, e.g. "2025/03/panen-raya/"
    image: ImageRef | None = None
    images: tuple[ImageRef, ...] = field(default=())  # every local photo, lead included
    fact_check: FactCheck | None = None  # a cek-fakta post
    updated: datetime | None = None  # last edited, when the writer says so ("Diperbarui …", feeds' updated)
    correction: str | None = None  # a correction note (`ralat:`), shown on the page and listed by the hub
    old_urls: tuple[str, ...] = ()  # addresses it had on an imported blog: redirected here
    digest: str = ""  # of the post without its HTML, as the hub sees it (set by the worker)


@dataclass(frozen=True)
class PostSkips:
    drafts: int = 0
    scheduled: int = 0
    next_scheduled: datetime | None = None  # the earliest scheduled post: the site must be rebuilt then


@dataclass(frozen=True)
class SiteJob:
    """Everything one worker needs to build one KIM site (picklable)."""

    kim: Kim
    regency: Regency
    profile: Profile
    kim_dir: Path
    theme_dir: Path
    output_dir: Path  # output/<kim>/, replaced only when the build succeeds
    cache_dir: Path
    root: Path  # the folder of sites.yaml; paths in messages are relative to it
    build_time: datetime
    categories: tuple[Category, ...]
    posts_per_page: int
    hub_url: str
    product_categories: tuple[Category, ...] = DEFAULT_PRODUCT_CATEGORIES
    feed_full_content: bool = False
    precompress: tuple[str, ...] = ("gz",)
    default_category: Category = DEFAULT_CATEGORIES[0]  # of a post whose category is missing or unknown
    drafts: bool = False  # a preview (`kimsite serve --drafts`): drafts and scheduled posts are shown
    spam: Any = None  # read.spam.SpamRules of the regency
    pack_posts: int = 15  # newest posts in the offline pack
    downloads: bool = True
    cms: CmsOptions | None = None  # the writing page `admin/` (None: none)


@dataclass(frozen=True)
class ProvinceConfig:
    """Several regencies under one province hub (see kimsite/read/province.py)."""

    path: Path
    name: str
    code: str
    base_url: str
    language: str
    output_dir: Path
    regencies: tuple[tuple[str, SiteConfig], ...]  # (slug, config)


@dataclass(frozen=True)
class Variant:
    path: str  # relative to the site root
    width: int
    height: int


@dataclass(frozen=True)
class PhotoSet:
    """The web copies of one photo: WebP and JPEG at a few widths, and a share image."""

    fallback: Variant  # the JPEG old browsers and feed readers get (ImageRef.output_path)
    webp: tuple[Variant, ...]
    jpeg: tuple[Variant, ...]
    share: Variant | None = None  # 1200x630 for og:image
    thumb: Variant | None = None  # a list's WebP thumbnail (site.picture.THUMB_SIZE), for a lead photo


@dataclass(frozen=True)
class FactCheck:
    """The claim a cek-fakta post examines and its verdict (one of VERDICTS)."""

    claim: str
    verdict: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Product:
    """An UMKM product of a KIM's village, with its own page under produk/<slug>/."""

    kim: str
    source: Path
    shown_path: str
    slug: str
    name: str
    category: Category
    price_min: int  # rupiah
    price_max: int  # equal to price_min for a single price
    unit: str
    seller: str
    whatsapp: str  # normalised: 62 + the number without its leading 0
    summary: str
    html: str
    photos: tuple[ImageRef, ...] = ()

    @property
    def url_path(self) -> str:
        return f"produk/{self.slug}/"


@dataclass(frozen=True)
class Event:
    """An agenda item; all-day when `all_day` (then start/end are midnights, end exclusive)."""

    kim: str
    shown_path: str
    slug: str
    title: str
    start: datetime  # aware, in the regency's timezone
    end: datetime
    all_day: bool
    place: str
    organiser: str
    summary: str
    html: str


@dataclass(frozen=True)
class Aspiration:
    """One entry of a KIM's public follow-up log of residents' aspirations."""

    received: date
    summary: str
    category: str
    rw: str
    status: str  # one of ASPIRATION_STATUSES
    forwarded_to: str = ""
    answer: str = ""
    answered: date | None = None


@dataclass(frozen=True)
class StaticPage:
    """A page of the KIM (history, vision and mission, …) linked from the site's menu."""

    source: Path
    shown_path: str
    slug: str
    title: str
    order: int
    summary: str
    html: str
    old_urls: tuple[str, ...] = ()  # addresses it had on an imported blog: redirected here

    @property
    def url_path(self) -> str:
        return f"{self.slug}/"


@dataclass(frozen=True)
class Extras:
    """What a KIM publishes beyond news (read by `kimsite.read.extras`)."""

    products: tuple[Product, ...] = ()
    events: tuple[Event, ...] = ()  # every valid event, past ones included, by start
    aspirations: tuple[Aspiration, ...] = ()
    pages: tuple[StaticPage, ...] = ()

