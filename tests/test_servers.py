"""The deploy test servers are real: each one works with a plain client, and refuses what it should."""

from __future__ import annotations

import ftplib
import gzip
import http.client
import io
import shlex
import ssl
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.servers import (
    READ_ONLY_PERM,
    FtpServer,
    NginxServer,
    S3Server,
    SessionReusingFTP_TLS,
    SshServer,
    StrictFtpsServer,
)
from tests.servers._common import REQUIRE_ENV, ServerStartError, require_binary, running
from tests.servers.s3 import s3_client

PAGE = b"<!doctype html><title>KIM Sukamaju</title><p>Kabar desa</p>\n" * 50


# --- the machinery ----------------------------------------------------------------------------------


def test_a_missing_server_skips_or_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="kimsite-no-such-server"):
        require_binary("kimsite-no-such-server", "apt-get install nothing")
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE_ENV}=1"):
        require_binary("kimsite-no-such-server", "apt-get install nothing")


def test_a_server_that_dies_at_start_reports_its_log(tmp_path: Path) -> None:
    argv = ["sh", "-c", "echo 'bind: Address already in use' >&2; exit 1"]
    with pytest.raises(ServerStartError, match="exited while starting(.|\\n)*Address already in use"), \
            running(argv, log=tmp_path / "out.log", ready=lambda: False, what="broken", timeout=10):
        pass


def _ftp_round_trip(ftp: ftplib.FTP, folder: str = "/") -> list[str]:
    """Upload under a temporary name, rename into place, make a folder, list: what a deploy does."""
    ftp.cwd(folder)
    ftp.storbinary("STOR index.html.kimsite-tmp", io.BytesIO(b"old page"))
    ftp.rename("index.html.kimsite-tmp", "index.html")
    ftp.storbinary("STOR index.html.kimsite-tmp", io.BytesIO(PAGE))
    ftp.rename("index.html.kimsite-tmp", "index.html")  # RNFR/RNTO replaces an existing file
    ftp.mkd("berita")
    ftp.storbinary("STOR berita/a.html", io.BytesIO(b"a"))
    names = sorted(ftp.nlst())
    got = io.BytesIO()
    ftp.retrbinary("RETR index.html", got.write)
    assert got.getvalue() == PAGE
    return names


def _tls_context(cert: Path | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


# --- pyftpdlib: FTP and FTPS -------------------------------------------------------------------------


def test_ftp_upload_rename_list(ftp_server: FtpServer) -> None:
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=10)
        ftp.login(ftp_server.user, ftp_server.password)
        assert _ftp_round_trip(ftp) == ["berita", "index.html"]
    assert (ftp_server.root / "index.html").read_bytes() == PAGE
    assert (ftp_server.root / "berita" / "a.html").read_bytes() == b"a"


def test_ftp_wrong_password_is_refused(ftp_server: FtpServer) -> None:
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=10)
        with pytest.raises(ftplib.error_perm, match="^530"):
            ftp.login(ftp_server.user, "salah")


def test_ftp_read_only_user_may_list_but_not_write(make_ftp_server: Callable[..., FtpServer]) -> None:
    server = make_ftp_server(perm=READ_ONLY_PERM)
    (server.root / "old.html").write_bytes(b"old")
    with ftplib.FTP() as ftp:
        ftp.connect(server.host, server.port, timeout=10)
        ftp.login(server.user, server.password)
        assert ftp.nlst() == ["old.html"]
        with pytest.raises(ftplib.error_perm, match="^550"):
            ftp.storbinary("STOR new.html", io.BytesIO(b"new"))
        with pytest.raises(ftplib.error_perm, match="^550"):
            ftp.rename("old.html", "renamed.html")
        with pytest.raises(ftplib.error_perm, match="^550"):
            ftp.delete("old.html")
    assert sorted(p.name for p in server.root.iterdir()) == ["old.html"]


