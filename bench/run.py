"""Benchmark kimsite against plain Pelican and Hugo, and against their fair 2-core versions, on the same posts.

    python bench/run.py [--kims 150] [--posts 100] [--images] [--workdir DIR] [--keep] [--hugo PATH]

Generates a synthetic regency (bench/generate.py: kimsite, Pelican and Hugo sources of the
same posts) into a temporary folder (or DIR), then measures three phases (bench/phases.py):
a cold build, a no-op rebuild and one new post, each for every tool in turn, each tool's
phase in a fresh wrapper process (bench/treewatch.py) that reports wall seconds, core-seconds
(user + system CPU of the whole process tree) and peak memory: the largest single process and
the whole process tree. The tools: kimsite; plain Pelican and Hugo one site after the other
(the old columns, kept for the history); pelican-p2, the same Pelican runs 2 at a time (the
fair use of 2 cores), and hugo-full, "the same deliverable": per site hugo --minify, then
Pagefind (kimsite's binary) over its output, then .gz/.br twins by kimsite's rule, 2 sites at
a time. Prints a table per phase with the ratios kimsite/each tool for wall and core-seconds
(and memory), then the goals (cold faster than every other column, no-op <= 1 s, one new post
<= 2 s, peak <= 300 MB of the process tree's PSS: shared pages counted once, as a container's
memory limit counts them) with PASS/FAIL. The Hugo columns are skipped, with a note, when `hugo`
is not installed (hugo-full also without kimsite's Pagefind binary). Results also go to
bench/results/last.json (and <kims>x<posts>.json). Exit status 0 even when a goal is missed;
1 when a build command failed. The temporary folder is removed unless --keep; a --workdir is
always kept.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no bench/__pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
# this checkout's kimsite before an editable install of another (a git worktree): the one that
# `python -m kimsite` runs from the checkout, compiled and asked for its Pagefind binary here
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from generate import generate  # noqa: E402
from phases import BUILD_DATE, PHASES, Bench, measure  # noqa: E402
from report import GOALS, failures, goal_lines, goals, phase_ratios, report_lines  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def hugo_version(hugo: str | None) -> str | None:
    if not hugo:
        return None
    done = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def compile_kimsite() -> None:
    """Bytecode for kimsite's modules, as `pip install` writes it for every package it installs
    (Pelican's included): an editable install has none, and where PYTHONDONTWRITEBYTECODE is
    set, every kimsite run would compile its source again."""
    spec = importlib.util.find_spec("kimsite")
    if spec is not None and spec.submodule_search_locations:
        compileall.compile_dir(spec.submodule_search_locations[0], quiet=1)


def find_pagefind() -> str | None:
    """kimsite's own Pagefind binary (the `pagefind[bin]` dependency), for the hugo-full column."""
    try:
        from kimsite.site.search import executable

        return executable()
    except (ImportError, RuntimeError):
        return None


def pagefind_version(pagefind: str | None) -> str | None:
    if not pagefind:
        return None
    done = subprocess.run([pagefind, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def preflight(hugo: str | None, pagefind: str | None) -> list[str]:
    notes = []
    if importlib.util.find_spec("kimsite") is None:
        notes.append(f"kimsite is not importable by {sys.executable}: the kimsite phases will fail")
    else:
        compile_kimsite()
    if not (Path(sys.executable).parent / "pelican").exists():
        notes.append(f"no `pelican` next to {sys.executable}: run this with the venv's python")
    if hugo is None:
        notes.append("`hugo` is not installed (Debian: apt install hugo): no Hugo columns this time")
    elif pagefind is None:
        notes.append("kimsite's Pagefind binary (pagefind[bin]) is not found: no hugo-full column this time")
    return notes


def save(result: dict[str, object]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    ignore = RESULTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*.json\n", encoding="utf-8")
    text = json.dumps(result, indent=2) + "\n"
    (RESULTS / f"{result['kims']}x{result['posts']}.json").write_text(text, encoding="utf-8")  # one per size
    path = RESULTS / "last.json"
    path.write_text(text, encoding="utf-8")
    return path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kims", type=int, default=150)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--images", action="store_true", help="one 640x480 JPEG per post")
    parser.add_argument("--workdir", type=Path, help="generate and build here (kept afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--hugo", default="hugo", help="the hugo executable (default: hugo on PATH)")
    parser.add_argument("--only", default="", help="comma-separated tools to run alone, e.g. kimsite")
    return parser.parse_args()


def run(args: argparse.Namespace, root: Path, hugo: str | None, pagefind: str | None) -> dict[str, object]:
    started = time.perf_counter()
    generate(root, args.kims, args.posts, args.images)
    print(f"generated {args.kims} KIMs x {args.posts} posts in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    kims = tuple(sorted(p.name for p in (root / "pelican").iterdir() if p.is_dir()))
    only = tuple(t for t in args.only.split(",") if t)
    return measure(Bench(root, kims, args.images, hugo, pagefind, only))


def main() -> int:
    args = parse_args()
    hugo = shutil.which(args.hugo)
    pagefind = find_pagefind()
    for note in preflight(hugo, pagefind):
        print(f"note: {note}", file=sys.stderr)
    root = (args.workdir or Path(tempfile.mkdtemp(prefix="kimsite-bench-"))).resolve()
    try:
        results = run(args, root, hugo, pagefind)
    finally:
        if not (args.workdir or args.keep):
            shutil.rmtree(root, ignore_errors=True)
    verdicts = goals(results)
    print(f"synthetic regency: {args.kims} KIMs x {args.posts} posts{' with photos' if args.images else ''} "
          f"in {root} ({os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{hugo_version(hugo) or 'no Hugo'}, {pagefind_version(pagefind) or 'no Pagefind'})\n")
    print("\n".join([*report_lines(results, args.kims), "", *goal_lines(results, verdicts)]))
    for failure in failures(results):
        print(f"\n{failure}", file=sys.stderr)
    saved = save({"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "kims": args.kims, "posts": args.posts,
                  "images": args.images, "build_date": BUILD_DATE, "workdir": str(root), "cpus": os.cpu_count(),
                  "python": platform.python_version(), "hugo": hugo_version(hugo), "pagefind": pagefind_version(pagefind), "results": results,
                  "ratios": {phase: phase_ratios(results[phase]) for phase in PHASES},
                  "goals": {"limits": GOALS, "pass": verdicts}})
    print(f"results: {saved}" + (f"; kept {root} (logs in {root / 'logs'})" if args.workdir or args.keep else ""))
    return 0 if all(r["ok"] for phase in PHASES for r in results[phase].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
