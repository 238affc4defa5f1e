"""The three measured phases, each run for every tool in turn, each tool in a fresh wrapper.

  cold   fresh output folders, no caches (.kimsite-cache, Hugo's --cacheDir removed)
  noop   the same commands again, nothing changed
  post   one new post in one KIM (the same post in each tool's content), then:
         kimsite: `kimsite build` of the whole regency (incremental: that KIM and the hub);
         Pelican and Hugo: that one site only (they have no hub, and no incremental mode)

The commands:
  kimsite     python -m kimsite -v build --config DIR/sites.yaml --output DIR/out-kimsite --build-date 2026-11-22
  kimsite-no-unduh  the same, cold only, with DIR/tanpa-unduh/sites.yaml (build.downloads: false): what the
              offline packs and bulletins cost, side by side
  pelican     pelican DIR/pelican/<kim>/content -s .../pelicanconf.py -o DIR/out-pelican/<kim> -q   (per KIM)
  pelican-p2  the same into DIR/out-pelican-p2/<kim>, 2 KIMs at a time (as `xargs -P2`)
  hugo        hugo --quiet -s DIR/hugo/<kim> -d DIR/out-hugo/<kim> --cacheDir DIR/.hugo-cache     (per KIM)
  hugo-full   per KIM, 2 KIMs at a time, "the same deliverable" as kimsite's:
                hugo --quiet --minify -s DIR/hugo/<kim> -d DIR/out-hugo-full/<kim> --cacheDir DIR/.hugo-full-cache/<kim>
                pagefind --site DIR/out-hugo-full/<kim> --output-subdir pagefind   (kimsite's binary and flags)
                python bench/twins.py DIR/out-hugo-full/<kim>   (.gz/.br by kimsite's rule and levels)
The plain pelican and hugo runs are sequential, as a shell loop would run them (one core for
Pelican), and stay so to keep the history comparable; pelican-p2 and hugo-full are the fair
use of 2 cores, as kimsite's two workers. Every phase's output goes to
DIR/logs/<phase>-<tool>.log (kimsite's per-KIM progress lines included).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from generate import write_new_post

BUILD_DATE = "2026-11-22"
TREEWATCH = Path(__file__).resolve().parent / "treewatch.py"
TWINS = Path(__file__).resolve().parent / "twins.py"
PARALLEL = {"pelican-p2": 2, "hugo-full": 2}  # KIMs at a time; the others run one by one
PHASES = {"cold": "cold build (fresh output, no caches)", "noop": "no-op rebuild (nothing changed)",
          "post": "one new post"}
Phase = dict[str, object]


@dataclass(frozen=True)
class Bench:
    root: Path
    kims: tuple[str, ...]
    images: bool
    hugo: str | None  # the `hugo` executable; None: not installed, no Hugo columns
    pagefind: str | None = None  # kimsite's Pagefind binary; None: not found, no hugo-full column
    only: tuple[str, ...] = ()  # --only: these tools alone (kimsite's memory at 600 KIMs, say)

    @property
    def tools(self) -> tuple[str, ...]:
        hugo = ("hugo", "hugo-full") if self.pagefind else ("hugo",)
        every = ("kimsite", NO_UNDUH, "pelican", "pelican-p2", *(hugo if self.hugo else ()))
        return tuple(t for t in every if not self.only or t in self.only or (t == NO_UNDUH and "kimsite" in self.only))


# kimsite again, cold only, with `build.downloads: false`: what the offline packs and bulletins
# cost, side by side (issue "News that reaches villagers off the web": at most 15 % more)
NO_UNDUH = "kimsite-no-unduh"


def no_unduh_config(root: Path) -> Path:
    """DIR/tanpa-unduh/sites.yaml: the regency's config with the downloads off, in a folder of
    its own so that its build cache (.kimsite-cache) is its own too: both builds are cold."""
    config = yaml.safe_load((root / "sites.yaml").read_text(encoding="utf-8"))
    config.update(content="../content", regions="../regions.csv")
    config.setdefault("build", {})["downloads"] = False
    folder = root / "tanpa-unduh"
    folder.mkdir(exist_ok=True)
    (folder / "sites.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder / "sites.yaml"


def output_dir(root: Path, tool: str) -> Path:
    return root / f"out-{tool}"


def run_phase(jobs: list[list[list[str]]], parallel: int, log: Path) -> Phase:
    log.parent.mkdir(parents=True, exist_ok=True)
    spec = json.dumps({"jobs": jobs, "parallel": parallel, "log": str(log)})
    done = subprocess.run([sys.executable, str(TREEWATCH)], input=spec, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"ok": False, "returncode": done.returncode, "failed_command": "(wrapper)", "seconds": None,
                "core_seconds": None, "peak_mb": None, "tree_peak_mb": None, "tree_pss_mb": None,
                "stages": {}, "stderr_tail": done.stderr[-3000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def jobs(bench: Bench, tool: str, kims: tuple[str, ...]) -> list[list[list[str]]]:
    """One job (a list of commands run in turn) per KIM; `kims`: the sites to run Pelican or
    Hugo on; kimsite always builds the whole regency, in one job."""
    root, out = bench.root, output_dir(bench.root, tool)
    if tool in ("kimsite", NO_UNDUH):
        config = root / "sites.yaml" if tool == "kimsite" else no_unduh_config(root)
        return [[[sys.executable, "-m", "kimsite", "-v", "build", "--config", str(config),
                  "--output", str(out), "--build-date", BUILD_DATE]]]
    if tool in ("pelican", "pelican-p2"):
        pelican = str(Path(sys.executable).parent / "pelican")
        return [[[pelican, str(root / "pelican" / kim / "content"), "-s", str(root / "pelican" / kim / "pelicanconf.py"),
                  "-o", str(out / kim), "-q"]] for kim in kims]
    if tool == "hugo":
        return [[[bench.hugo, "--quiet", "-s", str(root / "hugo" / kim), "-d", str(out / kim),
                  "--cacheDir", str(root / ".hugo-cache")]] for kim in kims]
    # hugo-full: a cache folder per KIM, as two Hugo runs share no cache safely at once
    return [[[bench.hugo, "--quiet", "--minify", "-s", str(root / "hugo" / kim), "-d", str(out / kim),
              "--cacheDir", str(root / ".hugo-full-cache" / kim)],
             [bench.pagefind, "--site", str(out / kim), "--output-subdir", "pagefind"],
             [sys.executable, str(TWINS), str(out / kim)]] for kim in kims]


TOOLS = ("kimsite", NO_UNDUH, "pelican", "pelican-p2", "hugo", "hugo-full")


def clean(bench: Bench) -> None:
    """Everything an earlier run left: output, caches, logs."""
    for stale in (".kimsite-cache", "tanpa-unduh", ".hugo-cache", ".hugo-full-cache", "logs",
                  *(f"out-{tool}" for tool in TOOLS)):
        shutil.rmtree(bench.root / stale, ignore_errors=True)
    for kim in bench.kims:
        shutil.rmtree(bench.root / "hugo" / kim / "resources", ignore_errors=True)
        (bench.root / "hugo" / kim / ".hugo_build.lock").unlink(missing_ok=True)


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


def measure_phase(bench: Bench, phase: str, kims: tuple[str, ...]) -> dict[str, Phase]:
    results = {}
    for tool in bench.tools:
        if tool == NO_UNDUH and phase != "cold":
            continue
        print(f"  {phase}: {tool} ...", file=sys.stderr, flush=True)
        result = run_phase(jobs(bench, tool, kims), PARALLEL.get(tool, 1), bench.root / "logs" / f"{phase}-{tool}.log")
        result["pages"] = count_pages(output_dir(bench.root, tool))
        if tool in ("kimsite", NO_UNDUH):
            result["kimsite_stages"] = kimsite_stages(bench.root / "logs" / f"{phase}-{tool}.log")
        results[tool] = result
    return results


def kimsite_stages(log: Path) -> str | None:
    """kimsite's own wall and core-seconds per stage, from the line `kimsite -v build` ends with."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.is_file() else []
    return next((line.split(": ", 1)[1] for line in reversed(lines) if line.startswith("Waktu/Time: ")), None)


def new_post_found(bench: Bench, kim: str, slug: str) -> dict[str, bool]:
    """Did each tool publish the new post (and kimsite's hub link to it)? A fast wrong answer is no answer."""
    found = {tool: any(slug in path.as_posix() for path in (output_dir(bench.root, tool) / kim).rglob("*.html"))
             for tool in bench.tools if tool != NO_UNDUH}  # cold only: it never builds the post
    hub_home = output_dir(bench.root, "kimsite") / "index.html"
    found["kimsite hub"] = hub_home.is_file() and slug in hub_home.read_text(encoding="utf-8")
    return found


def measure(bench: Bench) -> dict[str, object]:
    clean(bench)
    results: dict[str, object] = {"cold": measure_phase(bench, "cold", bench.kims)}
    results["noop"] = measure_phase(bench, "noop", bench.kims)
    kim = bench.kims[len(bench.kims) // 2]
    slug = write_new_post(bench.root, kim, bench.images)
    results["post"] = measure_phase(bench, "post", (kim,))
    results["new_post"] = {"kim": kim, "slug": slug, "found": new_post_found(bench, kim, slug)}
    return results
