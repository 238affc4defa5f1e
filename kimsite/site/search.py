"""Search that costs nothing until used (the only importer of pagefind): one Pagefind index
for the whole regency, made by the hub from its posts, and a small one of its own for a KIM on
its own domain (a browser does not fetch the hub's index across sites). The index and its
scripts are fetched by the search pages alone, every other page stays free of JavaScript.
Pagefind's output is deterministic: the same pages give the same bytes."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

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
    with indexing(site) if own_domain else contextlib.nullcontext():
        yield


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
    result shows as metadata, the KIM as the filter its own search page sets."""
    e = functools.partial(html.escape, quote=True)
    meta = "".join(f'<i data-pagefind-meta="{key}:{e(value)}"></i>'
                   for key, value in (("url", record.url), ("kim", record.kim_name), ("desa", record.village)))
    return (f'<html lang="id"><body><main data-pagefind-body data-pagefind-filter="kim:{e(record.kim)}">'
            f'<h1 data-pagefind-meta="title">{e(record.title)}</h1><p>{e(record.text)}</p>{meta}</main></body></html>')


EMPTY = '<html lang="id"><body><main data-pagefind-body><p>kimsite-kosong</p></main></body></html>'


@contextlib.contextmanager
def bundling(records: Sequence[Record], language: str, scripts: bool = True) -> Iterator[dict[str, bytes]]:
    """Pagefind indexes `records` while the body runs; when it ends, the dict it was given holds
    the search bundle's files by path (without `scripts`: its index alone, for merging into a
    bundle that has them). No records: the `EMPTY` page (Pagefind makes no bundle
    without a word), so that the search pages always find both bundles."""
    work = Path(tempfile.mkdtemp(prefix="kimsite-search-"))
    files: dict[str, bytes] = {}
    try:
        pages = [record_page(r) for r in records] or [EMPTY]
        for record, page in zip(records or [None], pages, strict=True):
            name = hashlib.sha256((record.url if record else "").encode()).hexdigest()[:16]
            (work / "site" / name).mkdir(parents=True)
            (work / "site" / name / "index.html").write_text(page, encoding="utf-8")
        command = [executable(), "--site", str(work / "site"), "--output-path", str(work / BUNDLE),
                   "--force-language", language]
        with _running(command) as wait:
            yield files
            wait()
        files.update(_bundle_files(work / BUNDLE, language if scripts else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bundle_files(folder: Path, language: str) -> dict[str, bytes]:
    """The files the search pages load: the index, and with a `language` the scripts and the
    WebAssembly (a merged index runs on its primary's)."""
    kept = {"pagefind-entry.json", *((*SCRIPTS, f"wasm.{language}.pagefind") if language else ())}
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and (path.name in kept or path.name.endswith(INDEX_SUFFIXES))}


def page_context(hub_url: str, kim: str = "", own: str = "", language: str = "id") -> dict[str, str]:
    """What a search page needs: the regency's bundles at the hub, scoped to `kim` ("": the
    whole regency); or `own`, the address of a KIM's own bundle (a KIM on its own domain)."""
    base, today = REGENCY_BUNDLES
    bundles = {"bundle": own, "today": "", "kim": ""} if own else {"bundle": hub_url + base, "today": hub_url + today,
                                                                    "kim": kim}
    return {**bundles, **TEXT.get(language, TEXT["id"]), "script": SCRIPT}


# the search form's words (here, not in i18n: only the search pages use them)
TEXT = {"id": {"label": "Kata yang dicari", "found": "hasil", "more": "Tampilkan lagi"},
        "en": {"label": "Words to search for", "found": "results", "more": "Show more"}}


# The search pages' script, on Pagefind's own API (pagefind.js): its debounced search over the
# bundle named on #cari, the day's bundle merged, scoped to one KIM by the `kim` filter; five
# results at a time, each linking the post's real address and naming its KIM and village. Not
# Pagefind's UI: its default UI is 30 KB and its modular UI loads every filter (34 KB for a
# regency of 15,000 posts) before the first search, where a first search must stay under 200 KB.
SCRIPT = """addEventListener("DOMContentLoaded",function(){var $=function(i){return document.getElementById(i)},\
c=$("cari"),d=c.dataset,q=$("cari-q"),l=$("cari-hasil"),m=$("cari-lagi"),n=$("cari-jumlah"),p,found=[],shown=0,\
seq=0;function pf(){return p=p||import(d.bundle+"pagefind.js").then(function(f){return f.options({noWorker:true})\
.then(function(){return d.today&&f.mergeIndex(d.today)}).then(function(){return f})})}\
function el(t,k,x){var e=document.createElement(t);if(k)e.className=k;if(x)e.textContent=x;return e}\
function more(){var s=seq,next=found.slice(shown,shown+=5);m.hidden=shown>=found.length;\
Promise.all(next.map(function(r){return r.data()})).then(function(rs){if(s!==seq)return;rs.forEach(function(r){\
var li=el("li","hasil"),a=el("a","",r.meta.title),x=el("p");a.href=r.meta.url||r.url;x.innerHTML=r.excerpt;\
li.append(a,el("p","meta",[r.meta.kim,r.meta.desa].filter(Boolean).join(" \\u00b7 ")),x);l.append(li)})})}\
q.addEventListener("focus",pf);q.addEventListener("input",function(){var t=q.value.trim();\
pf().then(function(f){return t?f.debouncedSearch(t,d.kim?{filters:{kim:d.kim}}:{}):{results:[]}})\
.then(function(r){if(!r)return;seq++;l.textContent="";found=r.results;shown=0;\
n.textContent=t?found.length+" "+d.found:"";more()})});m.addEventListener("click",more);\
c.hidden=false;$("tanpa-js").hidden=true})"""
