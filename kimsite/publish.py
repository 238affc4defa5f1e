"""Publish the hub's files into the output folder, touching only what changed.

The hub is rendered in memory on every build that needs it (a new post shifts its
list pages), but most of its files (one short-link page per post, old archive months,
district pages) come out byte-identical. Writing, compressing and replacing them all
again costs more than rendering them on a slow disk, so each file is minified and
hashed in memory and written (with its .gz/.br twins, each by an atomic rename) only
when its hash differs from the last publish. Files the hub no longer writes are
removed. The record of the last publish lives beside the output (`.kimsite-hub`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kimsite import compress
from kimsite.outputs import safe_path

STATE = ".kimsite-hub"


@dataclass
class Published:
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _load(path: Path) -> dict[str, str]:
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        return {}


def _write(output: Path, rel: str, data: bytes) -> None:
    target = safe_path(output, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.kimsite-tmp")
    temp.write_bytes(data)
    os.replace(temp, target)


def _remove(output: Path, rel: str) -> None:
    target = safe_path(output, rel)
    for path in [target, *(target.with_name(f"{target.name}.{f}") for f in compress.ENCODERS)]:
        path.unlink(missing_ok=True)
    for parent in target.parents:
        if parent == output:
            break
        try:
            parent.rmdir()
        except OSError:
            break


def _prune_top(output: Path, names: set[str], keep: frozenset[str]) -> None:
    """Top-level files and folders neither written now nor kept (the KIM sites) go."""
    for item in sorted(output.iterdir()):
        plain = item.name.removesuffix(".gz").removesuffix(".br")  # a twin stays with its file
        if plain not in names | keep and not item.name.startswith("."):
            shutil.rmtree(item) if item.is_dir() else item.unlink()


def publish_files(files: dict[str, bytes], output: Path, keep: frozenset[str], formats: tuple[str, ...],
                  on_page: Callable[[str, bytes], None] | None = None) -> Published:
    """Write `files` (relative path → bytes, pages minified already) into `output`, only those
    that changed; `on_page` sees every HTML page once its twins are in place. `files` is emptied
    as it goes, so the memory of the rendered hub is given back page by page."""
    state_path = output / STATE
    previous, current, result = _load(state_path), {}, Published()
    tag = ",".join(formats).encode()
    for rel in sorted(files):
        data = files.pop(rel)
        current[rel] = hashlib.sha256(tag + b"\0" + data).hexdigest()
        if previous.get(rel) != current[rel] or not (output / rel).is_file():
            _write_with_twins(output, rel, data, formats)
            result.changed.append(rel)
        if on_page and rel.endswith(".html"):
            on_page(rel, data)
    result.removed = sorted(previous.keys() - current.keys())
    for rel in result.removed:
        _remove(output, rel)
    _prune_top(output, {rel.split("/", 1)[0] for rel in current}, keep)
    temp = state_path.with_suffix(".tmp")
    temp.write_bytes(pickle.dumps(current))
    temp.replace(state_path)
    return result


def _write_with_twins(output: Path, rel: str, data: bytes, formats: tuple[str, ...]) -> None:
    _write(output, rel, data)
    if compress.is_text(rel):
        for suffix in compress.ENCODERS:  # twins in the chosen formats; none left in the others
            if suffix in formats:
                _write(output, f"{rel}.{suffix}", compress.ENCODERS[suffix](data))
            else:
                (output / f"{rel}.{suffix}").unlink(missing_ok=True)
