"""`kimsite import`: an existing blog moves into a KIM's folder (next to `cli`, above `build`).

Takes a WordPress export (WXR), a Blogger export or an RSS/Atom feed, as a file or a URL,
and the KIM; gives Markdown posts in `content/<kim>/posts/` (photos beside them), static
pages in `content/<kim>/pages/` and a report: what was imported, what was skipped and why,
and the old addresses that will redirect to the new ones. Running it again writes nothing
already imported (the old id and address are in each file's front matter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from kimsite.errors import Problem, Text
from kimsite.importer import sources, write
from kimsite.importer.photos import PhotoFetcher
from kimsite.importer.sources import Item, SourceError
from kimsite.models import Kim, SiteConfig
from kimsite.read import remote, spam
from kimsite.site.redirects import old_path, old_query, render_nginx

MAX_SOURCE_BYTES = 64 * 1024 * 1024
FETCH_HINT = Text("periksa alamatnya, atau unduh ekspornya dan beri nama berkasnya",
                  "check the address, or download the export and give its file")
EXPORT_HINT = Text("ekspor ulang dari WordPress (Alat → Ekspor) atau Blogger (Setelan → Cadangkan konten)",
                   "export again from WordPress (Tools → Export) or Blogger (Settings → Back up content)")


@dataclass(frozen=True)
class ImportOptions:
    kim: str
    source: str  # a file or an http(s) URL
    allow_local: bool = False  # photos and sources on 127.0.0.1 or a private network (tests)
    timeout: float = 15.0  # seconds per photo
    max_photo_bytes: int = 8 * 1024 * 1024
    photo_budget_bytes: int = 300 * 1024 * 1024  # every photo of the run together


@dataclass
class ImportReport:
    format: str = ""
    posts: list[str] = field(default_factory=list)  # files written
    drafts: int = 0
    pages: list[str] = field(default_factory=list)
    photos: int = 0
    attachments: int = 0  # media-library entries (not posts of their own)
    existing: int = 0  # imported before: left as they are
    skipped: list[tuple[str, Text]] = field(default_factory=list)  # (what, why)
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (old address, new URL)
    nginx: str = ""  # the nginx map of the ?p= redirects


class ImportFailed(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message.id)
        self.problem = problem


def _fail(shown: str, message: Text, hint: Text) -> ImportFailed:
    return ImportFailed(Problem(shown, message, hint))


def read_source_bytes(source: str, policy: remote.FetchPolicy) -> bytes:
    """The export's bytes, from a URL (within the policy) or a file (within the same cap)."""
    if source.startswith(("http://", "https://")):
        try:
            return remote.fetch(source, policy).body
        except remote.FetchError as err:
            raise _fail(source, err.reason, FETCH_HINT) from None
    path = Path(source)
    if not path.is_file():
        raise _fail(source, Text("berkas tidak ditemukan", "file not found"),
                    Text("tulis path berkas ekspor (.xml) atau alamat umpan",
                         "give the export file (.xml) or a feed URL"))
    if path.stat().st_size > policy.max_bytes:
        raise _fail(source, Text(f"lebih besar dari {policy.max_bytes} byte", f"larger than {policy.max_bytes} bytes"),
                    Text("ekspor per tahun atau per kategori", "export one year or one category at a time"))
    return path.read_bytes()


def _kim(config: SiteConfig, slug: str) -> Kim:
    kim = next((k for k in config.kims if k.slug == slug), None)
    if kim is None or kim.external:
        known = ", ".join(k.slug for k in config.kims if not k.external)
        raise _fail(str(config.path.name), Text(f"KIM '{slug}' tidak ada (atau hanya bergabung lewat umpan)",
                                                f"KIM '{slug}' is not there (or joins by its feed only)"),
                    Text(f"pilih salah satu: {known}", f"choose one of: {known}"))
    return kim


def _why_not(item: Item, known: set[str], config: SiteConfig) -> Text | None:
    if item.kind == "other":
        return Text("bukan tulisan atau halaman (menu, komentar, pengaturan)", "not a post or a page (menu, comment, "
                    "settings)")
    if item.trashed:
        return Text("ada di tempat sampah blog lama", "in the old blog's trash")
    if not item.title.strip():
        return Text("tanpa judul", "no title")
    if item.kind == "post" and item.date is None:
        return Text("tanpa tanggal", "no date")
    if (item.old_id and item.old_id in known) or (item.old_url and item.old_url in known):
        return Text("sudah diimpor", "imported already")
    found = spam.check(f"{item.title}\n{item.html}", item.old_url or item.title, config.spam) if config.spam else []
    if found:  # the old HTML, styles and all: a hidden link would be a visible one once its style is gone
        return Text(f"terdeteksi spam judi/tautan tersembunyi ('{found[0].match}'); tidak diimpor",
                    f"looks like gambling spam or hidden links ('{found[0].match}'); not imported")
    return None


def run_import(config: SiteConfig, options: ImportOptions) -> ImportReport:
    """Import the source into the KIM's folder; raise `ImportFailed` when it cannot be read at all."""
    kim = _kim(config, options.kim)
    policy = remote.FetchPolicy(timeout=options.timeout, deadline=max(60.0, options.timeout * 4),
                                max_bytes=MAX_SOURCE_BYTES, allow_local=options.allow_local)
    try:
        export = sources.read_export(read_source_bytes(options.source, policy), ZoneInfo(config.regency.tz_name))
    except SourceError as err:
        raise _fail(options.source, err.reason, EXPORT_HINT) from None
    kim_dir = config.content_dir / kim.slug
    known = write.imported_ids(kim_dir)
    fetcher = PhotoFetcher(remote.FetchPolicy(timeout=options.timeout, deadline=options.timeout * 2,
                                              max_bytes=options.max_photo_bytes, allow_local=options.allow_local),
                           options.photo_budget_bytes, export.site)
    report = ImportReport(format=export.format)
    queries: dict[tuple[str, str], str] = {}
    for item in export.items:
        _import_item(item, kim, kim_dir, config, fetcher, known, report, queries)
    report.photos = fetcher.fetched
    report.nginx = render_nginx(queries) if queries else ""
    return report


def _import_item(item: Item, kim: Kim, kim_dir: Path, config: SiteConfig, fetcher: PhotoFetcher, known: set[str],
                 report: ImportReport, queries: dict[tuple[str, str], str]) -> None:
    if item.kind == "attachment":
        report.attachments += 1
        return
    why = _why_not(item, known, config)
    if why is not None:
        if why.en == "imported already":
            report.existing += 1
        else:
            report.skipped.append((item.old_url or item.title or item.old_id, why))
        return
    if item.kind == "page":
        done = write.write_page(item, kim_dir)
        report.pages.append(str(done.path))
    else:
        done = write.write_post(item, kim_dir, config.categories, config.default_category, fetcher)
        report.posts.append(str(done.path))
        report.drafts += item.draft
    report.skipped += [(url, why) for url, why in done.photo_problems]
    known |= {item.old_id, item.old_url} - {""}
    if item.draft:
        return
    new = kim.url + done.url_path
    for old in dict.fromkeys((item.old_url, item.old_id)):
        query = old_query(old) if old else None
        if query:
            queries[query] = new
        if query or (old and old_path(old) and old_path(old) != done.url_path + "index.html"):
            report.redirects.append((old, new))
