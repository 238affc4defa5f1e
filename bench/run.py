"""Time a cold kimsite build against plain Pelican (one `pelican` run per site) on the same posts.

    python bench/run.py [--kims 50] [--posts 100] [--images] [--workdir DIR] [--keep]

Generates a synthetic regency (bench/generate.py) into a temporary folder (or DIR), then
runs, one after the other, each phase in a fresh wrapper process:

  kimsite   python -m kimsite build --config DIR/sites.yaml --output DIR/out-kimsite
            --build-date 2026-11-22   (no .kimsite-cache: a cold build)
  pelican   pelican DIR/pelican/<kim>/content -s .../pelicanconf.py -o DIR/out-pelican/<kim> -q
            for every KIM, sequentially, as a shell loop would

and reports wall seconds, peak MB (RUSAGE_CHILDREN max RSS: the largest single process),
tree MB (the sum over the whole process tree, sampled from /proc every 0.1 s; shows
parallel workers), pages written (.html files) and the ratio kimsite / Pelican.
Results also go to bench/results/last.json. Exit status 0 even when the goal is missed;
1 when a build command failed. The temporary folder is removed unless --keep; a --workdir
is always kept.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no bench/__pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

BUILD_DATE = "2026-11-22"
GOAL = 0.5
WRAPPER_FLAG = "--phase-wrapper"
RESULTS = Path(__file__).resolve().parent / "results"
Phase = dict[str, object]


# ---- inside the wrapper process -------------------------------------------------------------

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


def tree_rss_bytes(root: int) -> int:
    """Resident memory of all descendants of `root` (not `root` itself)."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _rss) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0, list(children.get(root, []))
    while stack:
        pid = stack.pop()
        total += table[pid][1]
        stack += children.get(pid, [])
    return total * os.sysconf("SC_PAGE_SIZE")


def _sample_tree(peak: list[int], stop: threading.Event) -> None:
    while not stop.wait(0.1):
        peak[0] = max(peak[0], tree_rss_bytes(os.getpid()))


def wrapper(commands: list[list[str]]) -> None:
    """Run the commands in turn (stop at the first failure); print one JSON line of measurements."""
    peak, stop = [0], threading.Event()
    sampler = threading.Thread(target=_sample_tree, args=(peak, stop), daemon=True)
    sampling = Path("/proc/self/stat").exists()
    if sampling:
        sampler.start()
    report: Phase = {"ok": True, "returncode": 0, "failed_command": None, "stderr_tail": ""}
    started = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            report.update(ok=False, returncode=done.returncode, failed_command=" ".join(command),
                          stderr_tail=(done.stderr or done.stdout)[-3000:])
            break
    report["seconds"] = time.perf_counter() - started
    stop.set()
    maxrss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    report["peak_mb"] = maxrss_kb / 1024
    report["tree_peak_mb"] = peak[0] / 2**20 if sampling else None
    print(json.dumps(report))


# ---- in the bench process ---------------------------------------------------------------------

