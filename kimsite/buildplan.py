"""Incremental builds: skip a KIM whose inputs hash the same as at its last build.

The inputs of one KIM site: everything in its content folder, the theme, its part of
the configuration (the job without the build time) and kimsite's own code. A site is
also rebuilt when a scheduled post has come due since its last build. The state of
the last successful build (hash, result, next due date) lives in the build cache.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from kimsite import __version__
from kimsite.models import SiteJob


@dataclass(frozen=True)
class SiteState:
    inputs: str  # sha256 of the inputs
    next_due: datetime | None  # the earliest scheduled post, if any
    result: Any  # the SiteResult of that build


def _hash_tree(digest: Any, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def _code_hash() -> bytes:
    """kimsite's own source: a changed build step invalidates every site, version bump or not."""
    digest = hashlib.sha256(f"kimsite {__version__}\0".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):  # not __pycache__: it changes without the code changing
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def input_hash(job: SiteJob) -> str:
    digest = hashlib.sha256(_code_hash())
    digest.update(repr(replace(job, build_time=None)).encode())
    _hash_tree(digest, job.theme_dir)
    _hash_tree(digest, job.kim_dir)
    return digest.hexdigest()


def _state_path(job: SiteJob) -> Path:
    return job.cache_dir / "state" / f"{job.kim.slug}.pickle"


def load_state(job: SiteJob) -> SiteState | None:
    path = _state_path(job)
    try:
        return pickle.loads(path.read_bytes()) if path.is_file() else None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # a cache from another version: rebuild


def is_current(state: SiteState | None, inputs: str, job: SiteJob) -> bool:
    return (state is not None and state.inputs == inputs and job.output_dir.is_dir()
            and (state.next_due is None or job.build_time < state.next_due))


def save_state(job: SiteJob, state: SiteState) -> None:
    path = _state_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    temp.write_bytes(pickle.dumps(state))
    temp.replace(path)
