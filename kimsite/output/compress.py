"""Smaller text files: minified HTML and CSS, with .gz (and optionally .br) twins beside every text file.

Hosts that serve precompressed files (nginx `gzip_static`, `brotli_static`) then send
the small twin without compressing on each request. gzip is written with mtime 0 and
brotli is deterministic, so two builds stay byte-identical.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import brotli
import minify_html

# brotli 5 is ~40x faster than 11 on these pages for ~7% more bytes (measured on the sample)
BROTLI_QUALITY = 5
TEXT_SUFFIXES = {".html", ".css", ".js", ".xml", ".json", ".txt", ".svg", ".ics", ".csv"}


# the downloads (unduh/): an offline pack is mostly photos in base64, which its twins would
# carry again at 70 to 75% of its size, on every redeploy after a new post; it is fetched once
# and passed on as it is
_DOWNLOAD = re.compile(r"(^|/)unduh/(kabar|buletin)-[^/]+\.(html|pdf)$")


def is_download(path: str) -> bool:
    """An offline pack or a bulletin (`unduh/kabar-*.html`, `unduh/buletin-*.pdf`)."""
    return _DOWNLOAD.search(path) is not None


def is_text(path: str) -> bool:
    """A file that gets compressed twins (photos are compressed already; downloads go as they are)."""
    return PurePosixPath(path).suffix in TEXT_SUFFIXES and not is_download(path)


def minify(html: str) -> str:
    """Whitespace and comments out; every tag kept, so any HTML parser reads it the same."""
    return minify_html.minify(html, minify_css=True, keep_closing_tags=True, keep_html_and_head_opening_tags=True)


def minify_tree(root: Path, keep: Callable[[str], bool] = lambda _rel: False) -> None:
    """Every page minified in place, but those `keep` names (the downloads: made minified, and
    possibly the very file the live site holds, linked)."""
    for page in sorted(root.rglob("*.html")):
        if not keep(page.relative_to(root).as_posix()):
            page.write_text(minify(page.read_text(encoding="utf-8")), encoding="utf-8")


# the gzip header written byte for byte: mtime 0, "maximum compression", OS 3 (Unix, as zlib
# writes it here). gzip.compress's header depends on the Python version (zlib's or its own)
# and zlib's on the machine: the same page must be the same bytes everywhere.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"


def gzip_bytes(data: bytes) -> bytes:
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflate.compress(data) + deflate.flush()
    return _GZIP_HEADER + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


ENCODERS = {
    "gz": gzip_bytes,
    "br": lambda data: brotli.compress(data, quality=BROTLI_QUALITY),
}


# twins are taken over from a last build only when they were made the same way
SIGNATURE_FILE = ".kimsite-twins"
SIGNATURE = f"gzip 9, brotli {brotli.__version__} quality {BROTLI_QUALITY}\n"


def precompress_tree(root: Path, formats: tuple[str, ...] = ("gz", "br"), previous: Path | None = None,
                     skip: str | None = None) -> int:
    """Write a twin (<file>.gz, <file>.br) in each format beside every text file below root
    (except in the top-level folder `skip`); return how many were compressed. `previous`: the
    site's last output, whose twins are taken over (linked) for every file that came out byte
    for byte the same, if made the same way."""
    if previous is not None and _signature(previous) != SIGNATURE:
        previous = None
    count = 0
    skipped = root / skip if skip else None
    for path in sorted(root.rglob("*")):
        if (is_text(path.relative_to(root).as_posix()) and not (skipped and path.is_relative_to(skipped))
                and path.is_file()):
            data = path.read_bytes()
            old = previous / path.relative_to(root) if previous is not None else None
            if old is not None and _take_twins(old, data, path, formats):
                continue
            for suffix in formats:
                path.with_name(f"{path.name}.{suffix}").write_bytes(ENCODERS[suffix](data))
            count += len(formats)
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