def run_phase(commands: list[list[str]]) -> Phase:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), WRAPPER_FLAG, json.dumps(commands)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"ok": False, "returncode": done.returncode, "failed_command": "(wrapper)", "seconds": 0.0,
                "peak_mb": 0.0, "tree_peak_mb": None, "stderr_tail": done.stderr[-3000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def kimsite_commands(root: Path) -> list[list[str]]:
    return [[sys.executable, "-m", "kimsite", "build", "--config", str(root / "sites.yaml"),
             "--output", str(root / "out-kimsite"), "--build-date", BUILD_DATE]]


def pelican_commands(root: Path) -> list[list[str]]:
    pelican = str(Path(sys.executable).parent / "pelican")
    sites = sorted(p.name for p in (root / "pelican").iterdir() if p.is_dir())
    return [[pelican, str(root / "pelican" / kim / "content"), "-s", str(root / "pelican" / kim / "pelicanconf.py"),
             "-o", str(root / "out-pelican" / kim), "-q"] for kim in sites]


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


def preflight() -> list[str]:
    notes = []
    if importlib.util.find_spec("kimsite") is None:
        notes.append(f"kimsite is not importable by {sys.executable}: the kimsite phase will fail")
    if not (Path(sys.executable).parent / "pelican").exists():
        notes.append(f"no `pelican` next to {sys.executable}: run this with the venv's python")
    return notes


def measure(root: Path) -> dict[str, Phase]:
    for stale in (".kimsite-cache", "out-kimsite", "out-pelican"):
        shutil.rmtree(root / stale, ignore_errors=True)
    kimsite = run_phase(kimsite_commands(root))  # first: nothing of Pelican's is warm in the page cache
    kimsite["pages"] = count_pages(root / "out-kimsite")
    pelican = run_phase(pelican_commands(root))
    pelican["pages"] = count_pages(root / "out-pelican")
    return {"kimsite": kimsite, "pelican": pelican}


def ratios(phases: dict[str, Phase]) -> dict[str, float | None]:
    k, p = phases["kimsite"], phases["pelican"]

    def ratio(key: str) -> float | None:
        a, b = k.get(key), p.get(key)
        return a / b if k["ok"] and p["ok"] and a is not None and b else None

    return {key: ratio(key) for key in ("seconds", "peak_mb", "tree_peak_mb", "pages")}


def _cell(value: object, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def print_report(phases: dict[str, Phase], ratio: dict[str, float | None], kims: int, posts: int,
                 root: Path) -> bool:
    print(f"synthetic regency: {kims} KIMs x {posts} posts in {root} ({os.cpu_count()} CPUs, "
          f"Python {platform.python_version()})")
    print(f"{'phase':<28}{'seconds':>9}{'peak MB':>10}{'tree MB':>10}{'pages':>8}")
    labels = {"kimsite": "kimsite build (cold)", "pelican": f"plain Pelican ({kims} runs)"}
    for name, phase in phases.items():
        label = labels[name] + ("" if phase["ok"] else "  FAILED")
        print(f"{label:<28}{_cell(phase['seconds']):>9}{_cell(phase['peak_mb']):>10}"
              f"{_cell(phase['tree_peak_mb']):>10}{_cell(phase['pages']):>8}")
    print(f"{'ratio kimsite/pelican':<28}{_cell(ratio['seconds'], 2):>9}{_cell(ratio['peak_mb'], 2):>10}"
          f"{_cell(ratio['tree_peak_mb'], 2):>10}{_cell(ratio['pages'], 2):>8}")
    passed = ratio["seconds"] is not None and ratio["seconds"] <= GOAL
    why = "" if ratio["seconds"] is not None else " (no ratio: a build failed)"
    print(f"goal: kimsite <= {GOAL} x plain Pelican: {'PASS' if passed else 'FAIL'}{why}")
    for name, phase in phases.items():
        if not phase["ok"]:
            print(f"\n{name} failed (exit {phase['returncode']}): {phase['failed_command']}\n"
                  f"--- stderr (tail) ---\n{phase['stderr_tail']}", file=sys.stderr)
    return passed


def save(result: dict[str, object]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    ignore = RESULTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*.json\n", encoding="utf-8")
    path = RESULTS / "last.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kims", type=int, default=50)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--images", action="store_true", help="one 640x480 JPEG per post")
    parser.add_argument("--workdir", type=Path, help="generate and build here (kept afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    for note in preflight():
        print(f"note: {note}", file=sys.stderr)
    root = (args.workdir or Path(tempfile.mkdtemp(prefix="kimsite-bench-"))).resolve()
    try:
        started = time.perf_counter()
        generate(root, args.kims, args.posts, args.images)
        print(f"generated in {time.perf_counter() - started:.1f} s")
        phases = measure(root)
        ratio = ratios(phases)
        passed = print_report(phases, ratio, args.kims, args.posts, root)
    finally:
        if not (args.workdir or args.keep):
            shutil.rmtree(root, ignore_errors=True)
    saved = save({"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "kims": args.kims, "posts": args.posts,
                  "images": args.images, "build_date": BUILD_DATE, "workdir": str(root), "cpus": os.cpu_count(),
                  "python": platform.python_version(), "phases": phases, "ratio": ratio,
                  "goal": {"max_ratio": GOAL, "pass": passed}})
    print(f"results: {saved}" + (f"; kept {root}" if args.workdir or args.keep else ""))
    return 0 if all(p["ok"] for p in phases.values()) else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == WRAPPER_FLAG:
        wrapper(json.loads(sys.argv[2]))
    else:
        sys.exit(main())
