"""Run commands and measure them as one phase: wall time, CPU time and peak memory.

    echo '{"commands": [[...], ...], "log": "PATH"}' | python bench/treewatch.py
    echo '{"jobs": [[[...], [...]], ...], "parallel": 2, "log": "PATH"}' | python bench/treewatch.py

"commands" run one after the other. "jobs" are lists of commands: each job's commands run in
turn, and `parallel` jobs run at a time (a pool of that many concurrent processes, as
`xargs -P2` would run them; default 1). Either way the phase stops at the first failure (jobs
already running finish).

Prints one JSON line: ok, returncode, failed_command, stderr_tail, seconds, core_seconds
(user + system CPU seconds of every waited-for process below this wrapper, from
RUSAGE_CHILDREN: a child's reaped descendants, such as kimsite's forked workers and its
Pagefind runs, are in it), user_seconds, sys_seconds, stages (per program: runs,
core_seconds from wait4 of each run, and busy_seconds, the runs' wall times summed, which
exceed the phase's wall time when jobs run in parallel), peak_mb (the largest single
process: RUSAGE_CHILDREN max RSS, which covers every waited-for descendant), tree_peak_mb
(resident memory summed over the whole process tree below this wrapper, sampled from /proc
every 0.1 s: shows parallel workers, but counts pages that forked workers share with their
parent once per process) and tree_pss_mb (the same tree's proportional set size, shared
pages split between their sharers: the honest total). The commands' stdout and stderr go to
`log`. Run in a fresh process per phase, so that RUSAGE_CHILDREN starts from zero.
"""

from __future__ import annotations

import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

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


def stage_name(command: list[str]) -> str:
    """The program a command runs: `python -m kimsite ...` is kimsite, `python bench/twins.py` is twins."""
    program = Path(command[0]).name
    if program.startswith("python") and "-m" in command[:-1]:
        return command[command.index("-m") + 1]
    if program.startswith("python") and len(command) > 1 and not command[1].startswith("-"):
        return Path(command[1]).stem
    return program


def _run_one(command: list[str]) -> tuple[int, float, float, str, str]:
    """(exit code, wall seconds, core seconds, stdout, stderr) of one command. Reaped with
    wait4, whose usage is the child's own plus that of its reaped descendants."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        texts = []
        for stream in (stdout, stderr):
            stream.seek(0)
            texts.append(stream.read().decode("utf-8", errors="replace"))
    return process.returncode, seconds, usage.ru_utime + usage.ru_stime, texts[0], texts[1]


def run_jobs(jobs: list[list[list[str]]], parallel: int, log: str) -> dict[str, object]:
    """`parallel` jobs at a time, each job's commands in turn; no new job after a failure."""
    report: dict[str, object] = {"ok": True, "returncode": 0, "failed_command": None, "stderr_tail": ""}
    stages: dict[str, dict[str, float]] = {}
    queue, lock = collections.deque(jobs), threading.Lock()
    with open(log, "w", encoding="utf-8") as out:

        def worker() -> None:
            while True:
                with lock:
                    if not report["ok"] or not queue:
                        return
                    job = queue.popleft()
                for command in job:
                    code, seconds, cpu, stdout, stderr = _run_one(command)
                    with lock:
                        out.write(f"$ {' '.join(command)}\n{stdout}{stderr}")
                        stage = stages.setdefault(stage_name(command),
                                                  {"runs": 0, "core_seconds": 0.0, "busy_seconds": 0.0})
                        stage["runs"] += 1
                        stage["core_seconds"] += cpu
                        stage["busy_seconds"] += seconds
                        if code != 0 and report["ok"]:
                            report.update(ok=False, returncode=code, failed_command=" ".join(command),
                                          stderr_tail=(stderr or stdout)[-3000:])
                    if code != 0:
                        return

        threads = [threading.Thread(target=worker) for _ in range(max(1, min(parallel, len(jobs))))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    report["stages"] = stages
    return report


def main(spec: dict) -> None:
    peak, stop = [0, 0], threading.Event()
    sampling = os.path.exists("/proc/self/stat")
    sampler = threading.Thread(target=_sample_tree, args=(peak, stop), daemon=True)
    if sampling:
        sampler.start()
    started = time.perf_counter()
    jobs = spec["jobs"] if "jobs" in spec else [[command] for command in spec["commands"]]
    report = run_jobs(jobs, int(spec.get("parallel", 1)), spec["log"])
    report["seconds"] = time.perf_counter() - started
    stop.set()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    report["core_seconds"] = usage.ru_utime + usage.ru_stime
    report["user_seconds"], report["sys_seconds"] = usage.ru_utime, usage.ru_stime
    report["peak_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    report["tree_peak_mb"] = peak[0] / 2**20 if sampling else None
    report["tree_pss_mb"] = peak[1] / 2**20 if sampling and peak[1] else None
    print(json.dumps(report))


if __name__ == "__main__":
    main(json.loads(sys.stdin.read()))  # not argv: a thousand commands exceed its limit
