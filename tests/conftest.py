"""Shared fixtures: real builds of the tiny fixture regency and the sample regency."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BUILD_DATE = "2026-11-22"
# the browser tests' screenshots (every page type at 360 and 1280 px): a folder git ignores, kept
# after the run for a human or CI's artifacts; $KIMSITE_SCREENSHOTS moves it
SCREENSHOTS = Path(os.environ.get("KIMSITE_SCREENSHOTS") or ROOT / "reports" / "screenshots")
SHOTS_KEY = pytest.StashKey[Path]()  # set when a test wrote there

# the deploy test servers (FTP, FTPS, vsftpd, sshd, SeaweedFS, nginx): see tests/servers/
pytest_plugins = ["tests.servers.fixtures"]


def run_kimsite(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "kimsite", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=600, check=False)


def copy_fixture(name: str, target: Path) -> Path:
    """A writable copy of a fixture regency (with the paths it points at kept valid)."""
    shutil.copytree(FIXTURES / name, target / name)
    return target / name


@pytest.fixture(scope="session")
def tiny_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("tiny") / "output"
    result = run_kimsite("build", "--config", str(FIXTURES / "tiny" / "sites.yaml"),
                         "--output", str(output), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    output = tmp_path_factory.mktemp("sample") / "output"
    result = run_kimsite("build", "--config", str(ROOT / "sites.yaml"), "--output", str(output),
                         "--build-date", BUILD_DATE)
    return output, result


@pytest.fixture(scope="session")
def sample_output(sample_build: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    output, result = sample_build
    assert result.returncode == 0, result.stderr
    return output


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Say where the browser tests left their screenshots, when they ran."""
    folder = config.stash.get(SHOTS_KEY, None)
    if folder is not None:
        terminalreporter.write_line(f"screenshots: {folder} ({len(list(folder.glob('*.png')))} PNG)")
