"""Incremental builds: skip a KIM whose inputs are the same as at its last build.

A site is also rebuilt when a scheduled post has come due since its last build, or when
its output folder is gone. Fingerprints come from `read.inputs`; the state of the last
successful build (fingerprint, result, next due date) from `output.state`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kimsite.models import SiteJob
from kimsite.output.state import SiteState, load_state, save_state
from kimsite.read.inputs import input_hash, input_stamp


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
