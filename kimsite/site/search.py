"""Search that costs nothing until used (the only importer of pagefind): one Pagefind index
for the whole regency, made by the hub from its posts, and a small one of its own for a KIM on
its own domain (a browser does not fetch the hub's index across sites). The index and its
scripts are fetched by the search pages alone, every other page stays free of JavaScript.
Pagefind's output is deterministic: the same pages give the same bytes."""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import html
import json
import os
import shutil
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from kimsite.output import files as output_files

BUNDLE = "pagefind"
REGENCY_BUNDLES = ("pagefind/", "pagefind-baru/")  # the hub's: posts before the build date, and of it
# what the search pages load of Pagefind's output: its API and the index (not its UIs, the
# web worker, the highlighter or the playground)
SCRIPTS = ("pagefind.js",)
INDEX_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")


class Record(NamedTuple):
    """One post in the regency's index: what is searched (title, lead and category, not the
    byline or the body) and what a result shows."""

    url: str  # the post's real address (a KIM on its own domain: there)
    title: str
    text: str
    kim: str  # the KIM's slug: the `kim` filter of its own search page
    kim_name: str
    village: str


@functools.cache
def executable() -> str:
    """The Pagefind binary (from `pagefind[bin]`), found once per process: run directly, not
    through `python -m pagefind`, it spares each site a Python start-up."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise RuntimeError("pagefind: no binary found; install kimsite with its dependencies (pagefind[bin])")
    return str(found)


def index_site(site: Path) -> None:
    """Write the search index of the pages below `site` into `site/pagefind/`."""
    with indexing(site):
        pass


@contextlib.contextmanager
def indexing(site: Path) -> Iterator[None]:
    """Pagefind indexes the pages below `site` into `site/pagefind/` while the body runs (it
    must not change the HTML pages); done, or its error raised, when the body ends."""
    with _running([executable(), "--site", str(site), "--output-subdir", BUNDLE]) as wait:
        yield
        wait()


@contextlib.contextmanager
def own_index(site: Path, own_domain: bool) -> Iterator[None]:
    """A KIM on its own domain: its own index, made while the body runs (`indexing`). A KIM on
    the hub's domain has none: its search page searches the regency's, scoped to it."""
    if not own_domain:
        yield
        return
    with indexing(site):
        yield
    for path in (site / BUNDLE).iterdir():  # only what its search page loads
        if path.is_file() and not _loaded(path.name, path.name.removeprefix("wasm.").removesuffix(".pagefind")):
            path.unlink()


@contextlib.contextmanager
def _running(command: list[str]) -> Iterator:
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        def wait() -> None:
            output, _ = process.communicate(timeout=600)
            if process.returncode != 0:
                raise RuntimeError(f"pagefind: {output.strip()[-500:]}")
        try:
            yield wait
        except BaseException:
            process.kill()
            raise


def records_key(records: Sequence[Record]) -> str:
    """What an index is made of: the same records give the same index."""
    digest = hashlib.sha256()
    for record in records:
        digest.update("\0".join(record).encode() + b"\1")
    return digest.hexdigest()


def record_page(record: Record) -> str:
    """The page Pagefind reads for a record: the searched text in `data-pagefind-body`, what a
    result shows as metadata."""
    e = functools.partial(html.escape, quote=True)
    meta = "".join(f'<i data-pagefind-meta="{key}:{e(value)}"></i>'
                   for key, value in (("url", record.url), ("kim", record.kim_name), ("desa", record.village)))
    return (f'<html lang="id"><body><main data-pagefind-body>'
            f'<h1 data-pagefind-meta="title">{e(record.title)}</h1><p>{e(record.text)}</p>{meta}</main></body></html>')


EMPTY = '<html lang="id"><body><main data-pagefind-body><p>kimsite-kosong</p></main></body></html>'


def _scratch() -> str | None:
    """Where Pagefind's input pages go for a moment: memory (/dev/shm) where the system offers it,
    else the temporary folder (15,000 small files written, read once and removed: 1.3 s on disk).
    Pagefind numbers pages in the order it finds them, and its bytes follow that order: tmpfs
    lists a folder in the order its files were made (here, sorted), where ext4 lists them by a
    hash seeded per file system, so two machines made different bytes from the same records."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


