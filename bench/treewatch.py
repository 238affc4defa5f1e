"""Run commands one after the other and measure them as one phase: wall time and peak memory.

    echo '{"commands": [[...], ...], "log": "PATH"}' | python bench/treewatch.py

Prints one JSON line: ok, returncode, failed_command, stderr_tail, seconds, peak_mb (the
largest single process: RUSAGE_CHILDREN max RSS, which covers every waited-for
descendant), tree_peak_mb (resident memory summed over the whole process tree below this
wrapper, sampled from /proc every 0.1 s: shows parallel workers, but counts pages that
forked workers share with their parent once per process) and tree_pss_mb (the same tree's
proportional set size, shared pages split between their sharers: the honest total). The
commands' stdout and stderr go to `log`. Run in a fresh process per phase, so that
RUSAGE_CHILDREN starts from zero.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, resident pages) for every process we can read."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        table[int(entry.name)] = (int(fields[1]), int(fields[21]))
    return table


def _descendants(root: int, table: dict[int, tuple[int, int]]) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _rss) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except (OSError, ValueError):
        return 0  # ended meanwhile, or a kernel without smaps_rollup


def tree_memory(root: int) -> tuple[int, int]:
    """(RSS bytes, PSS bytes) of all descendants of `root` (not `root` itself)."""
    table = _proc_table()
    pids = _descendants(root, table)
    return sum(table[pid][1] for pid in pids) * PAGE, sum(_pss_kib(pid) for pid in pids) * 1024


def _sample_tree(peak: list[int], stop: threading.Event) -> None:
    while not stop.wait(0.1):
        rss, pss = tree_memory(os.getpid())
        peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)


def run_commands(commands: list[list[str]], log: str) -> dict[str, object]:
    """Run in turn, stop at the first failure."""
    report: dict[str, object] = {"ok": True, "returncode": 0, "failed_command": None, "stderr_tail": ""}
    with open(log, "w", encoding="utf-8") as out:
        for command in commands:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            out.write(f"$ {' '.join(command)}\n{done.stdout}{done.stderr}")
            if done.returncode != 0:
                report.update(ok=False, returncode=done.returncode, failed_command=" ".join(command),
                              stderr_tail=(done.stderr or done.stdout)[-3000:])
                break
    return report


def main(spec: dict) -> None:
    peak, stop = [0, 0], threading.Event()
    sampling = os.path.exists("/proc/self/stat")
    sampler = threading.Thread(target=_sample_tree, args=(peak, stop), daemon=True)
    if sampling:
        sampler.start()
    started = time.perf_counter()
    report = run_commands(spec["commands"], spec["log"])
    report["seconds"] = time.perf_counter() - started
    stop.set()
    report["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    report["tree_peak_mb"] = peak[0] / 2**20 if sampling else None
    report["tree_pss_mb"] = peak[1] / 2**20 if sampling and peak[1] else None
    print(json.dumps(report))


if __name__ == "__main__":
    main(json.loads(sys.stdin.read()))  # not argv: a thousand commands exceed its limit
