"""Pickle files kimsite keeps for itself (build cache, shard results, publish records): written
whole or not at all, and read back as nothing when missing, cut short or made by a kimsite
whose classes no longer read them. A versioned cache is used only by the same version of
what made it."""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError)


def read(path: Path) -> Any:  # noqa: ANN401 - whatever was written
    """What `path` holds, or None when it holds nothing readable."""
    try:
        return pickle.loads(path.read_bytes())
    except UNREADABLE:
        return None


def write(path: Path, value: Any, fast: bool = False) -> None:  # noqa: ANN401 - anything picklable
    """Pickled under a temporary name and renamed: a reader never sees half a file. `fast`: no
    pickle memo (a third of the time for a large record; only for values without shared or
    cyclic objects)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{path.name}.tmp")
    with temp.open("wb") as handle:
        pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = fast
        pickler.dump(value)
    temp.replace(path)


def digest(value: Any, pickler: type[pickle.Pickler] = pickle.Pickler) -> str:  # noqa: ANN401 - any picklable
    """SHA-256 of `value` pickled without the pickle memo, so that equal values give one digest
    however their objects are shared: with the memo, a post built from its file and the same
    post read back from a cache pickle differently (the memo records which objects are one),
    and every hub page that lists it was rendered again after a cold build."""
    buffer = io.BytesIO()
    out = pickler(buffer, protocol=5)
    out.fast = True
    out.dump(value)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


def load(path: Path, version: str) -> dict[Any, Any]:
    """The entries of a versioned cache, or none when it was made by another version."""
    saved = read(path)
    if not (isinstance(saved, tuple) and len(saved) == 2 and saved[0] == version and isinstance(saved[1], dict)):
        return {}
    return saved[1]


def save(path: Path, version: str, entries: dict[Any, Any]) -> None:
    write(path, (version, entries))
