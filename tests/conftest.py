"""Shared fixtures: real builds of the tiny fixture regency and the sample regency."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Not a line per request on the test's output."""


@pytest.fixture(scope="session")
def served_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, output): the sample, built for a 127.0.0.1 address and served by a real HTTP server.
    Built from a copy, with a build cache of its own: its record of the published posts (with this
    address in their HTML) must not make the sample's own build warn of posts edited after they
    were published."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    folder = tmp_path_factory.mktemp("served")
    shutil.copy(ROOT / "sites.yaml", folder)
    for name in ("content", "data", "themes"):
        shutil.copytree(ROOT / name, folder / name)
    if (ROOT / ".cms").is_dir():
        (folder / ".cms").symlink_to(ROOT / ".cms")
    output = folder / "output"
    result = run_kimsite("build", "--config", str(folder / "sites.yaml"), "--output", str(output),
                         "--base-url", base, "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    server.RequestHandlerClass = functools.partial(QuietHandler, directory=str(output))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base, output
    server.shutdown()
    server.server_close()
