"""A KIM's writing page, `<kim>/admin/`: Decap CMS with forms made from kimsite's own
definitions (the categories, verdicts, product categories, timezone and required keys the
build validates with), each collection scoped to this KIM's folders.

`config.yml` is written as JSON (YAML reads JSON as it is), sorted, so two builds are
byte-identical. The page is `noindex`, linked from no reader page, and left out of the
sitemap, the feeds, the search index and the byte budgets; only it loads the CMS script."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from kimsite.models import ADMIN_DIR, CMS_BUNDLE_DIR, DECAP_VERSION, VERDICTS, Category, CmsOptions, SiteJob

LOCALE = Path(__file__).resolve().parent.parent / "data" / "decap-id.json"  # kimsite's Indonesian for Decap
DATE_FORMAT = "YYYY-MM-DD HH:mm"  # what read.dates reads: 2025-03-14 09:30, in the regency's timezone
SLUG = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
# Decap's editor and toolbar keep a 800 px minimum width; on a phone they go narrow and the preview
# starts hidden (the eye button shows it). Class names of the pinned version's styled parts: the
# browser test fails at 360 px if a new version renames them.
NARROW = "@media (max-width:799px){.e1nx103k5,.e1d2l9mo22{min-width:0!important}}"
NARROW_PANE = ("if(matchMedia('(max-width:799px)').matches&&!localStorage.getItem('cms.right-pane'))"
               "localStorage.setItem('cms.right-pane','none');")
STATUSES = (("Diterima", "diterima"), ("Diteruskan", "diteruskan"), ("Dijawab", "dijawab"))


def _field(name: str, label: str, widget: str = "string", required: bool = False, **more: Any) -> dict[str, Any]:
    return {"name": name, "label": label, "widget": widget, "required": required, **more}


def _choices(categories: tuple[Category, ...]) -> list[dict[str, str]]:
    return [{"label": c.name, "value": c.slug} for c in categories]


def _when(timezone: str, name: str = "date", label: str = "Tanggal dan jam", required: bool = True) -> dict:
    more = {"default": "{{now}}"} if required else {}
    return _field(name, f"{label} ({timezone})", "datetime", required, format=DATE_FORMAT,
                  date_format="DD-MM-YYYY", time_format="HH:mm", **more)


def _photo(name: str = "image", alt: bool = True) -> list[dict[str, Any]]:
    fields = [_field(name, "Foto utama", "image", choose_url=False)]
    if alt:
        fields.append(_field("image_alt", "Keterangan foto", hint="Wajib bila ada foto: jelaskan isi foto untuk "
                             "pembaca tunanetra, misalnya 'Petani memanen padi di sawah'"))
    return fields


def _post_fields(job: SiteJob) -> list[dict[str, Any]]:
    news = tuple(c for c in job.categories if c.slug != "cek-fakta")
    return [
        _field("title", "Judul", required=True),
        _when(job.regency.timezone),
        _field("author", "Penulis", hint=f"Kosongkan bila ditulis atas nama {job.profile.name or job.kim.name}"),
        _field("category", "Kategori", "select", True, options=_choices(news), default=job.default_category.slug),
        _field("tags", "Topik", "list", hint="Beberapa kata, dipisah koma: panen, padi"),
        _field("summary", "Ringkasan", "text", hint="Satu-dua kalimat untuk daftar berita dan pratinjau WhatsApp"),
        *_photo(),
        _field("draft", "Draf (belum terbit)", "boolean", default=False),
        _field("body", "Isi berita", "markdown", True),
    ]


def _fact_fields(job: SiteJob) -> list[dict[str, Any]]:
    return [
        _field("type", "Jenis", "hidden", default="cek-fakta"),
        _field("title", "Judul", required=True, hint="Misalnya 'Cek Fakta: Tautan Bansos Lewat WhatsApp Itu Penipuan'"),
        _when(job.regency.timezone),
        _field("author", "Penulis"),
        _field("claim", "Klaim yang diperiksa", "text", True, hint="Satu kalimat"),
        _field("verdict", "Hasil pemeriksaan", "select", True, options=list(VERDICTS)),
        _field("sources", "Sumber (alamat web)", "list", hint="Alamat lengkap yang diawali https://, dipisah koma"),
        _field("summary", "Ringkasan", "text"),
        *_photo(),
        _field("draft", "Draf (belum terbit)", "boolean", default=False),
        _field("body", "Penjelasan dan bukti", "markdown", True),
    ]


def _product_fields(job: SiteJob) -> list[dict[str, Any]]:
    return [
        _field("name", "Nama produk", required=True),
        _field("category", "Kategori produk", "select", True, options=_choices(job.product_categories)),
        _field("price", "Harga (rupiah)", required=True, pattern=[r"^[0-9]+(-[0-9]+)?$",
               "Tulis angka tanpa titik: 25000, atau rentang 15000-30000"]),
        _field("unit", "Satuan", hint="Misalnya 'per 500 gram'"),
        _field("seller", "Penjual atau usaha", required=True),
        _field("whatsapp", "Nomor WhatsApp penjual", required=True, pattern=[
            r"^(\+62|62|0)8[0-9 .-]{7,14}$", "Nomor HP Indonesia, misalnya 0812-3456-7890"]),
        _field("photos", "Foto produk", "list", field=_field("photo", "Foto", "image", True, choose_url=False),
               hint="Foto pertama menjadi foto utama"),
        _field("summary", "Ringkasan", "text"),
        _field("draft", "Draf (belum terbit)", "boolean", default=False),
        _field("body", "Keterangan produk", "markdown", True),
    ]


def _event_fields(job: SiteJob) -> list[dict[str, Any]]:
    tz = job.regency.timezone
    return [
        _field("title", "Nama acara", required=True),
        _when(tz, "start", "Mulai"),
        _when(tz, "end", "Selesai", required=False),
        _field("place", "Tempat", required=True),
        _field("organiser", "Penyelenggara", hint=f"Kosongkan bila {job.profile.name or job.kim.name}"),
        _field("summary", "Ringkasan", "text"),
        _field("draft", "Draf (belum terbit)", "boolean", default=False),
        _field("body", "Keterangan acara", "markdown", True),
    ]


def _page_fields(_job: SiteJob) -> list[dict[str, Any]]:
    return [
        _field("title", "Judul halaman", required=True),
        _field("order", "Urutan di menu", "number", value_type="int", default=100, min=0,
               hint="Angka kecil tampil lebih dulu"),
        _field("summary", "Ringkasan", "text"),
        _field("draft", "Draf (belum terbit)", "boolean", default=False),
        _field("body", "Isi halaman", "markdown", True),
    ]


def _aspiration_fields() -> list[dict[str, Any]]:
    day = {"format": "YYYY-MM-DD", "date_format": "DD-MM-YYYY", "time_format": False}
    entry = [
        _field("received", "Tanggal diterima", "datetime", True, default="{{now}}", **day),
        _field("summary", "Isi aspirasi (tanpa nama warga)", "text", True),
        _field("category", "Kategori", hint="Misalnya Infrastruktur"),
        _field("rw", "RW", hint="Misalnya 05"),
        _field("status", "Status", "select", True, default="diterima",
               options=[{"label": label, "value": value} for label, value in STATUSES]),
        _field("forwarded_to", "Diteruskan ke"),
        _field("answer", "Jawaban", "text"),
        _field("answered", "Tanggal dijawab", "datetime", **day),
    ]
    return [_field("entries", "Aspirasi", "list", summary="{{fields.received}} · {{fields.summary}}",
                   label_singular="aspirasi", fields=entry)]


def _folder(name: str, label: str, folder: str, fields: list[dict[str, Any]], slug: str = "{{slug}}",
            **more: Any) -> dict[str, Any]:
    return {"name": name, "label": label, "label_singular": label.lower(), "folder": folder, "create": True,
            "extension": "md", "format": "yaml-frontmatter", "slug": slug, "media_folder": "", "public_folder": "",
            "fields": fields, **more}


def collections(job: SiteJob) -> list[dict[str, Any]]:
    """One collection per kind of content, each inside this KIM's folder under `content/`."""
    base = job.kim_dir.relative_to(job.root).as_posix()
    # posts/YYYY-MM-DD-<slug>.md, as the format asks, dated by the post's own date field in the
    # writer's time: Decap's {{year}}-{{month}}-{{day}} are today's date in UTC, a day early
    # for a post written between midnight and 7:00 WIB
    dated = "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}"
    return [
        _folder("berita", "Berita", f"{base}/posts", _post_fields(job), dated, summary="{{title}}",
                sortable_fields=["date", "title"], identifier_field="title"),
        _folder("cek-fakta", "Cek Fakta", f"{base}/posts", _fact_fields(job), dated, summary="{{verdict}}: {{title}}",
                filter={"field": "type", "value": "cek-fakta"}, identifier_field="title"),
        _folder("produk", "Produk UMKM", f"{base}/products", _product_fields(job), identifier_field="name"),
        _folder("agenda", "Agenda", f"{base}/agenda", _event_fields(job), identifier_field="title"),
        _folder("halaman", "Halaman", f"{base}/pages", _page_fields(job), identifier_field="title"),
        {"name": "aspirasi", "label": "Aspirasi", "files": [
            {"name": "aspirasi", "label": "Catatan tindak lanjut aspirasi", "file": f"{base}/aspirasi.yaml",
             "fields": _aspiration_fields()}]},
    ]