SCRATCH_PREFIX = "kimsite-search-"
STALE_SECONDS = 3600  # a live build's scratch lasts seconds; older, from a process gone: left by a kill


def _scratch_folder() -> Path:
    """A new folder for Pagefind's input pages, named after this process. Those a killed build
    left behind (its process gone, an hour old) are removed first: in /dev/shm they hold memory
    until the machine restarts."""
    parent = Path(_scratch() or tempfile.gettempdir())
    sweep_scratch(parent, time.time())
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=parent))


def sweep_scratch(parent: Path, now: float) -> list[Path]:
    """Remove kimsite's own scratch folders in `parent` whose process is gone and that are older
    than STALE_SECONDS; return them. Nothing else is touched (kimsite never deletes what it did
    not make)."""
    removed = []
    for path in parent.glob(f"{SCRATCH_PREFIX}*-*"):
        pid = path.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        with contextlib.suppress(OSError):
            info = path.lstat()
            if (pid.isdigit() and stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
                    and now - info.st_mtime > STALE_SECONDS and not _alive(int(pid))):
                shutil.rmtree(path)
                removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's
        return True
    return True


@contextlib.contextmanager
def bundling(records: Sequence[Record], language: str, scripts: bool = True) -> Iterator[dict[str, bytes]]:
    """Pagefind indexes `records` while the body runs; when it ends, the dict it was given holds
    the search bundle's files by path (without `scripts`: its index alone, for merging into a
    bundle that has them). No records: the `EMPTY` page (Pagefind makes no bundle
    without a word), so that the search pages always find both bundles."""
    work = _scratch_folder()
    files: dict[str, bytes] = {}
    try:
        pages = [record_page(r) for r in records] or [EMPTY]
        (work / "site").mkdir()
        for record, page in zip(records or [None], pages, strict=True):  # one folder: no folder per page
            name = hashlib.sha256((record.url if record else "").encode()).hexdigest()[:16]
            output_files.write_file(work / "site" / f"{name}.html", page.encode(), new=True)
        command = [executable(), "--site", str(work / "site"), "--output-path", str(work / BUNDLE),
                   "--force-language", language]
        with _running(command) as wait:
            yield files
            wait()
        files.update(_bundle_files(work / BUNDLE, language if scripts else ""))
        files.update(kim_pages(files, records, scripts))
    finally:  # 30,000 files: removed beside the hub's publishing, not before it (the process waits for it)
        threading.Thread(target=shutil.rmtree, args=(work,), kwargs={"ignore_errors": True}).start()


def kim_pages(files: dict[str, bytes], records: Sequence[Record], per_kim: bool) -> dict[str, bytes]:
    """Which of the bundle's pages are whose: a KIM's search page keeps only its own results.
    Not a Pagefind filter: Pagefind writes a filter's values in a different order on every
    run (the bytes would differ between two builds), and its modular UI and result counts load
    every filter (34 KB for 15,000 posts) on the hub, where nothing is filtered. `per_kim`:
    `kim/<slug>.json` each (the big bundle: a KIM's page loads its own list alone), else one
    `kim.json` of every KIM's (the day's bundle)."""
    kims = {r.url: r.kim for r in records}
    pages: dict[str, list[str]] = {}
    for rel, data in files.items():
        if rel.endswith(".pf_fragment"):
            fragment = json.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))
            if fragment["meta"].get("url") in kims:
                pages.setdefault(kims[fragment["meta"]["url"]], []).append(PurePosixPath(rel).stem)
    lists = {kim: sorted(ids) for kim, ids in sorted(pages.items())}
    if per_kim:
        return {f"kim/{kim}.json": json.dumps(ids).encode() for kim, ids in lists.items()}
    return {"kim.json": json.dumps(lists, sort_keys=True).encode()}


