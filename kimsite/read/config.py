"""sites.yaml → a typed, validated `SiteConfig`; every problem reported at once."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from kimsite.errors import ConfigError, Problem, Text, display_path
from kimsite.models import (
    DEFAULT_CATEGORIES,
    DEFAULT_PRODUCT_CATEGORIES,
    ActivityRules,
    BuildOptions,
    Category,
    HubOptions,
    Kim,
    Regency,
    SiteConfig,
)
from kimsite.read import regions, spam, theme
from kimsite.read.cmsconf import HINTS as CMS_HINTS
from kimsite.read.cmsconf import CmsSchema, cms_options
from kimsite.read.deployconf import DeploySchema, check_targets, deploy_options
from kimsite.read.schema import Strict, validate
from kimsite.read.yamlsrc import LineIndex, YamlProblem, load_yaml

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# folders of the hub at the top of the output: a KIM cannot take these names
RESERVED_SLUGS = {"agenda", "arsip", "cakupan", "cari", "cek-fakta", "dasbor", "direktori", "halaman",
                  "kabar-pekan-ini", "pagefind", "produk", "s", "status-umpan", "tema", "unduh", "wilayah"}
URL = r"^https?://[^\s/]+(/[^\s]*)?$"


class RegencySchema(Strict):
    name: str = Field(pattern=r"^[^\x00-\x1f\x7f]+$", description="Regency or city name, e.g. 'Kabupaten Kulon Progo'")
    code: str = Field(pattern=regions.REGENCY_CODE.pattern, description="Kemendagri code PP.KK")
    base_url: str = Field(pattern=URL, description="Public URL of the hub; KIMs live under it")
    timezone: Literal["WIB", "WITA", "WIT"] = Field(description="Time zone of dates in posts")
    language: Literal["id", "en"] = Field("id", description="Language of the sites' interface")
    district_title: str | None = Field(None, description="What a district is called locally")
    village_title: str | None = Field(None, description="What a village is called locally")


PRINTABLE = r"^[^\x00-\x1f\x7f]+$"  # a name shown on every page: no NUL, no control characters


class KimSchema(Strict):
    slug: str = Field(pattern=SLUG, description="Folder under content/ and path of the site")
    name: str = Field(pattern=PRINTABLE, description="Display name of the KIM")
    village_code: str = Field(pattern=regions.VILLAGE_CODE.pattern, description="PP.KK.CC.XDDD")
    url: str | None = Field(None, pattern=URL, description="Own domain, instead of a subpath")
    language: Literal["id", "en"] | None = Field(None, description="Overrides the regency's")
    feed: str | None = Field(None, pattern=URL, description="An external KIM: it publishes elsewhere (Blogger, "
                             "WordPress, OpenSID) and joins the hub by this RSS/Atom feed; no content folder")
    editors: list[str] = Field([], description="Code-host accounts (@name) who review this KIM's changes: "
                               "CODEOWNERS of its content folder (kimsite codeowners)")

    @field_validator("editors")
    @classmethod
    def _accounts(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(r"^@?[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)*$", v)]
        if bad:
            raise ValueError(f"bukan nama akun / not an account name: {bad[0]}")
        return [v if v.startswith("@") else "@" + v for v in value]


class CategorySchema(Strict):
    slug: str = Field(pattern=SLUG)
    name: str


class BuildSchema(Strict):
    posts_per_page: int = Field(10, ge=1, le=100, description="Posts on each list page")
    workers: int = Field(0, ge=0, le=256, description="Worker processes; 0 = one per core")
    feed_content: Literal["summary", "full"] = Field("summary", description="What KIM feeds carry of each post")
    precompress: list[Literal["gz", "br"]] = Field(["gz"], description="Compressed twins beside text files")
    pack_posts: int = Field(15, ge=1, le=50, description="Newest posts in each offline pack (unduh/kabar-*.html)")
    downloads: bool = Field(True, description="The offline packs, bulletins and Unduh pages (unduh/)")


class HubSchema(Strict):
    posts_per_page: int = Field(20, ge=1, le=200, description="Posts on each hub list page")
    per_kim_cap: int = Field(3, ge=1, le=100, description="At most this many posts of one KIM per page")
    feed_items: int = Field(20, ge=1, le=500, description="Entries in the combined feeds")
    feed_timeout: float = Field(10, gt=0, le=120, description="Seconds to wait for an external KIM's feed")
    feed_max_kb: int = Field(2048, ge=16, le=65536, description="A larger external feed is refused (KB)")
    feed_max_redirects: int = Field(3, ge=0, le=10, description="Redirects followed for an external feed")
    feed_max_entries: int = Field(50, ge=1, le=500, description="Newest entries kept of one external feed")
    feed_allow_local: bool = Field(False, description="Allow external feeds on 127.0.0.1 or private networks "
                                   "(an intranet server; tests)")


class ActivitySchema(Strict):
    sk_expiring_days: int = Field(60, ge=0, description="An SK ending within this many days is 'expiring'")
    inactive_days: int = Field(90, ge=1, description="No post for this many days: listed as inactive")
    regular_days: int = Field(90, ge=1, description="Window for 'regular publishing'")
    regular_min_posts: int = Field(3, ge=1, description="Posts needed in that window to count as regular")
    publishing_days: int = Field(365, ge=1, description="Any post within this many days counts as publishing")


class AllowSchema(Strict):
    path: str = Field(description="The file, as messages show it (content/<kim>/posts/<file>.md)")
    match: str = Field(description="The term or host that was flagged there, as the message quotes it")
    reason: str | None = Field(None, description="Why it is not spam, and who reviewed it")


class SpamSchema(Strict):
    terms: list[str] = Field([], description="More terms that are spam however written (besides the shipped list)")
    block_domains: list[str] = Field([], description="More hosts whose links are spam (a host and its subdomains)")
    allow: list[AllowSchema] = Field([], description="Reviewed false alarms: this match is allowed in this file")
    max_links: int = Field(10, ge=1, le=1000, description="More outbound links than this in one text is spam")


class SitesSchema(Strict):
    regency: RegencySchema
    kims: list[KimSchema] = Field(min_length=1)
    content: str = Field("content", description="Folder with one sub-folder per KIM")
    theme: str | None = Field(None, description="Theme folder (Jinja2 templates + static); default: kimsite's own")
    theme_overrides: str | None = Field(None, description="Folder whose files replace the theme's files of the same "
                                        "path (templates/article.html, hub/base.html, static/css/kim.css)")
    output: str = Field("output", description="Where sites are written")
    regions: str | None = Field(None, description="Region table CSV (code,name,level); default: the national "
                                "table shipped with kimsite")
    categories: list[CategorySchema] | None = Field(None, min_length=1)
    product_categories: list[CategorySchema] | None = Field(None, min_length=1)
    default_category: str | None = Field(None, description="Category of a post whose category is missing or unknown "
                                         "(berita, or the first category when there is no berita)")
    build: BuildSchema = BuildSchema()
    spam: SpamSchema = SpamSchema()
    hub: HubSchema = HubSchema()
    activity: ActivitySchema = ActivitySchema()
    deploy: DeploySchema = DeploySchema()
    cms: CmsSchema | None = Field(None, description="The writing page of every KIM at <kim>/admin/ (Decap CMS)")

    @field_validator("regency")
    @classmethod
    def _base_url_slash(cls, value: RegencySchema) -> RegencySchema:
        if not value.base_url.endswith("/"):
            return value.model_copy(update={"base_url": value.base_url + "/"})
        return value


HINTS = {
    "code": Text("tulis kode Kemendagri seperti \"34.01\" (pakai tanda kutip)",
                 "write the Kemendagri code like \"34.01\" (quoted)"),
    "village_code": Text("tulis kode desa seperti \"34.01.01.2004\" (pakai tanda kutip)",
                         "write the village code like \"34.01.01.2004\" (quoted)"),
    "slug": Text("hanya huruf kecil, angka dan tanda '-', misalnya kim-glagah",
                 "lower-case letters, digits and '-' only, e.g. kim-glagah"),
    "timezone": Text("pilih WIB, WITA atau WIT", "choose WIB, WITA or WIT"),
    "name": Text("tulis nama dengan huruf biasa, tanpa karakter kontrol seperti \\0",
                 "write the name in plain letters, without control characters such as \\0"),
    "base_url": Text("tulis alamat lengkap, misalnya https://kim.kulonprogokab.go.id/",
                     "write a full URL, e.g. https://kim.kulonprogokab.go.id/"),
    "url": Text("tulis alamat lengkap, misalnya https://kimglagah.desa.id/",
                "write a full URL, e.g. https://kimglagah.desa.id/"),
}


def _problem(shown: str, index: LineIndex, loc: tuple, msg: Text, hint: Text | None) -> Problem:
    return Problem(shown, msg, hint, line=index.line_of(loc), key=".".join(map(str, loc)))


def _check_paths(schema: SitesSchema, root: Path, shown: str, index: LineIndex) -> list[Problem]:
    problems = []
    for key in ("content", "theme", "theme_overrides", "regions"):
        value = getattr(schema, key)
        if value is not None and not (root / value).exists():
            problems.append(_problem(
                shown, index, (key,),
                Text(f"folder/berkas '{value}' tidak ada", f"'{value}' does not exist"),
                Text("path relatif terhadap folder sites.yaml", "paths are relative to sites.yaml's folder"),
            ))
    return problems


def _check_default_category(schema: SitesSchema, shown: str, index: LineIndex) -> list[Problem]:
    slugs = [c.slug for c in schema.categories or ()] or [c.slug for c in DEFAULT_CATEGORIES]
    if schema.default_category is None or schema.default_category in slugs:
        return []
    return [_problem(shown, index, ("default_category",),
                     Text(f"kategori bawaan '{schema.default_category}' tidak ada di daftar kategori",
                          f"default category '{schema.default_category}' is not in the categories"),
                     Text(f"pilih salah satu: {', '.join(slugs)}", f"choose one of: {', '.join(slugs)}"))]


def _check_kims(schema: SitesSchema, root: Path, shown: str, index: LineIndex,
                table: regions.RegionTable | None) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for pos, kim in enumerate(schema.kims):
        loc = ("kims", pos)
        for key, value in (("slug", kim.slug), ("village_code", kim.village_code)):
            if (key, value) in seen:
                problems.append(_problem(shown, index, (*loc, key),
                    Text(f"'{value}' sudah dipakai KIM lain", f"'{value}' is already used by another KIM"),
                    Text("setiap KIM butuh slug dan desa sendiri", "each KIM needs its own slug and village")))
            seen[(key, value)] = pos  # type: ignore[index]
        if kim.slug in RESERVED_SLUGS:
            problems.append(_problem(shown, index, (*loc, "slug"),
                Text(f"slug '{kim.slug}' dipakai oleh portal kabupaten", f"slug '{kim.slug}' is used by the hub"),
                Text("pakai slug lain, misalnya kim-" + kim.slug, "use another slug, e.g. kim-" + kim.slug)))
        if regions.regency_code(kim.village_code) != schema.regency.code:
            problems.append(_problem(shown, index, (*loc, "village_code"),
                Text(f"desa {kim.village_code} bukan bagian dari {schema.regency.code}",
                     f"village {kim.village_code} is not in regency {schema.regency.code}"),
                Text("periksa kode desa di tabel wilayah", "check the village code in the region table")))
        elif table is not None and table.get(kim.village_code) is None:
            problems.append(_problem(shown, index, (*loc, "village_code"),
                Text(f"kode desa {kim.village_code} tidak ada di tabel wilayah",
                     f"village code {kim.village_code} is not in the region table"),
                Text("salin kode dari tabel wilayah Kemendagri", "copy the code from the Kemendagri region table")))
        if kim.feed is None and not (root / schema.content / kim.slug / "profile.yaml").is_file():
            problems.append(_problem(shown, index, (*loc, "slug"),
                Text(f"berkas {schema.content}/{kim.slug}/profile.yaml tidak ada",
                     f"{schema.content}/{kim.slug}/profile.yaml is missing"),
                Text("buat folder KIM dengan profile.yaml (lihat docs/content-format.md)",
                     "create the KIM folder with a profile.yaml (see docs/content-format.md)")))
    return problems


def _build_kim(kim: KimSchema, schema: SitesSchema, table: regions.RegionTable | None) -> Kim:
    reg = schema.regency
    district_code = regions.district_code(kim.village_code)
    village = table.get(kim.village_code) if table else None
    district = table.get(district_code) if table else None
    return Kim(
        slug=kim.slug,
        name=kim.name,
        village_code=kim.village_code,
        url=_kim_url(kim, reg.base_url),
        language=kim.language or reg.language,
        own_domain=kim.url is not None or kim.feed is not None,
        village=village.name if village else "",
        district=district.name if district else "",
        village_title=reg.village_title or regions.village_title(kim.village_code),
        district_code=district_code,
        feed=kim.feed,
        editors=tuple(kim.editors),
    )


def _kim_url(kim: KimSchema, base_url: str) -> str:
    """The KIM's home page: its own domain, the home of its external feed, or a subpath of the hub."""
    if kim.url:
        return kim.url.rstrip("/") + "/"
    if kim.feed:
        parts = urlsplit(kim.feed)
        return f"{parts.scheme}://{parts.netloc}/"
    return f"{base_url}{kim.slug}/"


