"""Progress on a terminal: one rich bar per long phase (sites, deploy uploads); plain lines
when the output is piped (CI logs, files), so a log still shows every KIM's result."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class Bar(AbstractContextManager["Bar"]):
    """A bar while the phase runs, on an interactive terminal only (`active`); gone after it."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label = label
        self.active = enabled and sys.stderr.isatty()
        self._progress: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> Bar:
        if self.active:
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=None)
        return self

    def step(self, done: int, total: int, text: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total, description=f"{self.label} {text}")

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
