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


PYTHONS = ("python3.11", "python3.13")  # the supported versions (README)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (apt-get install strace)")
    dist = tmp_path_factory.mktemp("dist")
    source = dist / "source"  # a copy: building in the checkout would leave build/ there (and reuse its stale files)
    top = {".git", ".venv", "output", ".kimsite-cache", ".kimsite-preview", "build", "dist", "kimsite.egg-info",
           "node_modules", ".cms", ".lighthouse", "reports", "public"}
    shutil.copytree(ROOT, source, ignore=lambda folder, names: [
        n for n in names if n == "__pycache__" or (Path(folder) == ROOT and n in top)])
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(source)],
                   check=True, capture_output=True, timeout=600)
    return next(dist.glob("kimsite-*.whl"))


def _interpreter(name: str) -> str | None:
    """That Python, if this machine has it (on PATH, or installed by pyenv without being selected)."""
    version = name.removeprefix("python")
    candidates = [shutil.which(name), *map(str, sorted(Path.home().glob(f".pyenv/versions/{version}*/bin/{name}")))]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "pass"], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


@pytest.fixture(scope="module", params=PYTHONS)
def installed(request: pytest.FixtureRequest, wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean venv of that Python holding only the wheel and its dependencies (from the index)."""
    python = _interpreter(request.param)
    if python is None:
        pytest.skip(f"{request.param} is not installed")
    venv = tmp_path_factory.mktemp(request.param) / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)], check=True,
                   capture_output=True, timeout=900)
    return venv


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
    built = _run([kimsite, "build", "--build-date", "2026-12-01"], place, env, trace)
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
    base = subprocess.run([str(installed / "bin" / "python"), "-c", "import sys; print(sys.base_prefix)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    allowed = (str(place), str(installed), str(tmp_path / "tmp"), base, os.path.realpath(base),
               "/usr/", "/lib", "/etc/", "/proc/", "/sys/", "/dev/")
    touched = set().union(*(_touched(t) for t in tmp_path.glob("trace*")))
    assert not [p for p in touched if p.startswith(str(ROOT))], "the checkout was used"
    assert sorted(p for p in touched if not p.startswith(allowed) and p not in ("/", "/tmp")) == []
    # a deploy target whose extra is not installed says which one to install
    (place / "known_hosts").write_text("")
    (place / "sites.yaml").write_text(config + "deploy:\n  targets:\n    - name: vps\n      type: sftp\n"
                                      "      host: 127.0.0.1\n      user_env: KIM_USER\n      key_env: KIM_KEY\n"
                                      "      known_hosts: known_hosts\n      path: www\n")
    deployed = subprocess.run([kimsite, "deploy"], cwd=place, env={**env, "KIM_USER": "u", "KIM_KEY": "k"},
                              capture_output=True, text=True, timeout=120, check=False)
    assert deployed.returncode == 1 and "pip install 'kimsite[ssh]'" in deployed.stderr, deployed.stderr
    assert "Traceback" not in deployed.stderr
    (place / "sites.yaml").write_text(config)
    size = sum(p.stat().st_size for p in installed.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"runtime venv of {installed.parent.name}: {size / 2**20:.0f} MiB")  # the README states it
    BUILT[installed.parent.name] = {p.relative_to(place).as_posix(): p.read_bytes()
                                    for p in sorted(output.rglob("*"))
                                    if p.is_file() and not any(s.startswith(".kimsite") for s in p.parts)}


BUILT: dict[str, dict[str, bytes]] = {}  # per Python: the regency's output


def test_every_python_builds_the_same_bytes() -> None:
    """Run after the builds above: 3.11 and 3.13 give byte-identical sites, .gz twins included."""
    if len(BUILT) < 2:
        pytest.skip(f"built with {sorted(BUILT)} only")
    first, second = BUILT.values()
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
