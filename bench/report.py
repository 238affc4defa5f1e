"""Tables, ratios and goals for bench/run.py's results (pure: results in, lines out)."""

from __future__ import annotations

from phases import PHASES, Phase

COLUMNS = {"seconds": "seconds", "core_seconds": "core s", "peak_mb": "peak MB", "tree_peak_mb": "tree MB", "tree_pss_mb": "tree PSS",
           "pages": "pages"}
GOALS = {"noop_seconds": 1.0, "post_seconds": 2.0, "peak_mb": 300.0, "downloads_share": 0.15}
NAMES = {"kimsite": "kimsite build", "pelican": "plain Pelican", "pelican-p2": "Pelican -P2", "hugo": "Hugo",
         "hugo-full": "Hugo+Pagefind+twins -P2", "kimsite-no-unduh": "kimsite, no downloads"}
WIDTH = 42


def label(phase: str, tool: str, kims: int) -> str:
    if tool == "kimsite":
        return "kimsite build (all + hub)" if phase == "post" else "kimsite build"
    if tool == "kimsite-no-unduh":
        return "kimsite build, build.downloads: false"
    return f"{NAMES[tool]} ({'1 site, no hub' if phase == 'post' else f'{kims} runs'})"


def ratio(ours: Phase, theirs: Phase, key: str) -> float | None:
    a, b = ours.get(key), theirs.get(key)
    return a / b if ours["ok"] and theirs["ok"] and a is not None and b else None


def phase_ratios(tools: dict[str, Phase]) -> dict[str, dict[str, float | None]]:
    return {other: {key: ratio(tools["kimsite"], tools[other], key) for key in COLUMNS}
            for other in tools if other != "kimsite"}


