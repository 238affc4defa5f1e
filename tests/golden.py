"""Golden builds: tiny regencies built and compared byte for byte with committed output.

Regenerate after an intended change with `make golden` (python -m tests.golden), then
review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ["tiny"]
BUILD_DATE = "2026-11-22"


def build(name: str, output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kimsite", "build", "--config", str(FIXTURES / name / "sites.yaml"),
         "--output", str(output), "--build-date", BUILD_DATE],
        capture_output=True, text=True, check=False, timeout=600)


# build state beside the output, never published
INTERNAL = {".kimsite-shards", ".kimsite-hashes", ".kimsite-hub", ".kimsite-part.json", ".kimsite-twins",
            ".kimsite-build.json", ".kimsite-tree.json", ".kimsite-unduh"}


def tree(root: Path) -> dict[str, bytes]:
    """Every published file and the build manifest; not the build state kept beside them (results for
    `kimsite merge`, the hash cache)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not INTERNAL & set(p.relative_to(root).parts)}


def main() -> None:
    for name in SAMPLES:
        target = GOLDEN / name
        if target.exists():
            shutil.rmtree(target)
        result = build(name, target)
        if result.returncode != 0:
            sys.exit(result.stderr)
        for internal in sorted((p for p in target.rglob("*") if p.name in INTERNAL), reverse=True):
            shutil.rmtree(internal) if internal.is_dir() else internal.unlink()  # internal state, not output
        print(f"{target.relative_to(ROOT)}: {len(tree(target))} files")


if __name__ == "__main__":
    main()