def _bundle_files(folder: Path, language: str) -> dict[str, bytes]:
    """The files the search pages load: the index, and with a `language` the scripts and the
    WebAssembly (a merged index runs on its primary's)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and _loaded(path.name, language)}


def _loaded(name: str, language: str) -> bool:
    scripts = (*SCRIPTS, f"wasm.{language}.pagefind") if language else ()
    return name == "pagefind-entry.json" or name in scripts or name.endswith(INDEX_SUFFIXES)


def page_context(hub_url: str, kim: str = "", own: str = "", language: str = "id") -> dict[str, str]:
    """What a search page needs: the regency's bundles at the hub, scoped to `kim` ("": the
    whole regency); or `own`, the address of a KIM's own bundle (a KIM on its own domain)."""
    base, today = REGENCY_BUNDLES
    bundles = {"bundle": own, "today": "", "kim": ""} if own else {"bundle": hub_url + base, "today": hub_url + today,
                                                                    "kim": kim}
    words = TEXT.get(language, TEXT["id"])
    values = {key: html.escape(value, quote=True) for key, value in {**bundles, **words}.items()}
    return {**bundles, **words, "script": SCRIPT, "form": FORM.format(**values)}


# the search form and its result list, the same on the hub's and the KIMs' search pages
FORM = """<div id="cari" class="cari" hidden data-bundle="{bundle}" data-today="{today}" data-kim="{kim}" \
data-found="{found}">
<form role="search" action="javascript:void(0)"><label for="cari-q">{label}</label>
<input id="cari-q" type="search" autocomplete="off" enterkeyhint="search"></form>
<p id="cari-jumlah" aria-live="polite"></p>
<ol id="cari-hasil" class="hasil-cari"></ol>
<button id="cari-lagi" type="button" hidden>{more}</button>
</div>"""


# the search form's words (here, not in i18n: only the search pages use them)
TEXT = {"id": {"label": "Kata yang dicari", "found": "hasil", "more": "Tampilkan lagi"},
        "en": {"label": "Words to search for", "found": "results", "more": "Show more"}}


# The search pages' script, on Pagefind's own API (pagefind.js): its debounced search over the
# bundle named on #cari, the day's bundle merged; on a KIM's page only the results its page
# lists name (`kim_pages`); five results at a time, each linking the post's real address and
# naming its KIM and village. Not Pagefind's UI: its default UI is 30 KB and its modular UI
# loads every filter before the first search, where a first search must stay under 200 KB.
SCRIPT = """addEventListener("DOMContentLoaded",function(){var $=function(i){return document.getElementById(i)},\
c=$("cari"),d=c.dataset,q=$("cari-q"),l=$("cari-hasil"),m=$("cari-lagi"),n=$("cari-jumlah"),p,found=[],shown=0,\
seq=0;function get(u){return fetch(u).then(function(r){return r.ok?r.json():{}})}\
function pf(){return p=p||Promise.all([import(d.bundle+"pagefind.js").then(function(f){\
return f.options({noWorker:true}).then(function(){return d.today&&f.mergeIndex(d.today)}).then(function(){return f})}),\
d.kim&&Promise.all([get(d.bundle+"kim/"+d.kim+".json"),d.today?get(d.today+"kim.json"):{}]).then(function(a){\
return new Set([].concat(a[0],a[1][d.kim]||[]))})])}\
function el(t,k,x){var e=document.createElement(t);if(k)e.className=k;if(x)e.textContent=x;return e}\
function more(){var s=seq,next=found.slice(shown,shown+=5);m.hidden=shown>=found.length;\
Promise.all(next.map(function(r){return r.data()})).then(function(rs){if(s!==seq)return;rs.forEach(function(r){\
var li=el("li","hasil"),a=el("a","",r.meta.title),x=el("p");a.href=r.meta.url||r.url;x.innerHTML=r.excerpt;\
li.append(a,el("p","meta",[r.meta.kim,r.meta.desa].filter(Boolean).join(" \\u00b7 ")),x);l.append(li)})})}\
q.addEventListener("focus",pf);q.addEventListener("input",function(){var t=q.value.trim();\
pf().then(function(a){return Promise.all([t?a[0].debouncedSearch(t):{results:[]},a[1]])})\
.then(function(r){if(!r[0])return;seq++;l.textContent="";found=r[0].results.filter(function(x){\
return !r[1]||r[1].has(x.id)});shown=0;n.textContent=t?found.length+" "+d.found:"";more()})});\
m.addEventListener("click",more);c.hidden=false;$("tanpa-js").hidden=true})"""