def _cell(value: object, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _row(name: str, values: dict[str, object], digits: int = 1) -> str:
    return f"{name:<{WIDTH}}" + "".join(f"{_cell(values.get(key), digits):>10}" for key in COLUMNS)


def phase_table(phase: str, tools: dict[str, Phase], kims: int) -> list[str]:
    lines = [f"== {PHASES[phase]} ==", f"{'tool':<{WIDTH}}" + "".join(f"{head:>10}" for head in COLUMNS.values())]
    for tool, result in tools.items():
        lines.append(_row(label(phase, tool, kims) + ("" if result["ok"] else " FAILED"), result))
    for other, values in phase_ratios(tools).items():
        lines.append(_row(f"ratio kimsite/{other}", values, 2))
    return [*lines, *stage_lines(tools)]


def stage_lines(tools: dict[str, Phase]) -> list[str]:
    """Core-seconds per program for the tools that run more than one (hugo-full: hugo, pagefind, twins)."""
    lines = []
    for tool, result in tools.items():
        if result.get("kimsite_stages"):
            lines.append(f"  {tool} by stage: {result['kimsite_stages']}")
        stages = result.get("stages") or {}
        if len(stages) > 1:
            parts = ", ".join(f"{name} {stage['core_seconds']:.1f}" for name, stage in stages.items())
            lines.append(f"  {tool} core s by stage: {parts}")
    return lines


def _peak(result: Phase) -> float | None:
    """The memory a build needs: the process tree's PSS (each shared page counted once over the
    tree, as a container's memory limit counts it), else what was measured."""
    for column in ("tree_pss_mb", "tree_peak_mb", "peak_mb"):
        if result.get(column) is not None:
            return result[column]
    return None


def _tree_rss(result: Phase) -> float:
    return result.get("tree_peak_mb") or 0.0


def _verdict(passed: bool | None) -> str:
    return "-" if passed is None else "PASS" if passed else "FAIL"


def goals(results: dict[str, dict[str, Phase]]) -> dict[str, bool | None]:
    """None: not measurable (a build failed)."""
    ours = {phase: results[phase]["kimsite"] for phase in PHASES}
    cold = results["cold"]
    others = [tool for tool in cold if tool not in ("kimsite", "kimsite-no-unduh")]
    if not all(r["ok"] for r in ours.values()):
        return dict.fromkeys(("cold_faster_than_all", "noop_seconds", "post_seconds", "peak_mb", "downloads_share"))
    faster = all(cold[t]["ok"] and ours["cold"]["seconds"] < cold[t]["seconds"] for t in others) if others else None
    peak = max((_peak(r) or 0.0) for r in ours.values())
    return {"cold_faster_than_all": faster,
            "noop_seconds": ours["noop"]["seconds"] <= GOALS["noop_seconds"],
            "post_seconds": ours["post"]["seconds"] <= GOALS["post_seconds"],
            "peak_mb": peak <= GOALS["peak_mb"] if peak else None,
            "downloads_share": (share <= GOALS["downloads_share"]) if (share := downloads_share(cold)) is not None
            else None}


def downloads_share(cold: dict[str, Phase]) -> float | None:
    """How much longer, in core-seconds, the cold build is with the downloads than without."""
    grown = ratio(cold["kimsite"], cold["kimsite-no-unduh"], "core_seconds") if "kimsite-no-unduh" in cold else None
    return None if grown is None else grown - 1


def goal_lines(results: dict[str, dict[str, Phase]], verdicts: dict[str, bool | None]) -> list[str]:
    ours = {phase: results[phase]["kimsite"] for phase in PHASES}
    others = ", ".join(NAMES[t] for t in results["cold"] if t not in ("kimsite", "kimsite-no-unduh"))
    share = downloads_share(results["cold"])
    peak = max((_peak(r) or 0.0) for r in ours.values())
    rss = max(_tree_rss(r) for r in ours.values())
    return ["goals:",
            f"  cold build faster than {others or '(no other tool run)'}: {_verdict(verdicts['cold_faster_than_all'])}",
            f"  no-op rebuild <= {GOALS['noop_seconds']:.0f} s ({_cell(ours['noop']['seconds'], 2)} s): "
            f"{_verdict(verdicts['noop_seconds'])}",
            f"  one new post <= {GOALS['post_seconds']:.0f} s, whole regency incl. hub "
            f"({_cell(ours['post']['seconds'], 2)} s): {_verdict(verdicts['post_seconds'])}",
            f"  peak memory <= {GOALS['peak_mb']:.0f} MB (process-tree PSS, worst phase: {peak:.0f} MB; "
            f"tree RSS, shared pages once per process: {rss:.0f} MB): {_verdict(verdicts['peak_mb'])}",
            f"  the downloads (packs, bulletins) add <= {GOALS['downloads_share']:.0%} to the cold build's core-seconds "
            f"({'-' if share is None else f'{share:+.1%}'}): {_verdict(verdicts['downloads_share'])}"]


NOTES = ["seconds: wall time; core s: CPU seconds (user + system) of the whole process tree, from the kernel's "
         "accounting of every reaped process (RUSAGE_CHILDREN), so 2 cores busy for 1 s count 2. kimsite's "
         "line 'by stage' is its own (kimsite -v build): wall and core-seconds of reading, the sites and the hub.",
         "fair columns: pelican-p2 runs the same Pelican commands 2 KIMs at a time (as xargs -P2), the fair use of "
         "2 cores; hugo-full makes the same deliverable as kimsite (hugo --minify, then Pagefind, kimsite's binary, "
         "over its output, then .gz/.br twins by kimsite's rule), 2 KIMs at a time. pelican and hugo are the old "
         "one-at-a-time columns, kept for the history.",
         "peak MB: the largest single process; tree MB: resident memory summed over the process tree "
         "(sampled every 0.1 s; counts pages shared by forked workers once per process); tree PSS: the same "
         "tree with shared pages split (the honest total).",
         "one new post: Pelican and Hugo have no hub and are re-run for the changed site only, so their figure "
         "covers one site; kimsite's covers the whole regency (unchanged KIMs skipped) and the hub."]


def report_lines(results: dict[str, object], kims: int) -> list[str]:
    lines = []
    for phase in PHASES:
        lines += [*phase_table(phase, results[phase], kims), ""]
    new = results["new_post"]
    missing = [tool for tool, seen in new["found"].items() if not seen]
    lines.append(f"new post {new['slug']} in {new['kim']}: "
                 + (f"MISSING from {', '.join(missing)}" if missing else "published by every tool (and the hub)"))
    return [*lines, *NOTES]


def failures(results: dict[str, object]) -> list[str]:
    return [f"{phase} {tool} failed (exit {r['returncode']}): {r['failed_command']}\n"
            f"--- stderr (tail) ---\n{r['stderr_tail']}"
            for phase in PHASES for tool, r in results[phase].items() if not r["ok"]]
