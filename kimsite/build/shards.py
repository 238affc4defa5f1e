"""Sharded builds: each machine builds a deterministic share of the KIMs, and a merge step
builds the hub from every shard's results (README, "Many machines").

A KIM's shard comes from a hash of its slug, not its position in sites.yaml: adding a KIM
moves no other KIM to another machine, so each machine's build cache stays warm. Each
site build leaves its result (the post stubs the hub needs, problems, page weights) in
`<output>/.kimsite-shards/`: `<kim>.pickle` for this machine's next build, and
`<kim>.json` (versioned: format, kimsite version and code) for the merge on another
machine, which reads only the JSON and refuses a result made by another kimsite.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kimsite import __version__, cachefile
from kimsite.errors import BuildError, Problem, Text, display_path
from kimsite.read import inputs
from kimsite.read.schema import from_json, to_json
from kimsite.site.worker import SiteResult

SHARD_DIR = ".kimsite-shards"
SHARD = re.compile(r"^(\d+)/(\d+)$")


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' → (2, 4); shards are numbered from 1, like CI matrix jobs."""
    match = SHARD.match(text.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise ValueError(text)
    return int(match[1]), int(match[2])


def in_shard(slug: str, shard: tuple[int, int]) -> bool:
    index, count = shard
    return int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big") % count == index - 1


FORMAT = 1  # of the JSON results


def _stamp() -> dict[str, object]:
    return {"format": FORMAT, "kimsite": __version__, "code": inputs.code_version()}


def save_result(output: Path, slug: str, result: Any, portable: bool = False) -> None:
    """The result for this machine's next build (a pickle) and, with `portable`, for a merge
    elsewhere (JSON: a header line, then the result)."""
    cachefile.write(output / SHARD_DIR / f"{slug}.pickle", result)
    if portable:
        path = output / SHARD_DIR / f"{slug}.json"
        temp = path.with_name(path.name + ".tmp")
        temp.write_bytes(json.dumps(_stamp(), sort_keys=True).encode() + b"\n" + to_json(result, SiteResult))
        temp.replace(path)


def make_portable(output: Path, slugs: list[str]) -> None:
    """JSON results for KIMs kept from an earlier build that left only the pickle."""
    for slug in slugs:
        if not (output / SHARD_DIR / f"{slug}.json").is_file():
            result = cachefile.read(output / SHARD_DIR / f"{slug}.pickle")
            if result is not None:
                save_result(output, slug, result, portable=True)


def _rezoned(value: Any, zone: ZoneInfo) -> Any:  # noqa: ANN401 - any part of a result
    """JSON keeps a time's offset, not its zone's name (WIB): every time of a result is in the
    regency's zone, so it is put back there, the same instant."""
    if isinstance(value, datetime):
        return value.astimezone(zone) if value.tzinfo is not None else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _rezoned(getattr(value, f.name), zone)
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple
        return type(value)(*(_rezoned(item, zone) for item in value))
    if isinstance(value, tuple | list):
        return type(value)(_rezoned(item, zone) for item in value)
    return value


def load_portable(output: Path, slugs: list[str], timezone: str) -> tuple[dict[str, Any], list[str]]:
    """The JSON results the shards left (the merge's input), and the slugs with none; a result
    made by another kimsite (version, code or format) stops the merge with a clear message.
    `timezone`: the regency's (IANA name)."""
    found, missing = {}, []
    for slug in slugs:
        path = output / SHARD_DIR / f"{slug}.json"
        try:
            head, _newline, body = path.read_bytes().partition(b"\n")
            stamp = json.loads(head)
        except (OSError, ValueError):
            missing.append(slug)
            continue
        if stamp != _stamp():
            raise BuildError([Problem(display_path(path), Text(
                f"hasil shard ini dibuat kimsite {stamp.get('kimsite')} (format {stamp.get('format')}), "
                f"merge ini kimsite {__version__}", f"this shard result was made by kimsite {stamp.get('kimsite')} "
                f"(format {stamp.get('format')}), this merge is kimsite {__version__}"),
                Text("jalankan semua shard dan merge dengan versi kimsite yang sama",
                     "run every shard and the merge with the same kimsite version"))])
        try:
            found[slug] = _rezoned(from_json(body, SiteResult), ZoneInfo(timezone))
        except ValueError:
            missing.append(slug)
    return found, missing


def has_result(output: Path, slug: str) -> bool:
    return (output / SHARD_DIR / f"{slug}.pickle").is_file()


def load_results(output: Path, slugs: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The saved result of each KIM, and the slugs that have none (a shard missing or failed)."""
    found, missing = {}, []
    for slug in slugs:
        result = cachefile.read(output / SHARD_DIR / f"{slug}.pickle")
        if result is None:
            missing.append(slug)
        else:
            found[slug] = result
    return found, missing
