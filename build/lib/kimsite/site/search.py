"""Search that costs nothing until used: a Pagefind index per KIM site (the only importer of
pagefind). Only articles are indexed (they carry `data-pagefind-body`); the index and its
scripts are fetched by the search page alone, every other page stays free of JavaScript.
Pagefind's output is deterministic: the same pages give the same bytes."""

from __future__ import annotations

import contextlib
import functools
import subprocess
from collections.abc import Iterator
from pathlib import Path

BUNDLE = "pagefind"


@functools.cache
def executable() -> str:
    """The Pagefind binary (from `pagefind[bin]`), found once per process: run directly, not
    through `python -m pagefind`, it spares each site a Python start-up."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise RuntimeError("pagefind: no binary found; install kimsite with its dependencies (pagefind[bin])")
    return str(found)


def index_site(site: Path) -> None:
    """Write the search index of the pages below `site` into `site/pagefind/`."""
    with indexing(site):
        pass


@contextlib.contextmanager
def indexing(site: Path) -> Iterator[None]:
    """Pagefind indexes the pages below `site` into `site/pagefind/` while the body runs (it
    must not change the HTML pages); done, or its error raised, when the body ends."""
    command = [executable(), "--site", str(site), "--output-subdir", BUNDLE]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        try:
            yield
            output, _ = process.communicate(timeout=600)
        except BaseException:
            process.kill()
            raise
    if process.returncode != 0:
        raise RuntimeError(f"pagefind: {output.strip()[-500:]}")