@pytest.mark.parametrize("tls", [False, True], ids=["ftp", "ftps"])
def test_ftp_drops_the_connection_mid_upload_then_recovers(make_ftp_server: Callable[..., FtpServer],
                                                           tls: bool) -> None:
    server = make_ftp_server(tls=tls, drop_upload_after=4096, drops=1)
    big = bytes(range(256)) * 1024  # 256 KiB

    def upload() -> None:
        ftp = SessionReusingFTP_TLS(context=_tls_context(server.cert_path)) if tls else ftplib.FTP()
        with ftp:
            ftp.connect(server.host, server.port, timeout=10)
            ftp.login(server.user, server.password)
            if tls:
                ftp.prot_p()  # type: ignore[attr-defined]
            ftp.storbinary("STOR big.bin.kimsite-tmp", io.BytesIO(big))
            ftp.rename("big.bin.kimsite-tmp", "big.bin")

    with pytest.raises((EOFError, OSError, ftplib.Error)):
        upload()
    assert server.stats.drops == 1
    assert not (server.root / "big.bin").exists()
    partial = server.root / "big.bin.kimsite-tmp"
    assert partial.exists() and partial.stat().st_size < len(big)
    upload()  # the link is back: a retry succeeds
    assert (server.root / "big.bin").read_bytes() == big
    assert server.stats.drops == 1


def test_ftps_upload_rename_list(ftps_server: FtpServer) -> None:
    with ftplib.FTP_TLS(context=_tls_context(ftps_server.cert_path)) as ftp:
        ftp.connect(ftps_server.host, ftps_server.port, timeout=10)
        ftp.login(ftps_server.user, ftps_server.password)  # AUTH TLS first
        ftp.prot_p()
        assert _ftp_round_trip(ftp) == ["berita", "index.html"]
    assert (ftps_server.root / "index.html").read_bytes() == PAGE


def test_ftps_refuses_a_plain_login(ftps_server: FtpServer) -> None:
    with ftplib.FTP() as ftp:
        ftp.connect(ftps_server.host, ftps_server.port, timeout=10)
        with pytest.raises(ftplib.error_perm, match="^550"):
            ftp.login(ftps_server.user, ftps_server.password)


# --- vsftpd: the strict FTPS server ------------------------------------------------------------------


