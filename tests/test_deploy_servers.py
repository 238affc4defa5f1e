"""`kimsite deploy` against real servers on 127.0.0.1: pyftpdlib (FTP, FTPS), vsftpd (strict
FTPS), OpenSSH (SFTP, rsync), SeaweedFS (S3 over http and https), and nginx serving the result."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kimsite.deploy import record
from tests.conftest import BUILD_DATE, ROOT, run_kimsite
from tests.golden import tree
from tests.regency import good_posts, write_regency
from tests.servers import run_ftp_server
from tests.servers.s3 import s3_client

SECRET = "rahasia-kim"  # the test servers' password: must never be printed


@dataclass
class Remote:
    """A deploy target on a running server: its YAML, the variables it reads, what is live."""

    yaml: str
    env: dict[str, str]
    live: Callable[[], dict[str, bytes]]
    twins: bool = True  # the target holds the build's .gz/.br twins (S3 stores each page gzip-encoded instead)


def _folder(root: Path) -> Callable[[], dict[str, bytes]]:
    return lambda: {k: v for k, v in tree(root).items() if not k.startswith(".kimsite")} if root.exists() else {}


def _ftp(server, kind: str) -> Remote:
    ca = f"\n      ca_file: {server.cert_path}" if kind == "ftps" else ""
    yaml = (f"      type: {kind}\n      host: {server.host}\n      port: {server.port}\n      path: site\n"
            f"      user_env: T_USER\n      password_env: T_PASS{ca}\n")
    return Remote(yaml, {"T_USER": server.user, "T_PASS": server.password}, _folder(server.root / "site"))


def _vsftpd(server) -> Remote:
    yaml = (f"      type: ftps\n      host: {server.host}\n      port: {server.port}\n"
            f"      path: {server.remote_dir}\n      user_env: T_USER\n      password_env: T_PASS\n"
            f"      ca_file: {server.cert_path}\n")
    return Remote(yaml, {"T_USER": server.user, "T_PASS": server.password}, _folder(server.local_dir))


def _ssh(server, kind: str) -> Remote:
    yaml = (f"      type: {kind}\n      host: {server.host}\n      port: {server.port}\n"
            f"      path: {server.remote_root}/site\n      user_env: T_USER\n      key_env: T_KEY\n"
            f"      known_hosts: {server.known_hosts}\n")
    key = server.private_key.read_text() if kind == "sftp" else str(server.private_key)  # both spellings
    return Remote(yaml, {"T_USER": server.user, "T_KEY": key}, _folder(server.remote_root / "site"))


def _s3(server) -> Remote:
    ca = f"\n      ca_file: {server.ca_path}" if server.ca_path else ""
    yaml = (f"      type: s3\n      endpoint: {server.endpoint_url}\n      bucket: {server.bucket}\n"
            f"      path: kim\n      region: {server.region}\n      access_key_env: T_KEY\n"
            f"      secret_key_env: T_SECRET{ca}\n")

    def live() -> dict[str, bytes]:
        client = s3_client(server)
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=server.bucket, Prefix="kim/"):
            for obj in page.get("Contents", []):
                rel = obj["Key"].removeprefix("kim/")
                if not rel.startswith(".kimsite"):
                    got = client.get_object(Bucket=server.bucket, Key=obj["Key"])
                    body = got["Body"].read()  # as a browser reads it: gzip-encoded objects decoded
                    found[rel] = gzip.decompress(body) if got.get("ContentEncoding") == "gzip" else body
        return found

    return Remote(yaml, {"T_KEY": server.access_key, "T_SECRET": server.secret_key}, live, twins=False)


KINDS = {
    "ftp": lambda r: _ftp(r.getfixturevalue("ftp_server"), "ftp"),
    "ftps": lambda r: _ftp(r.getfixturevalue("ftps_server"), "ftps"),
    "vsftpd-ftps": lambda r: _vsftpd(r.getfixturevalue("strict_ftps_server")),
    "sftp": lambda r: _ssh(r.getfixturevalue("sshd_server"), "sftp"),
    "rsync": lambda r: _ssh(r.getfixturevalue("sshd_server"), "rsync"),
    "s3": lambda r: _s3(r.getfixturevalue("s3_server")),
    "s3-https": lambda r: _s3(r.getfixturevalue("s3_https_server")),
}


def write_site(root: Path, remote: Remote, extra: str = "") -> Path:
    config = write_regency(root, {"kim-a": good_posts(3), "kim-b": good_posts(2)},
                           f"deploy:\n  retries: 2\n{extra}  targets:\n    - name: web\n{remote.yaml}")
    built = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert built.returncode == 0, built.stderr
    return config


def deploy(config: Path, remote: Remote, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "kimsite", "deploy", "--config", str(config), *args],
                            cwd=ROOT, env=os.environ | remote.env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert SECRET not in result.stdout + result.stderr
    for value in remote.env.values():
        assert len(value) < 8 or value not in result.stdout + result.stderr  # no credential is printed
    return result


def built(config: Path, remote: Remote) -> dict[str, bytes]:
    """The build's files as `remote` should serve them (without the twins where it holds none)."""
    return {k: v for k, v in tree(config.parent / "output").items()
            if not k.startswith(".kimsite") and (remote.twins or not k.endswith((".gz", ".br")))}


