"""Cold builds of one generated regency by two kimsite source trees, alternating: the CPU
seconds of each build's whole process tree (on a shared machine, wall time measures the
neighbours too) and the growth of the second against the first.

    git archive main | tar -x -C /tmp/kimsite-main        # the tree to compare against
    .venv/bin/python bench/versus.py --base /tmp/kimsite-main [--kims 20] [--posts 100] [--runs 3]

Each tree builds with its own theme; the regency (bench/generate.py, no photos) is made once
in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def cold_build(root: Path, source: Path) -> float:
    """CPU seconds of one cold build of `root` by the kimsite in `source`."""
    for stale in (".kimsite-cache", "out"):
        shutil.rmtree(root / stale, ignore_errors=True)
    config = root / "sites.yaml"
    config.write_text(re.sub(r"^theme: .*$", f"theme: {source / 'themes' / 'kim'}", config.read_text(), flags=re.M))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "kimsite", "-q", "build", "--config", str(config), "--output",
                           str(root / "out"), "--build-date", "2026-11-22"], env={**os.environ, "PYTHONPATH": str(source)},
                          cwd=root, capture_output=True, text=True, check=False)  # not here: `-m` puts the cwd first
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"build by {source} failed:\n{done.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the kimsite source tree to compare against")
    parser.add_argument("--new", type=Path, default=ROOT, help="the other tree (default: this one)")
    parser.add_argument("--kims", type=int, default=20)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kimsite-versus-") as tmp:
        root = Path(tmp) / "regency"
        generate(root, args.kims, args.posts)
        times: dict[str, list[float]] = {"base": [], "new": []}
        for _run in range(args.runs):
            for name, source in (("base", args.base.resolve()), ("new", args.new.resolve())):
                times[name].append(cold_build(root, source))
                print(f"{name}: {times[name][-1]:.2f} s CPU", flush=True)
    for name, found in times.items():
        print(f"{name}: {' / '.join(f'{t:.2f}' for t in found)} s CPU, median {statistics.median(found):.2f}")
    fastest = min(times["new"]) / min(times["base"]) - 1
    median = statistics.median(times["new"]) / statistics.median(times["base"]) - 1
    print(f"cold build growth: {fastest:+.1%} fastest against fastest, {median:+.1%} by the medians "
          f"({args.kims} KIMs x {args.posts} posts)")


if __name__ == "__main__":
    main()