@pytest.mark.parametrize("tls_version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3], ids=["tls1.2", "tls1.3"])
def test_strict_ftps_works_with_session_reuse(strict_ftps_server: StrictFtpsServer,
                                              tls_version: ssl.TLSVersion) -> None:
    server = strict_ftps_server
    context = _tls_context(server.cert_path)
    context.maximum_version = tls_version
    with SessionReusingFTP_TLS(context=context) as ftp:
        ftp.connect(server.host, server.port, timeout=10)
        ftp.login(server.user, server.password)
        ftp.prot_p()
        assert ftp.sock.version() == tls_version.name.replace("v1_", "v1.")  # type: ignore[union-attr]
        assert _ftp_round_trip(ftp, server.remote_dir) == ["berita", "index.html"]
        ftp.delete("berita/a.html")
        ftp.rmd("berita")
    assert sorted(p.name for p in server.local_dir.iterdir()) == ["index.html"]
    assert (server.local_dir / "index.html").read_bytes() == PAGE


def test_strict_ftps_refuses_plain_ftp_tls_without_session_reuse(strict_ftps_server: StrictFtpsServer) -> None:
    server = strict_ftps_server
    with ftplib.FTP_TLS(context=_tls_context(server.cert_path)) as ftp:
        ftp.connect(server.host, server.port, timeout=10)
        ftp.login(server.user, server.password)
        ftp.prot_p()
        with pytest.raises(ftplib.error_perm, match="^522"):
            ftp.nlst(server.remote_dir)


def test_strict_ftps_refuses_ftp_without_tls(strict_ftps_server: StrictFtpsServer) -> None:
    server = strict_ftps_server
    with ftplib.FTP() as ftp:
        ftp.connect(server.host, server.port, timeout=10)
        with pytest.raises(ftplib.error_perm, match="^530"):
            ftp.login(server.user, server.password)


# --- sshd: SFTP and rsync over SSH -------------------------------------------------------------------


def _ssh_client(server: SshServer, known_hosts: Path | None = None):  # noqa: ANN202 - paramiko type
    import paramiko

    client = paramiko.SSHClient()
    client.load_host_keys(str(known_hosts or server.known_hosts))
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(server.host, port=server.port, username=server.user, key_filename=str(server.private_key),
                   look_for_keys=False, allow_agent=False, timeout=10)
    return client


def test_sftp_put_and_rename(sshd_server: SshServer, tmp_path: Path) -> None:
    source = tmp_path / "index.html"
    source.write_bytes(PAGE)
    remote = sshd_server.remote_root
    (remote / "index.html").write_bytes(b"old page")
    with _ssh_client(sshd_server) as client, client.open_sftp() as sftp:
        sftp.put(str(source), f"{remote}/index.html.kimsite-tmp")
        with pytest.raises(OSError):  # SFTP's plain rename never replaces an existing file...
            sftp.rename(f"{remote}/index.html.kimsite-tmp", f"{remote}/index.html")
        # ...OpenSSH's posix-rename@openssh.com extension does, atomically
        sftp.posix_rename(f"{remote}/index.html.kimsite-tmp", f"{remote}/index.html")
        sftp.mkdir(f"{remote}/berita")
        assert sorted(sftp.listdir(str(remote))) == ["berita", "index.html"]
    assert (remote / "index.html").read_bytes() == PAGE


def test_ssh_rejects_an_unknown_host_key(sshd_server: SshServer, tmp_path: Path) -> None:
    import paramiko

    empty = tmp_path / "empty_known_hosts"
    empty.write_text("")
    with pytest.raises(paramiko.SSHException, match="not found in known_hosts"):
        _ssh_client(sshd_server, known_hosts=empty)


def test_rsync_over_ssh_with_checksum(sshd_server: SshServer, tmp_path: Path) -> None:
    source = tmp_path / "site"
    (source / "berita").mkdir(parents=True)
    (source / "index.html").write_bytes(PAGE)
    (source / "berita" / "a.html").write_bytes(b"a")
    destination = f"{sshd_server.user}@{sshd_server.host}:{sshd_server.remote_root}/"
    argv = ["rsync", "-a", "--checksum", "--itemize-changes", "-e", shlex.join(sshd_server.ssh_command()),
            f"{source}/", destination]
    first = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert first.returncode == 0, first.stderr
    assert (sshd_server.remote_root / "index.html").read_bytes() == PAGE
    assert (sshd_server.remote_root / "berita" / "a.html").read_bytes() == b"a"
    again = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == ""  # nothing changed, nothing sent


# --- SeaweedFS: S3 -----------------------------------------------------------------------------------


def test_s3_put_list_delete(s3_server: S3Server) -> None:
    client = s3_client(s3_server)
    client.put_object(Bucket=s3_server.bucket, Key="kim/index.html", Body=PAGE, ContentType="text/html")
    listed = client.list_objects_v2(Bucket=s3_server.bucket)
    assert [o["Key"] for o in listed["Contents"]] == ["kim/index.html"]
    got = client.get_object(Bucket=s3_server.bucket, Key="kim/index.html")
    assert got["Body"].read() == PAGE
    assert got["ContentType"] == "text/html"
    client.delete_object(Bucket=s3_server.bucket, Key="kim/index.html")
    assert client.list_objects_v2(Bucket=s3_server.bucket)["KeyCount"] == 0


def test_s3_checks_signatures(s3_server: S3Server) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        s3_client(s3_server, secret_key="salah").put_object(Bucket=s3_server.bucket, Key="x", Body=b"x")
    error = caught.value.response
    assert error["Error"]["Code"] == "SignatureDoesNotMatch"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert s3_client(s3_server).list_objects_v2(Bucket=s3_server.bucket)["KeyCount"] == 0


def test_s3_over_https(s3_https_server: S3Server) -> None:
    import dataclasses

    from botocore.exceptions import SSLError

    assert s3_https_server.endpoint_url.startswith("https://")
    client = s3_client(s3_https_server)
    client.put_object(Bucket=s3_https_server.bucket, Key="index.html", Body=PAGE)
    assert client.get_object(Bucket=s3_https_server.bucket, Key="index.html")["Body"].read() == PAGE
    unverified = s3_client(dataclasses.replace(s3_https_server, ca_path=None))  # the system CAs only
    with pytest.raises(SSLError):
        unverified.list_objects_v2(Bucket=s3_https_server.bucket)


# --- nginx: gzip_static ------------------------------------------------------------------------------


def _get(server: NginxServer, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.base_url.split("//")[1].rstrip("/"), timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_nginx_serves_the_precompressed_twin(nginx_server: Callable[[Path], NginxServer], tmp_path: Path) -> None:
    root = tmp_path / "www"
    root.mkdir()
    (root / "index.html").write_bytes(PAGE)
    twin = gzip.compress(PAGE, compresslevel=9, mtime=0)
    (root / "index.html.gz").write_bytes(twin)
    server = nginx_server(root)

    status, headers, body = _get(server, "/", {})
    assert (status, body) == (200, PAGE)
    assert "content-encoding" not in headers
    assert headers["content-type"].startswith("text/html")

    status, headers, body = _get(server, "/index.html", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert body == twin  # the file on disk, byte for byte: nginx did not compress it itself

    status, _, _ = _get(server, "/tidak-ada.html", {})
    assert status == 404
