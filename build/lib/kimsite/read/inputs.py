"""What a KIM site is built from, as fingerprints: every file in its content folder, the
theme, its part of the configuration (the job without the build time) and kimsite's own
code. Equal fingerprints mean equal inputs (the build plan and the site worker both use them).
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from kimsite import __version__
from kimsite.models import SiteJob


def _hash_tree(digest: Any, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@functools.cache
def _code_hash() -> bytes:
    """kimsite's own source: a changed build step invalidates every site, version bump or not."""
    digest = hashlib.sha256(f"kimsite {__version__}\0".encode())
    package = Path(__file__).resolve().parent.parent  # kimsite/, not read/
    for path in sorted(package.rglob("*.py")):  # not __pycache__: it changes without the code changing
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def code_version() -> str:
    return _code_hash().hex()


def input_hash(job: SiteJob) -> str:
    digest = hashlib.sha256(_code_hash())
    digest.update(repr(replace(job, build_time=None)).encode())
    _hash_tree(digest, job.theme_dir)
    _hash_tree(digest, job.kim_dir)
    return digest.hexdigest()


def input_stamp(job: SiteJob, theme: str | None = None) -> str:
    """A cheap first look: the same files with the same sizes and modification times as at
    the last build mean the same inputs. Any difference falls back to hashing the bytes.
    `theme`: the theme folder's `folder_stamp`, when taken once for every KIM."""
    digest = hashlib.sha256(_code_hash())
    digest.update(repr(replace(job, build_time=None)).encode())
    digest.update((theme if theme is not None else folder_stamp(job.theme_dir)).encode())
    digest.update(folder_stamp(job.kim_dir).encode())
    return digest.hexdigest()


def folder_stamp(folder: Path) -> str:
    """The names, sizes and modification times of every file below `folder`."""
    return "".join(f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\0" for rel, info in sorted(_walk_stats(str(folder), "")))


def _walk_stats(folder: str, prefix: str) -> list[tuple[str, os.stat_result]]:
    """(relative path, stat) of every file below folder, with os.scandir (no Path objects)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found += _walk_stats(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                found.append((prefix + entry.name, entry.stat()))
    return found


def hub_generation(config_repr: str, theme_dir: Path) -> str:
    """What every hub page depends on besides its own data: code, theme and config (a page
    rendered from the same data within one generation comes out the same). Not the day:
    what the day changes (the dashboard, the digest, the agenda, which posts are out) is
    in the data of the pages it changes, so a new day re-renders those pages only."""
    digest = hashlib.sha256(_code_hash() + config_repr.encode())
    _hash_tree(digest, theme_dir)
    return digest.hexdigest()


def hub_key(generation: str, inputs: list[tuple[str, str]]) -> str | None:
    """What the hub is made of: its generation and every site's inputs (None: rebuild)."""
    if not inputs or any(not hashed for _kim, hashed in inputs):
        return None
    digest = hashlib.sha256(generation.encode())
    for kim, hashed in sorted(inputs):
        digest.update(f"{kim}\0{hashed}\0".encode())
    return digest.hexdigest()
