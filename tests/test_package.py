"""kimsite as a package: the wheel, installed alone into a clean venv outside this repository,
starts a real regency (Kabupaten Ketapang, 61.04) with `kimsite init`, adds two KIMs with
`kimsite new kim` and builds it, reading and writing nothing outside that folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kimsite.read import regions

ROOT = Path(__file__).resolve().parent.parent
REGENCY = "61.04"  # Kabupaten Ketapang: not the sample's Kulon Progo


def test_every_package_is_listed_for_the_wheel() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kimsite").rglob("__init__.py")}
    assert found <= listed, found - listed


def _run(args: list[str], cwd: Path, env: dict[str, str], trace: Path | None = None) -> subprocess.CompletedProcess:
    if trace is not None:
        args = ["strace", "-f", "-qq", "-e", "trace=open,openat,creat,mkdir,rename,renameat2,unlink,unlinkat",
                "-o", str(trace), *args]
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _touched(trace: Path) -> set[str]:
    paths = set()
    for line in trace.read_text().splitlines():
        if "ENOENT" in line:
            continue  # a lookup of what is not there touches nothing
        paths.update(m for m in re.findall(r'"(/[^"]*)"', line))
    return paths


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean venv holding only the wheel and its dependencies (from the package index)."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (apt-get install strace)")
    work = tmp_path_factory.mktemp("package")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work / "dist"), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next((work / "dist").glob("kimsite-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True, timeout=120)
    subprocess.run([str(work / "venv" / "bin" / "pip"), "install", "--quiet", str(wheel)], check=True,
                   capture_output=True, timeout=900)
    return work / "venv"


def test_the_wheel_starts_and_builds_a_regency_on_its_own(installed: Path, tmp_path: Path) -> None:
    kimsite = str(installed / "bin" / "kimsite")
    env = {"PATH": f"{installed / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8",
           "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "home").mkdir()
    (tmp_path / "tmp").mkdir()
    place = tmp_path / "kim-ketapang"
    table = regions.read_region_table(prefixes=(REGENCY,))
    villages = [r.code for r in table.villages_of(REGENCY)]
    trace = tmp_path / "trace"
    _run([kimsite, "init", str(place), "--regency", REGENCY], tmp_path, env, tmp_path / "trace-init")
    for number, code in enumerate(villages[10:12]):
        _run([kimsite, "new", "kim", "--village", code], place, env, tmp_path / f"trace-new-{number}")
    built = _run([kimsite, "build"], place, env, trace)
    assert "3 KIM ok" in built.stderr  # init's example KIM and the two added
    output = place / "output"
    config = (place / "sites.yaml").read_text()
    assert 'code: "61.04"' in config and "name: Kabupaten Ketapang" in config and "timezone: WIB" in config
    slugs = re.findall(r"- slug: (\S+)", config)
    assert len(slugs) == 3
    for slug in slugs:
        for page in ("index.html", "profil/index.html", "rss.xml", "atom.xml", "feed.json", "sitemap.xml"):
            assert (output / slug / page).is_file(), f"{slug}/{page}"
    for page in ("index.html", "direktori/index.html", "cakupan/index.html", "dasbor/index.html", "rss.xml"):
        assert (output / page).is_file(), page
    coverage = BeautifulSoup((output / "cakupan" / "index.html").read_text(), "html.parser").get_text(" ")
    assert f"3 dari {len(villages)}" in " ".join(coverage.split())
    assert (output / "tema").is_dir() and any((output / "tema" / "css").glob("kim.*.css"))  # the packaged theme
    # nothing outside the regency's folder, the venv and the system's own files was read or written
    allowed = (str(place), str(installed), str(tmp_path / "tmp"), sys.base_prefix, os.path.realpath(sys.base_prefix),
               "/usr/", "/lib", "/etc/", "/proc/", "/sys/", "/dev/")
    touched = set().union(*(_touched(t) for t in tmp_path.glob("trace*")))
    assert not [p for p in touched if p.startswith(str(ROOT))], "the checkout was used"
    assert sorted(p for p in touched if not p.startswith(allowed) and p not in ("/", "/tmp")) == []
