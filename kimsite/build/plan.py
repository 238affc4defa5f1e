"""Incremental builds: skip a KIM whose inputs are the same as at its last build.

A site is also rebuilt when a scheduled post has come due since its last build, or when
its output folder is gone. Fingerprints come from `read.inputs`; the state of the last
successful build (fingerprint, result, next due date) from `output.state`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kimsite.build import shards
from kimsite.errors import ConfigError, Problem, Severity, Text, display_path
from kimsite.models import Profile, SiteConfig, SiteJob
from kimsite.output.files import unsafe_output
from kimsite.output.state import SiteState, load_state, save_state
from kimsite.read import inputs, profiles
from kimsite.read.inputs import input_hash, input_stamp


@dataclass
class Profiles:
    good: dict[str, Profile]  # KIM → its profile, read without errors
    stale: dict[str, Profile]  # KIM with a broken profile → its profile at its last good build
    problems: list[Problem]


def load_profiles(config: SiteConfig, cache_path: Path | None) -> Profiles:
    """Every KIM's profile. A broken profile stops only its KIM: the others build, and its last
    published site stays (with the profile it was built from). `cache_path`: the build's
    profile cache (None: read every profile, keep nothing)."""
    cache = profiles.ProfileCache(cache_path, inputs.code_version())
    found = Profiles({}, {}, [])
    for kim in config.kims:
        if kim.external:  # no content folder: it joins the hub by its feed
            continue
        kim_dir = config.content_dir / kim.slug
        profile, problems = cache.load(kim_dir, config.root, (kim.village, kim.district), config.spam)
        found.problems += [dataclasses.replace(p, site=kim.slug) for p in problems]
        if profile is not None:
            found.good[kim.slug] = profile
            continue
        last = cache.last_good(kim_dir)
        if last is not None:
            found.stale[kim.slug] = last
        found.problems.append(Problem(
            display_path(kim_dir / "profile.yaml", config.root), Text(
                f"situs {kim.slug} tidak dibangun ulang sampai profile.yaml diperbaiki"
                + ("; versi terakhir tetap tayang" if last else "; situs ini belum pernah terbit"),
                f"site {kim.slug} is not rebuilt until profile.yaml is fixed"
                + ("; its last version stays online" if last else "; this site was never published")),
            Text("perbaiki galat di atas; KIM lain tetap terbit", "fix the errors above; the other KIMs publish"),
            site=kim.slug, severity=Severity.WARNING))
    cache.save()
    return found


def standing(jobs: list[SiteJob], output: Path) -> list[Any]:
    """The last build's result of each of these KIMs whose site is still in the output."""
    kept = []
    for job in jobs:
        state = load_state(job)
        if state is not None and job.output_dir.is_dir() and shards.has_result(output, job.kim.slug):
            kept.append(replace(state.result, unchanged=True, seconds=0.0))
    return kept


def current(job: SiteJob, theme: str | None = None) -> tuple[Any, str, str]:
    """(the last result's summary if the site is up to date, else None; the input hash; the stamp).
    `theme`: as for `input_stamp`."""
    state, stamp = load_state(job), input_stamp(job, theme)
    if state is not None and state.stamp == stamp and _still_valid(state, job):
        return state.result, state.inputs, stamp
    inputs = input_hash(job)
    if is_current(state, inputs, job):
        save_state(job, replace(state, stamp=stamp))  # touched but unchanged: next time the stamp suffices
        return state.result, inputs, stamp
    return None, inputs, stamp


def _still_valid(state: SiteState, job: SiteJob) -> bool:
    return job.output_dir.is_dir() and (state.next_due is None or job.build_time < state.next_due)


def is_current(state: SiteState | None, inputs: str, job: SiteJob) -> bool:
    return state is not None and state.inputs == inputs and _still_valid(state, job)


def check_output(config: SiteConfig, output: Path, cache_dir: Path, force: bool = False) -> None:
    """Refuse an output folder kimsite could wreck (the project's own files, or, unless
    `force`, a folder of someone else's files), before anything is written."""
    sources = [config.path, config.content_dir, config.theme_dir, cache_dir]
    reason = unsafe_output(output, sources + ([config.regions_path] if config.regions_path else []), force)
    if reason is not None:
        raise ConfigError([Problem(display_path(output), reason, Text(
            "pilih folder output tersendiri, misalnya 'output' (folder kosong atau hasil build kimsite)",
            "choose an output folder of its own, e.g. 'output' (empty, or built by kimsite)"))])
