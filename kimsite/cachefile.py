"""Versioned pickle files in the build cache: what a cache held is used only by the same
version of what made it, and a missing, foreign or broken file is an empty cache."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any


def load(path: Path, version: str) -> dict[Any, Any]:
    try:
        saved_version, entries = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    return entries if saved_version == version and isinstance(entries, dict) else {}


def save(path: Path, version: str, entries: dict[Any, Any]) -> None:
    """Written under a temporary name and renamed: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(pickle.dumps((version, entries), protocol=pickle.HIGHEST_PROTOCOL))
    temp.replace(path)