@pytest.fixture(params=list(KINDS))
def remote(request: pytest.FixtureRequest) -> Remote:
    return KINDS[request.param](request)


def test_first_deploy_then_one_new_post_sends_only_what_changed(remote: Remote, tmp_path: Path) -> None:
    config = write_site(tmp_path, remote)
    first = deploy(config, remote)
    assert first.returncode == 0, first.stderr
    assert remote.live() == built(config, remote)

    post = tmp_path / "content" / "kim-a" / "posts" / "2025-05-10-baru.md"
    post.write_text("---\ntitle: Berita Baru\ncategory: berita\n---\n\nBaru.\n")
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    dry = deploy(config, remote, "--dry-run")
    second = deploy(config, remote)
    assert second.returncode == 0, second.stderr
    summary = second.stdout.splitlines()[0]
    planned = dry.stdout.splitlines()[0].split(";")[0].replace("Rencana/Plan", "Terkirim/Deployed")
    assert summary.split(";")[0] == planned
    assert " 0 baru/new" not in summary and remote.live() == built(config, remote)
    assert "0 baru/new, 0 berubah/changed" in deploy(config, remote).stdout


def _complete_or_absent(live: dict[str, bytes], build: dict[str, bytes]) -> None:
    """Every live file is a whole file of the build: never a half-written one (an interrupted upload
    may leave its hidden temporary `.name.kimsite-part`, which no page links to and the next run replaces)."""
    assert not [p for p in live if not p.endswith(".kimsite-part") and live[p] != build.get(p)]


def test_a_dropped_connection_is_retried_and_the_deploy_completes(tmp_path: Path) -> None:
    with run_ftp_server(tmp_path / "home", drop_upload_after=1000, drops=2) as server:
        remote = _ftp(server, "ftp")
        config = write_site(tmp_path / "site", remote)
        result = deploy(config, remote)
        assert result.returncode == 0, result.stderr
        assert server.stats.drops == 2 and "ulang/retries" in result.stdout
        assert remote.live() == built(config, remote)


