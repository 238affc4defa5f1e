"""Sharded builds: each machine builds a deterministic share of the KIMs, and a merge step
builds the hub from every shard's results (README, "Many machines").

A KIM's shard comes from a hash of its slug, not its position in sites.yaml: adding a KIM
moves no other KIM to another machine, so each machine's build cache stays warm. Each
site build leaves its result (the post stubs the hub needs, problems, page weights) in
`<output>/.kimsite-shards/<kim>.pickle`, which travels with the output to the merge.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from kimsite import cachefile

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


def save_result(output: Path, slug: str, result: Any) -> None:
    cachefile.write(output / SHARD_DIR / f"{slug}.pickle", result)


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
