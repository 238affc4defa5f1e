"""Wall seconds and core-seconds per stage of a build, for `kimsite build -v` and the bench.

Core-seconds are the CPU time of this process and of the worker processes it has waited for
(a pool's workers are counted once the pool is closed, at the end of the sites stage), so
`core-seconds / wall` is how many cores a stage kept busy.
"""

from __future__ import annotations

import contextlib
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, field


def core_seconds() -> float:
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Timings:
    stages: list[tuple[str, float, float]] = field(default_factory=list)  # (name, wall s, core-s)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), core_seconds()
        try:
            yield
        finally:
            self.stages.append((name, time.perf_counter() - wall, core_seconds() - cpu))

    def line(self) -> str:
        return "; ".join(f"{name} {wall:.1f} s ({cpu:.1f} core-s)" for name, wall, cpu in self.stages)
