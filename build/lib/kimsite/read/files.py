"""A writer's files as kimsite reads them: only inside the KIM's own folder."""

from __future__ import annotations

from pathlib import Path


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` (symlinks resolved) lies within `folder`."""
    return path.resolve().is_relative_to(folder.resolve())
