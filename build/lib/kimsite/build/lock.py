"""One build at a time per project: two builds writing the same output and build state at
once would leave sites with missing pages that the next build calls unchanged.

The lock is an advisory `flock` on `.kimsite-cache/build.lock`: the kernel drops it when the
process ends, however it ends, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kimsite.errors import KimsiteError, Problem, Text, display_path

WAIT_SECONDS = float(os.environ.get("KIMSITE_LOCK_WAIT", "600"))


class Busy(KimsiteError):
    """Another build held the lock for longer than we would wait: nothing was built."""


@contextlib.contextmanager
def held(cache_dir: Path, waiting: Callable[[], None] | None = None,
         wait_seconds: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the project's build lock; wait for another build to finish (calling `waiting` once),
    at most `wait_seconds`, then raise `Busy` saying what to do."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / "build.lock"
    with path.open("a+") as handle:
        deadline, told = time.monotonic() + wait_seconds, False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and waiting is not None:
                    waiting()
                    told = True
                if time.monotonic() >= deadline:
                    raise Busy([Problem(display_path(path), Text(
                        "build lain masih berjalan di proyek ini", "another build is still running in this project"),
                        Text("tunggu build itu selesai lalu ulangi (atau hentikan prosesnya)",
                             "wait for it to finish and run again (or stop that process)"))]) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