def _theme_dir(schema: SitesSchema, root: Path) -> Path:
    base = root / schema.theme if schema.theme else theme.packaged()
    if schema.theme_overrides is None:
        return base
    return theme.merged(base, root / schema.theme_overrides, root / ".kimsite-cache" / "theme")


def _build_config(schema: SitesSchema, path: Path, table: regions.RegionTable | None) -> SiteConfig:
    root = path.parent
    reg = schema.regency
    regency = Regency(
        name=reg.name, code=reg.code, base_url=reg.base_url, timezone=reg.timezone,
        language=reg.language,
        district_title=reg.district_title or regions.district_title(reg.code),
        village_title=reg.village_title,
    )
    categories = tuple(Category(c.slug, c.name) for c in schema.categories or ()) or DEFAULT_CATEGORIES
    products = tuple(Category(c.slug, c.name) for c in schema.product_categories or ()) or DEFAULT_PRODUCT_CATEGORIES
    return SiteConfig(
        path=path, root=root, content_dir=root / schema.content, theme_dir=_theme_dir(schema, root),
        output_dir=root / schema.output,
        regions_path=(root / schema.regions) if schema.regions else None,
        regency=regency,
        kims=tuple(_build_kim(k, schema, table) for k in schema.kims),
        categories=categories,
        default_category=next((c for c in categories if c.slug == (schema.default_category or "berita")),
                              categories[0]),
        build=BuildOptions(schema.build.posts_per_page, schema.build.workers, schema.build.feed_content,
                           tuple(dict.fromkeys(schema.build.precompress)), schema.build.pack_posts,
                           schema.build.downloads),
        hub=HubOptions(**schema.hub.model_dump()),
        activity=ActivityRules(**schema.activity.model_dump()),
        region_table=table,
        product_categories=products,
        deploy=deploy_options(schema.deploy, root),
        cms=cms_options(schema.cms, root),
        spam=spam.rules(schema.spam.terms, schema.spam.block_domains,
                        [spam.Allow(a.path, a.match) for a in schema.spam.allow], schema.spam.max_links,
                        _hosts(reg.base_url, [k.url for k in schema.kims if k.url])),
    )