def test_a_link_that_keeps_dropping_fails_clearly_breaks_nothing_and_a_rerun_converges(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with run_ftp_server(home, drop_upload_after=1000) as server:
        remote = _ftp(server, "ftp")
        config = write_site(tmp_path / "site", remote)
        failed = deploy(config, remote)
        assert failed.returncode == 1 and "koneksi terputus" in failed.stderr and "Traceback" not in failed.stderr
        _complete_or_absent(remote.live(), built(config, remote))
        old_port = server.port
    with run_ftp_server(home) as server:  # the link is back (on another port: point the target at it)
        remote = _ftp(server, "ftp")
        config.write_text(config.read_text().replace(f"port: {old_port}", f"port: {server.port}"))
        result = deploy(config, remote)
        assert result.returncode == 0, result.stderr
        assert remote.live() == built(config, remote)
        assert not list((home / "site").rglob("*.kimsite-part"))


def test_wrong_password_and_refused_writes_are_clear_errors(make_ftp_server, tmp_path: Path) -> None:
    server = make_ftp_server()
    remote = _ftp(server, "ftp")
    config = write_site(tmp_path, remote)
    wrong = deploy(config, Remote(remote.yaml, remote.env | {"T_PASS": "salah-sandi"}, remote.live))
    assert wrong.returncode == 1 and "login ke 127.0.0.1 ditolak" in wrong.stderr
    assert "salah-sandi" not in wrong.stderr + wrong.stdout

    read_only = make_ftp_server(perm="elr")
    remote = _ftp(read_only, "ftp")
    config = write_site(tmp_path / "ro", remote)
    refused = deploy(config, remote)
    assert refused.returncode == 1 and "menolak menulis" in refused.stderr
    assert remote.live() == {}


def test_a_full_quota_stops_the_deploy_with_a_clear_error_and_breaks_nothing(tmp_path: Path) -> None:
    with run_ftp_server(tmp_path / "home", quota_bytes=40_000) as server:
        remote = _ftp(server, "ftp")
        config = write_site(tmp_path / "site", remote)
        full = deploy(config, remote)
        assert full.returncode == 1 and "kuota hosting penuh" in full.stderr and "Traceback" not in full.stderr
        assert remote.live() and len(remote.live()) < len(built(config, remote))  # some files went, then the quota
        _complete_or_absent(remote.live(), built(config, remote))


def test_wrong_s3_secret_is_refused_by_the_server(s3_server, tmp_path: Path) -> None:
    remote = _s3(s3_server)
    config = write_site(tmp_path, remote)
    wrong = deploy(config, Remote(remote.yaml, remote.env | {"T_SECRET": "bukan-rahasia-yang-benar"}, remote.live))
    assert wrong.returncode == 1 and "ditolak" in wrong.stderr and remote.live() == {}


def test_s3_stores_each_page_gzip_encoded_under_its_own_name_and_drops_old_twins(s3_server, tmp_path: Path) -> None:
    plain = _s3(s3_server)
    plain = Remote(plain.yaml + "      gzip: false\n", plain.env, plain.live)  # as older kimsite stored it
    config = write_site(tmp_path, plain)
    assert deploy(config, plain).returncode == 0
    client, output = s3_client(s3_server), tmp_path / "output"
    twins = [rel for rel in plain.live() if rel.endswith((".gz", ".br"))]
    assert len(twins) > 0.25 * len(plain.live())  # more than the delete cap's share
    assert "ContentEncoding" not in client.get_object(Bucket=s3_server.bucket, Key="kim/kim-a/index.html")

    remote = _s3(s3_server)  # the default: gzip stored
    config.write_text(config.read_text().replace("      gzip: false\n", ""))
    switched = deploy(config, remote)  # without --force: twins of pages that stay are not counted
    assert switched.returncode == 0, switched.stderr
    assert f"{len(twins)} dihapus/deleted" in switched.stdout
    assert remote.live() == built(config, remote)
    page = client.get_object(Bucket=s3_server.bucket, Key="kim/kim-a/index.html")
    assert page["ContentEncoding"] == "gzip" and page["ContentType"] == "text/html; charset=utf-8"
    assert page["Body"].read() == (output / "kim-a" / "index.html.gz").read_bytes()
    small = next(rel for rel in remote.live() if not (output / f"{rel}.gz").exists())  # under 1 KB: no twin
    assert "ContentEncoding" not in client.get_object(Bucket=s3_server.bucket, Key=f"kim/{small}")
    assert "0 baru/new, 0 berubah/changed" in deploy(config, remote).stdout


def _pending(folder: Path) -> list[str]:
    return record.read_all(lambda rel: (folder / rel).read_bytes() if (folder / rel).is_file() else None)[1]


def test_a_killed_deploy_leaves_no_broken_page_and_the_next_run_converges(sshd_server, tmp_path: Path) -> None:
    remote = _ssh(sshd_server, "sftp")
    config = write_site(tmp_path, remote)
    manifest = sshd_server.remote_root / "site"
    proc = subprocess.Popen([sys.executable, "-m", "kimsite", "deploy", "--config", str(config)],
                            cwd=ROOT, env=os.environ | remote.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (_pending(manifest) and len(remote.live()) > 20):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    build = built(config, remote)
    assert _pending(manifest) and len(remote.live()) < len(build)  # killed half-way
    _complete_or_absent(remote.live(), build)
    rerun = deploy(config, remote)
    assert rerun.returncode == 0, rerun.stderr
    assert remote.live() == build and _pending(manifest) == []


def test_nginx_serves_the_deployed_pages_and_their_gzip_twins(sshd_server, nginx_server, tmp_path: Path) -> None:
    remote = _ssh(sshd_server, "rsync")
    config = write_site(tmp_path, remote)
    assert deploy(config, remote).returncode == 0
    web = nginx_server(sshd_server.remote_root / "site")
    page = "kim-a/2025/01/berita-1/"
    with urllib.request.urlopen(web.base_url + page) as response:
        html = response.read()
    assert b"Berita 1" in html and response.headers["Content-Type"].startswith("text/html")
    request = urllib.request.Request(web.base_url + page, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        body = response.read()
    assert response.headers["Content-Encoding"] == "gzip"
    assert body == (sshd_server.remote_root / "site" / page / "index.html.gz").read_bytes()
    assert gzip.decompress(body) == html


LOCK_KINDS = ("ftp", "vsftpd-ftps", "sftp", "s3")


def _lock_paths(request: pytest.FixtureRequest, kind: str) -> tuple[Callable[[str, bytes], None], Callable[[], None]]:
    """(plant a file under the target's `.kimsite/lock` record, make the lock folder empty) on the real server."""
    if kind == "s3":
        server = request.getfixturevalue("s3_server")

        def plant_s3(name: str, data: bytes) -> None:
            s3_client(server).put_object(Bucket=server.bucket, Key="kim/.kimsite/lock", Body=data)
        return plant_s3, lambda: None
    root = {"ftp": lambda: request.getfixturevalue("ftp_server").root / "site",
            "vsftpd-ftps": lambda: request.getfixturevalue("strict_ftps_server").local_dir,
            "sftp": lambda: request.getfixturevalue("sshd_server").remote_root / "site"}[kind]()
    lock = root / ".kimsite" / "lock"
    owner = root.stat()  # as the server's own user left it (vsftpd's anonymous user is not root)

    def empty() -> None:
        lock.mkdir(parents=True, exist_ok=True)
        os.chown(lock, owner.st_uid, owner.st_gid)
        for old in lock.iterdir():
            old.unlink()

    def plant(name: str, data: bytes) -> None:
        empty()
        (lock / name).write_bytes(data)
        os.chown(lock / name, owner.st_uid, owner.st_gid)
    return plant, empty


@pytest.mark.parametrize("kind", LOCK_KINDS)
def test_a_lock_left_half_made_is_taken_over_and_a_live_one_names_its_owner(
        kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    import json
    from datetime import UTC, datetime

    remote = KINDS[kind](request)
    config = write_site(tmp_path, remote)
    assert deploy(config, remote).returncode == 0
    plant, empty = _lock_paths(request, kind)
    states = [(".owner.json.kimsite-part", b'{"host": "x"'), ("owner.json", b"\x00garbage")]
    for name, data in states:  # a deploy killed while taking the lock, an unreadable owner
        plant(name, data)
        result = deploy(config, remote)
        assert result.returncode == 0, (name, result.stderr)
        assert remote.live() == built(config, remote)
    if kind != "s3":  # an empty lock folder (killed between mkdir and the owner file)
        empty()
        assert deploy(config, remote).returncode == 0
    since = datetime.now(UTC).isoformat(timespec="seconds")  # a live lock of another machine
    other = {"host": "mesin-lain", "pid": 1, "token": "t", "since": since}
    plant("owner.json" if kind != "s3" else "lock.json", json.dumps(other).encode())
    held = deploy(config, remote)
    assert held.returncode == 1 and "mesin-lain" in held.stderr and since in held.stderr
    assert "deploy.lock_minutes" in held.stderr and "Traceback" not in held.stderr


@pytest.mark.parametrize("kind", ("ftp", "sftp", "s3"))
def test_deploys_killed_at_random_points_always_converge(kind: str, request: pytest.FixtureRequest,
                                                          tmp_path: Path) -> None:
    """SIGKILL at a random moment (taking the lock, uploading, writing the record, releasing the
    lock), then a rerun: it must succeed and the target must hold the build exactly. CI runs a
    few kills per server; KIMSITE_KILL_RUNS=50 is the long form (README, "Deploy")."""
    import random

    remote = KINDS[kind](request)
    config = write_site(tmp_path, remote)
    started = time.monotonic()
    assert deploy(config, remote).returncode == 0
    span = max(time.monotonic() - started, 0.5)  # one whole deploy: kills fall anywhere inside it
    chance = random.Random(f"kill-{kind}")
    post = tmp_path / "content" / "kim-a" / "posts" / "2025-01-10-berita-1.md"
    for run in range(int(os.environ.get("KIMSITE_KILL_RUNS", "3"))):
        post.write_text(post.read_text() + f"\nTambahan {run}.\n")
        assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
        proc = subprocess.Popen([sys.executable, "-m", "kimsite", "deploy", "--config", str(config)],
                                cwd=ROOT, env=os.environ | remote.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.2, 0.2 + span))  # the interpreter takes ~0.2 s to start
        proc.kill()
        proc.wait()
        rerun = deploy(config, remote)
        assert rerun.returncode == 0, (run, rerun.stderr)
        assert remote.live() == built(config, remote), run
        counts = [tuple(map(int, m)) for m in re.findall(r"^\s+(\d+)/(\d+) ", rerun.stderr, re.M)]
        assert all(done <= total for done, total in counts), counts  # the counter never passes its total


def test_no_private_key_is_left_on_disk_after_sigkill_or_sigterm(sshd_server, tmp_path: Path) -> None:
    remote = _ssh(sshd_server, "sftp")  # the key itself in the variable: kimsite writes it to a temp file
    config = write_site(tmp_path, remote)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = os.environ | remote.env | {"TMPDIR": str(temp)}

    def started() -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-m", "kimsite", "deploy", "--config", str(config)], cwd=ROOT,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list(temp.glob("kimsite-key-*/key")):
            time.sleep(0.01)
        assert list(temp.glob("kimsite-key-*/key")), "the deploy never wrote its key"
        return proc

    killed = started()
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert list(temp.glob("kimsite-key-*"))  # SIGKILL: no chance to clean up
    stopped = started()
    stopped.send_signal(signal.SIGTERM)
    stopped.wait(timeout=60)
    assert not list(temp.glob(f"kimsite-key-{stopped.pid}-*"))  # SIGTERM: its own key is gone
    rerun = subprocess.run([sys.executable, "-m", "kimsite", "deploy", "--config", str(config)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert not list(temp.glob("kimsite-key-*"))  # the rerun removed the killed deploy's leftover, and its own


class _DiesAfterUploads:
    """A real connection to the real server that loses the link for good once `left[0]` files
    were uploaded (shared by every parallel connection), after waiting past the second in
    which the deploy wrote its record: what a deploy killed half-way through leaves."""

    def __init__(self, inner, left: list[int]):
        self.inner, self.left = inner, left

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def upload(self, rel: str, source: Path) -> None:
        from kimsite.deploy.base import DeployFailure, Kind
        from kimsite.errors import Text

        if self.left[0] <= 0:
            raise DeployFailure(Kind.REFUSED, Text("mati", "died"))
        if self.left[0] == self.left[1]:
            time.sleep(1.1)
        self.left[0] -= 1
        self.inner.upload(rel, source)


@pytest.mark.parametrize("kind", ("ftp", "sftp", "s3"))
def test_a_rerun_after_an_interrupted_first_deploy_sends_only_what_is_missing(
        kind: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kimsite import deploy as deploying
    from kimsite.deploy import engine
    from kimsite.read.config import load_config

    remote = KINDS[kind](request)
    config_path = write_site(tmp_path, remote)
    config = load_config(config_path)
    target = config.deploy.targets[0]
    monkeypatch.setattr(os, "environ", os.environ | remote.env)
    connect = engine.connector(target)
    left = [40, 40]
    monkeypatch.setattr(engine, "connector", lambda t: lambda t2: _DiesAfterUploads(connect(t2), left))
    with pytest.raises(deploying.DeployFailure):
        deploying.run(config, config.output_dir, target, deploying.RunOptions())
    monkeypatch.undo()
    sent_before = len(remote.live())
    assert sent_before >= 40
    rerun = deploy(config_path, remote)
    assert rerun.returncode == 0, rerun.stderr
    total = len(built(config_path, remote))
    resumed = int(re.search(r"(\d+) berkas dari deploy yang terputus", rerun.stdout).group(1))
    new = int(re.search(r"(\d+) baru/new", rerun.stdout).group(1))
    assert resumed >= 40 and new + resumed == total, rerun.stdout  # nothing already there is sent again
    assert remote.live() == built(config_path, remote)
