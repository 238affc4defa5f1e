"""Smaller text files: minified HTML and CSS, with .gz (and optionally .br) twins beside every text file.

Hosts that serve precompressed files (nginx `gzip_static`, `brotli_static`) then send
the small twin without compressing on each request. gzip is written with mtime 0 and
brotli is deterministic, so two builds stay byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import brotli
import minify_html

from kimsite.output.files import Folders, write_file

# brotli 5 is ~40x faster than 11 on these pages for ~7% more bytes (measured on the sample)
BROTLI_QUALITY = 5
TEXT_SUFFIXES = {".html", ".css", ".js", ".xml", ".json", ".txt", ".svg", ".ics", ".csv"}
# no twins below this size (like nginx's gzip_min_length): a file that fits one TCP segment (MSS 1460)
# arrives in one packet compressed or not, so a short-link redirect page (1.2 KB) gets no twins:
# two files fewer to write, hash and deploy per page
MIN_TWIN_BYTES = 1400
GZIP_LEVEL = 6  # level 9: 0.44 % fewer bytes on the sample (1,138,046 against 1,143,104), at about twice the time


# the downloads (unduh/): an offline pack is mostly photos in base64, which its twins would
# carry again at 70 to 75% of its size, on every redeploy after a new post; it is fetched once
# and passed on as it is
_DOWNLOAD = re.compile(r"(^|/)unduh/(kabar|buletin)-[^/]+\.(html|pdf)$")


def is_download(path: str) -> bool:
    """An offline pack or a bulletin (`unduh/kabar-*.html`, `unduh/buletin-*.pdf`)."""
    return "unduh/" in path and _DOWNLOAD.search(path) is not None  # the test first: 30,000 paths per build


def is_text(path: str) -> bool:
    """A text file (photos are compressed already)."""
    return PurePosixPath(path).suffix in TEXT_SUFFIXES


# brotli only for what browsers load: feed readers, calendar apps, sitemap crawlers and
# spreadsheets ask for gzip, so a .br feed would be one more file to write and deploy, unread
BROTLI_SUFFIXES = {".html", ".css", ".js", ".svg"}


def twin_formats(path: str, size: int, formats: tuple[str, ...]) -> tuple[str, ...]:
    """The twins a file gets of the chosen `formats`: none for photos, downloads (they go as
    they are) or text under MIN_TWIN_BYTES, no brotli for files that only programs read."""
    if size < MIN_TWIN_BYTES or not is_text(path) or is_download(path):
        return ()
    suffix = PurePosixPath(path).suffix
    return tuple(f for f in formats if f != "br" or suffix in BROTLI_SUFFIXES)


def minify(html: str) -> str:
    """Whitespace and comments out; every tag kept, so any HTML parser reads it the same."""
    return minify_html.minify(html, minify_css=True, keep_closing_tags=True, keep_html_and_head_opening_tags=True)


def minify_tree(root: Path, keep: Callable[[str], bool] = lambda _rel: False) -> None:
    """Every page minified in place, but those `keep` names (the downloads: made minified, and
    possibly the very file the live site holds, linked)."""
    for page in sorted(root.rglob("*.html")):
        if not keep(page.relative_to(root).as_posix()):
            page.write_text(minify(page.read_text(encoding="utf-8")), encoding="utf-8")


# the gzip header written byte for byte: mtime 0, no compression flag, OS 3 (Unix). gzip.compress's
# header depends on the Python version (zlib's or its own) and zlib's on the machine: the same page
# must be the same bytes everywhere.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"


def gzip_bytes(data: bytes) -> bytes:
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflate.compress(data) + deflate.flush()
    return _GZIP_HEADER + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


ENCODERS = {
    "gz": gzip_bytes,
    "br": lambda data: brotli.compress(data, quality=BROTLI_QUALITY),
}


# twins are taken over from a last build only when they were made the same way
SIGNATURE_FILE = ".kimsite-twins"
SIGNATURE = (f"gzip {GZIP_LEVEL}, brotli {brotli.__version__} quality {BROTLI_QUALITY} for {sorted(BROTLI_SUFFIXES)}, "
             f"from {MIN_TWIN_BYTES} bytes\n")


def precompress_tree(root: Path, formats: tuple[str, ...] = ("gz", "br"), previous: Path | None = None,
                     skip: str | None = None) -> int:
    """Write the twins (<file>.gz, <file>.br) of twin_formats beside every text file below root
    (except in the top-level folder `skip`); return how many were compressed. `previous`: the
    site's last output, whose twins are taken over (linked) for every file that came out byte
    for byte the same, if made the same way."""
    if previous is not None and _signature(previous) != SIGNATURE:
        previous = None
    count = 0
    skipped = root / skip if skip else None
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if is_text(rel) and not (skipped and path.is_relative_to(skipped)) and path.is_file():
            data = path.read_bytes()
            chosen = twin_formats(rel, len(data), formats)
            if not chosen:
                continue
            old = previous / path.relative_to(root) if previous is not None else None
            if old is not None and _take_twins(old, data, path, chosen):
                continue
            for suffix in chosen:
                path.with_name(f"{path.name}.{suffix}").write_bytes(ENCODERS[suffix](data))
            count += len(chosen)
    (root / SIGNATURE_FILE).write_text(SIGNATURE, encoding="utf-8")
    return count


def _signature(folder: Path) -> str:
    try:
        return (folder / SIGNATURE_FILE).read_text(encoding="utf-8")
    except OSError:
        return ""


def _take_twins(old: Path, data: bytes, path: Path, formats: tuple[str, ...]) -> bool:
    """Link the old file's twins beside `path` when the old file has these bytes and every twin."""
    twins = [(old.with_name(f"{old.name}.{f}"), path.with_name(f"{path.name}.{f}")) for f in formats]
    try:
        if old.read_bytes() != data or not all(source.is_file() for source, _target in twins):
            return False
        for source, target in twins:
            try:
                os.link(source, target)
            except OSError:  # another file system, or no hard links: a copy does as well
                shutil.copyfile(source, target)
    except OSError:
        return False
    return True


Files = tuple[tuple[str, str, int], ...]  # a file and its twins as written: (path, sha256, size)


def _write(folders: Folders, rel: str, data: bytes, fresh: bool | None = None) -> bool:
    """By an atomic rename; in a folder made by this build, where nothing can be replaced, directly.
    Returns whether the folder is such a one (`fresh`: known already, for a twin beside its file)."""
    target = folders.target(rel)
    if fresh is None:
        fresh = folders.fresh(rel)
    if fresh:
        write_file(target, data, new=True)
        return True
    temp = target.with_name(f".{target.name}.kimsite-tmp")
    write_file(temp, data)
    os.replace(temp, target)
    return False


def write_with_twins(folders: Folders, rel: str, data: bytes, formats: tuple[str, ...]) -> Files:
    """Write the file and its twins; return their manifest entries."""
    fresh = _write(folders, rel, data)
    output = folders.root
    written = [(rel, hashlib.sha256(data).hexdigest(), len(data))]
    if is_text(rel):
        wanted = twin_formats(rel, len(data), formats)
        for suffix in ENCODERS:  # twins in the chosen formats; none left in the others
            if suffix in wanted:
                twin = ENCODERS[suffix](data)
                _write(folders, f"{rel}.{suffix}", twin, fresh)
                written.append((f"{rel}.{suffix}", hashlib.sha256(twin).hexdigest(), len(twin)))
            elif not fresh:  # a new folder has no twin of an earlier build
                (output / f"{rel}.{suffix}").unlink(missing_ok=True)
    return tuple(written)
