"""Incremental builds: skip a KIM whose inputs hash the same as at its last build.

The inputs of one KIM site: everything in its content folder, the theme, its part of
the configuration (the job without the build time) and kimsite's own code. A site is
also rebuilt when a scheduled post has come due since its last build. The state of
the last successful build (hash, result, next due date) lives in the build cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from kimsite import __version__, cachefile
from kimsite.models import SiteJob


@dataclass(frozen=True)
class SiteState:
    inputs: str  # sha256 of the inputs
    next_due: datetime | None  # the earliest scheduled post, if any
    result: Any  # the summary of that build's SiteResult (the whole result is in the shard folder)
    stamp: str = ""  # sha256 of the input files' names, sizes and modification times


def _hash_tree(digest: Any, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@functools.cache
def _code_hash() -> bytes:
    """kimsite's own source: a changed build step invalidates every site, version bump or not."""
    digest = hashlib.sha256(f"kimsite {__version__}\0".encode())
    package = Path(__file__).parent
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


def current(job: SiteJob, theme: str | None = None) -> tuple[Any, str, str]:
    """(the last result's summary if the site is up to date, else None; the input hash; the stamp).
    `theme`: as for `input_stamp`."""
    state, stamp = load_state(job), input_stamp(job, theme)
    if state is not None and state.stamp == stamp and _still_valid(state, job):
        return state.result, state.inputs, stamp
    inputs = input_hash(job)
    if is_current(state, inputs, job):
        save_state(job, replace(state, stamp=stamp))  # touched but unchanged: next time the stamp suffices
        return state.result, inputs, stamp
    return None, inputs, stamp


def _still_valid(state: SiteState, job: SiteJob) -> bool:
    return job.output_dir.is_dir() and (state.next_due is None or job.build_time < state.next_due)


def _state_path(job: SiteJob) -> Path:
    return job.cache_dir / "state" / f"{job.kim.slug}.pickle"


def load_state(job: SiteJob) -> SiteState | None:
    state = cachefile.read(_state_path(job))  # none, or a cache from another version: rebuild
    return state if isinstance(state, SiteState) else None


def is_current(state: SiteState | None, inputs: str, job: SiteJob) -> bool:
    return state is not None and state.inputs == inputs and _still_valid(state, job)


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


def hub_is_current(cache_dir: Path, key: str | None, output: Path) -> bool:
    path = cache_dir / "state" / "_hub.txt"
    return (key is not None and path.is_file() and path.read_text() == f"{key} {output}"
            and (output / "index.html").is_file())


def save_hub_key(cache_dir: Path, key: str | None, output: Path) -> None:
    path = cache_dir / "state" / "_hub.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{key} {output}" if key else "")


def save_state(job: SiteJob, state: SiteState) -> None:
    cachefile.write(_state_path(job), state)
