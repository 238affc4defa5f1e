"""The compressed twins of a built site, by kimsite's rule and default: for hugo-full, bench/run.py's
"same deliverable" Hugo pipeline (hugo, then Pagefind, then this).

    python bench/twins.py SITE_DIR

Every text file below SITE_DIR of at least 1,400 bytes gets a .gz twin (gzip level 6), as
kimsite's default `build.precompress: [gz]` does (and, were the default to add "br", a .br twin
for HTML, CSS, JS or SVG): kimsite.output.compress's twin_formats and encoders, imported, so the rule and the compressors are the same C
libraries kimsite uses. Every file is compressed again on every run (a Hugo user's script has
no last build to take twins over from, as kimsite does). Prints how many twins it wrote.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's kimsite, as `python -m kimsite`
from kimsite.models import BuildOptions  # noqa: E402
from kimsite.output.compress import ENCODERS, TEXT_SUFFIXES, twin_formats  # noqa: E402

FORMATS = BuildOptions.precompress  # kimsite's default twins


def write_twins(root: Path) -> int:
    count = 0
    for path in sorted(root.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        data = path.read_bytes()
        for suffix in twin_formats(path.name, len(data), FORMATS):
            path.with_name(f"{path.name}.{suffix}").write_bytes(ENCODERS[suffix](data))
            count += 1
    return count


if __name__ == "__main__":
    print(f"{write_twins(Path(sys.argv[1]))} twins")
