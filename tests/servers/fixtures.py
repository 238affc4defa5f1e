"""pytest fixtures for the deploy test servers (registered as a plugin in tests/conftest.py).

Function-scoped unless startup is slow: every test gets its own empty FTP home, vsftpd site folder, sshd
remote folder, S3 bucket and nginx. Only the SeaweedFS process is shared by the session (a few seconds
to start); each test still gets a new, empty bucket on it.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from .ftp import FtpServer, run_ftp_server
from .nginx import NginxServer, run_nginx
from .s3 import S3Server, SeaweedFS, run_seaweedfs, s3_client
from .sshd import SshServer, run_sshd
from .vsftpd import StrictFtpsServer, run_vsftpd

_buckets = itertools.count(1)


@pytest.fixture
def ftp_server(tmp_path: Path) -> Iterator[FtpServer]:
    """Plain FTP (pyftpdlib), user/password, full permissions, an empty home."""
    with run_ftp_server(tmp_path / "ftp-home") as server:
        yield server


@pytest.fixture
def ftps_server(tmp_path: Path) -> Iterator[FtpServer]:
    """Explicit FTPS (pyftpdlib, AUTH TLS required for login and data), a self-signed certificate."""
    with run_ftp_server(tmp_path / "ftps-home", tls=True, cert_dir=tmp_path) as server:
        yield server


@pytest.fixture
def make_ftp_server(tmp_path: Path) -> Iterator[Callable[..., FtpServer]]:
    """A factory for pyftpdlib servers with faults: `make_ftp_server(tls=False, perm="elr",
    drop_upload_after=None, drops=None, user=..., password=...)`; all are stopped after the test."""
    with ExitStack() as stack:
        count = itertools.count(1)

        def make(**options: Any) -> FtpServer:
            n = next(count)
            options.setdefault("cert_dir", tmp_path)
            return stack.enter_context(run_ftp_server(tmp_path / f"ftp-home-{n}", **options))

        yield make


@pytest.fixture
def strict_ftps_server(tmp_path: Path) -> Iterator[StrictFtpsServer]:
    """Debian's vsftpd: TLS required for login and data, and TLS session reuse (use SessionReusingFTP_TLS)."""
    with run_vsftpd(tmp_path / "vsftpd") as server:
        yield server


@pytest.fixture
def sshd_server(tmp_path: Path) -> Iterator[SshServer]:
    """A private OpenSSH sshd (key login only) for SFTP and rsync over SSH."""
    with run_sshd(tmp_path / "sshd") as server:
        yield server


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    """The session's one `weed mini` (http and https endpoints)."""
    with run_seaweedfs(tmp_path_factory.mktemp("seaweedfs"), https=True) as weed:
        yield weed


def _fresh_bucket(server: S3Server) -> Iterator[S3Server]:
    fresh = dataclasses.replace(server, bucket=f"kimsite-test-{next(_buckets)}")
    client = s3_client(fresh)
    client.create_bucket(Bucket=fresh.bucket)
    yield fresh
    # SeaweedFS deletes a non-empty bucket with its objects (-s3.allowDeleteBucketNotEmpty, on by default)
    client.delete_bucket(Bucket=fresh.bucket)


@pytest.fixture
def s3_server(seaweedfs: SeaweedFS) -> Iterator[S3Server]:
    """SeaweedFS over http with a new, empty bucket for this test."""
    yield from _fresh_bucket(seaweedfs.http)


@pytest.fixture
def s3_https_server(seaweedfs: SeaweedFS) -> Iterator[S3Server]:
    """SeaweedFS over https (self-signed; `ca_path` verifies it) with a new, empty bucket for this test."""
    assert seaweedfs.https is not None
    yield from _fresh_bucket(seaweedfs.https)


@pytest.fixture
def nginx_server(tmp_path: Path) -> Iterator[Callable[[Path], NginxServer]]:
    """`nginx_server(root)` starts nginx (gzip_static on) serving `root`; stopped after the test."""
    with ExitStack() as stack:
        count = itertools.count(1)

        def serve(root: Path, **extra: str) -> NginxServer:
            return stack.enter_context(run_nginx(root, tmp_path / f"nginx-{next(count)}", **extra))

        yield serve
