"""The spare worker: one worker process forked as the build command starts, before the config
is read, so that it imports Pelican, icalendar and fpdf2 on the other core while the parent
reads the config, the profiles and what changed. A build of one site (a new post: the daily
case) hands it its job at once; any other build terminates it unused."""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Iterator
from typing import Any

from kimsite.site import worker

_STARTED: list[Any] = []  # the pool forked by `ahead`, until a build takes it


@contextlib.contextmanager
def ahead(cores: int) -> Iterator[None]:
    """The body runs with a spare worker started (none below 2 `cores`: `--workers 1` or one
    core); one still unused at the end is terminated."""
    if cores >= 2 and not _STARTED:
        _STARTED.append(_fork())
    try:
        yield
    finally:
        _drop()


def take(workers: int) -> Any:  # noqa: ANN401 - a multiprocessing Pool
    """The spare started ahead, or one forked now; None when fewer than 2 `workers` are wanted."""
    if workers < 2:
        _drop()
        return None
    return _STARTED.pop() if _STARTED else _fork()


def _fork() -> Any:  # noqa: ANN401 - a multiprocessing Pool
    return multiprocessing.get_context("fork").Pool(1, initializer=worker.warm_up, maxtasksperchild=1)


def _drop() -> None:
    while _STARTED:
        _STARTED.pop().terminate()