def _hosts(*urls: str | list[str]) -> tuple[str, ...]:
    flat = [u for group in urls for u in ([group] if isinstance(group, str) else group)]
    return tuple(sorted({urlsplit(u).hostname or "" for u in flat} - {""}))


def read_config_yaml(path: Path) -> tuple[Any, LineIndex, str]:
    """The YAML of a config file, or a `ConfigError` naming what is wrong with it."""
    shown = display_path(path)
    if not path.is_file():
        raise ConfigError([Problem(shown, Text("berkas konfigurasi tidak ada", "config file not found"),
                                   Text("jalankan dari folder yang berisi sites.yaml atau pakai --config",
                                        "run from the folder with sites.yaml or pass --config"))])
    try:
        data, index = load_yaml(path, shown)
    except YamlProblem as err:
        raise ConfigError([err.problem]) from None
    return data, index, shown


def load_config(path: Path) -> SiteConfig:
    """Read and validate sites.yaml; raise `ConfigError` with every problem found."""
    data, index, shown = read_config_yaml(path)
    return config_from(data, index, shown, path)


def config_from(data: Any, index: LineIndex, shown: str, path: Path) -> SiteConfig:
    schema, problems = validate(SitesSchema, data, index, shown, {**CMS_HINTS, **HINTS})
    if schema is None:
        raise ConfigError(problems)
    root = path.parent
    problems = _check_paths(schema, root, shown, index) + _check_default_category(schema, shown, index)
    table = None
    source = root / schema.regions if schema.regions else regions.NATIONAL
    if source.is_file():
        table = regions.read_region_table(source, (schema.regency.code,))
    problems += _check_kims(schema, root, shown, index, table)
    problems += [_problem(shown, index, loc, msg, hint)
                 for loc, msg, hint in check_targets(schema.deploy, {k.slug for k in schema.kims})]
    if problems:
        raise ConfigError(problems)
    return _build_config(schema, path.resolve(), table)


def with_base_url(config: SiteConfig, base_url: str, *, keep_own_domains: bool = False) -> SiteConfig:
    """The same regency served from another address: a local preview (every KIM under it)
    or a regency inside a province build (KIMs with their own domain may keep it)."""
    base = base_url.rstrip("/") + "/"
    kims = tuple(k if keep_own_domains and k.own_domain else replace(k, url=f"{base}{k.slug}/", own_domain=False)
                 for k in config.kims)
    return replace(config, regency=replace(config.regency, base_url=base), kims=kims)
