"""What a folder holds: path → sha256 and size, for the build manifest and the deploy plan.

Each site build leaves the manifest of its folder beside it (`.kimsite-part.json`), so the
build manifest of a regency is put together from the parts and the hub's own record
instead of walking and hashing every file of every site again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from kimsite import cachefile

HASHES = ".kimsite-hashes"  # in a scanned folder: hashes by name, size and mtime (a cache, never published)
SKIP_PREFIX = ".kimsite"  # never published: staging folders, the build manifest, target state
PART = ".kimsite-part.json"  # in a site's folder: the manifest of that folder

Entry = dict[str, object]  # {"sha256": str, "size": int}
Manifest = dict[str, Entry]


def file_entry(path: Path) -> Entry:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def scan(root: Path, skip_dirs: frozenset[str] = frozenset(), cached: bool = True) -> Manifest:
    """path → entry for every file below root, except kimsite's own state and `skip_dirs`
    (top-level folders published by another target).

    Hashes are kept in `<root>/.kimsite-hashes` by name, size and modification time, so a
    file that was not rewritten is not read again; a rewritten file is always re-hashed
    (`cached=False`: a folder just written, hashed once and no cache kept).
    """
    cache_path = root / HASHES
    cache: dict[str, tuple[int, int, str]] = (cachefile.read(cache_path) or {}) if cached else {}
    manifest: Manifest = {}
    fresh: dict[str, tuple[int, int, str]] = {}
    for rel, info in sorted(_files(str(root), "", skip_dirs)):
        known = cache.get(rel)
        if known is None or known[:2] != (info.st_size, info.st_mtime_ns):
            known = (info.st_size, info.st_mtime_ns, file_entry(root / rel)["sha256"])
        fresh[rel] = known
        manifest[rel] = {"sha256": known[2], "size": known[0]}
    if cached and fresh != cache and root.is_dir():
        cachefile.write(cache_path, fresh)
    return manifest


def _files(folder: str, prefix: str, skip: frozenset[str] = frozenset()) -> list[tuple[str, os.stat_result]]:
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(SKIP_PREFIX) or entry.name in skip:
                continue
            if entry.is_dir(follow_symlinks=False):
                found += _files(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                found.append((prefix + entry.name, entry.stat()))
    return found


def entries_json(files: Manifest) -> str:
    """The entries, sorted by path, as the inside of a compact JSON object (no braces)."""
    return json.dumps(dict(sorted(files.items())), separators=(",", ":"), ensure_ascii=False)[1:-1]


def write_part(folder: Path, prefix: str) -> None:
    """The manifest of a site folder just built, kept beside its files: a first line with the
    prefix of its paths (`<kim>/`), then its entries as JSON text ready to be joined."""
    files = {prefix + rel: entry for rel, entry in scan(folder, cached=False).items()}
    (folder / PART).write_text(f"{prefix}\n{entries_json(files)}", encoding="utf-8")


def read_part(folder: Path, prefix: str) -> str:
    """A site folder's entries as JSON text: its part, or (none, or made for another prefix)
    a scan of the folder."""
    try:
        head, _newline, text = (folder / PART).read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        head, text = "", ""
    if head == prefix:
        return text
    if not folder.is_dir():  # a site that has never been built
        return ""
    return entries_json({prefix + rel: entry for rel, entry in scan(folder, cached=False).items()})
