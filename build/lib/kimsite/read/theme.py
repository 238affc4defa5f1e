"""The theme a regency builds with: kimsite's own (shipped in the package), or a folder the
regency names, with its `theme_overrides` folder laid on top.

Overriding one template or the stylesheet needs no copy of the whole theme: files in the
overrides folder (`templates/article.html`, `hub/base.html`, `static/css/kim.css`…) replace
the theme's files of the same path. The merged theme is kept in the build cache
(`.kimsite-cache/theme/`) and rewritten only where its bytes change, so the build sees one
ordinary theme folder and an unchanged theme keeps every site unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def packaged() -> Path:
    """kimsite's own theme: inside the installed package, or at the top of a checkout."""
    installed = _PACKAGE / "themes" / "kim"
    return installed if installed.is_dir() else _PACKAGE.parent / "themes" / "kim"


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def merged(base: Path, overrides: Path, into: Path) -> Path:
    """`base` with `overrides` on top, in `into` (only changed files written, stale ones removed)."""
    wanted = {**_files(base), **_files(overrides)}
    have = _files(into) if into.is_dir() else {}
    for rel in have.keys() - wanted.keys():
        have[rel].unlink()
    for rel, source in wanted.items():
        target = into / rel
        data = source.read_bytes()
        if rel in have and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return into