def _backend(cms: CmsOptions) -> dict[str, Any]:
    backend: dict[str, Any] = {"name": cms.backend, "repo": cms.repo, "branch": cms.branch}
    if cms.backend == "gitlab":
        backend["auth_type"] = "pkce"
    for key in ("base_url", "api_root", "app_id"):
        if getattr(cms, key) is not None:
            backend[key] = getattr(cms, key)
    return backend


def render_config(job: SiteJob, cms: CmsOptions) -> bytes:
    """The CMS's config.yml (JSON text), the same bytes for the same job."""
    config: dict[str, Any] = {
        "backend": _backend(cms), "locale": "id", "site_url": job.kim.url, "display_url": job.kim.url,
        "media_folder": f"{job.kim_dir.relative_to(job.root).as_posix()}/posts", "public_folder": "",
        "slug": SLUG, "collections": collections(job),
    }
    if cms.editorial_workflow:
        config["publish_mode"] = "editorial_workflow"
    if cms.local_backend:
        config["local_backend"] = {"url": cms.local_backend}
    return (json.dumps(config, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def script_url(job: SiteJob, cms: CmsOptions) -> str:
    return cms.script_url or f"{job.hub_url}{CMS_BUNDLE_DIR}/decap-cms.js"


def render_page(job: SiteJob, cms: CmsOptions, css_path: str) -> bytes:
    name = escape(job.profile.name or job.kim.name)
    phrases = LOCALE.read_text(encoding="utf-8")
    css = json.dumps(job.kim.url + css_path)
    return f"""<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<title>Tulis · {name}</title>
<link rel="cms-config-url" type="text/yaml" href="config.yml">
<style>{NARROW}</style>
</head>
<body>
<noscript>Halaman tulis {name} memerlukan JavaScript. / The writing page needs JavaScript.</noscript>
<script>{NARROW_PANE}</script>
<script src="{escape(script_url(job, cms))}" data-decap-version="{DECAP_VERSION}"></script>
<script>
CMS.registerLocale("id", {phrases});
CMS.registerPreviewStyle({css});
</script>
</body>
</html>
""".encode()


def admin_files(job: SiteJob, css_path: str) -> dict[str, bytes]:
    """The files of `admin/` for this KIM (none when the regency has no `cms:`)."""
    if job.cms is None:
        return {}
    return {f"{ADMIN_DIR}/index.html": render_page(job, job.cms, css_path),
            f"{ADMIN_DIR}/config.yml": render_config(job, job.cms)}
