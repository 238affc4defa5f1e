"""The build state in the build cache: for each KIM the fingerprint, the summary of the
result and the next due date of its last successful build; for the hub, its key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kimsite import cachefile
from kimsite.models import SiteJob


@dataclass(frozen=True)
class SiteState:
    inputs: str  # sha256 of the inputs
    next_due: datetime | None  # the earliest scheduled post, if any
    result: Any  # the summary of that build's SiteResult (the whole result is in the shard folder)
    stamp: str = ""  # sha256 of the input files' names, sizes and modification times


def _state_path(job: SiteJob) -> Path:
    return job.cache_dir / "state" / f"{job.kim.slug}.pickle"


def load_state(job: SiteJob) -> SiteState | None:
    state = cachefile.read(_state_path(job))  # none, or a cache from another version: rebuild
    return state if isinstance(state, SiteState) else None


def save_state(job: SiteJob, state: SiteState) -> None:
    cachefile.write(_state_path(job), state)



def hub_is_current(cache_dir: Path, key: str | None, output: Path) -> bool:
    path = cache_dir / "state" / "_hub.txt"
    return (key is not None and path.is_file() and path.read_text() == f"{key} {output}"
            and (output / "index.html").is_file())


def save_hub_key(cache_dir: Path, key: str | None, output: Path) -> None:
    path = cache_dir / "state" / "_hub.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{key} {output}" if key else "")
