"""SFTP (paramiko) and rsync over SSH, for a VPS.

The server's host key must be in the target's `known_hosts`: an unknown or changed
key is refused, never accepted on first use. The private key comes from the variable
named by `key_env`: either a path to the key file, or (as CI secret stores hold it)
the key itself, which then lives in a 0600 temporary file for the deploy only.

rsync sends every new or changed file in one run with `--checksum` (never mtimes)
and `--delay-updates` (all files land in a hidden folder, then are renamed into
place together); the engine's state (manifest, lock, deletions) goes over SFTP.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

import paramiko

from kimsite.deploy.base import (
    DeployFailure,
    Kind,
    RemoteFile,
    auth_failure,
    dropped,
    part_name,
    quota,
    refused,
    require_env,
    secret,
    unreachable,
)
from kimsite.errors import Text
from kimsite.targets import DeployTarget

TIMEOUT = 30
LOCK_DIR = ".kimsite/lock"
LINK_ERRORS = (EOFError, ConnectionError, TimeoutError, socket.timeout, paramiko.SSHException)
RSYNC_LINK_EXITS = {10, 11, 12, 30, 35, 255}  # socket, file I/O, protocol stream, timeouts, ssh lost


KEY_PREFIX = "kimsite-key-"
# paramiko logs a dropped link ("Socket exception") on its own; kimsite reports it in its words
logging.getLogger("paramiko").setLevel(logging.CRITICAL)


def remove_leftover_keys() -> None:
    """Key folders of deploys that were killed (SIGKILL leaves no chance to clean up): each is
    named after its process, and a folder whose process is gone is removed."""
    for folder in Path(tempfile.gettempdir()).glob(f"{KEY_PREFIX}*-*"):
        pid = folder.name.removeprefix(KEY_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            continue  # another user's live process


def _key_file(target: DeployTarget, value: str, keep: list[tempfile.TemporaryDirectory]) -> str:
    if not value.lstrip().startswith("-----BEGIN"):
        return value
    remove_leftover_keys()
    # a private folder (0700) named after this process; removed on close, at exit and on SIGTERM
    # (cli.deploy), and by the next deploy after a SIGKILL
    folder = tempfile.TemporaryDirectory(prefix=f"{KEY_PREFIX}{os.getpid()}-")
    keep.append(folder)
    path = Path(folder.name) / "key"
    path.touch(mode=0o600)
    path.write_text(value.strip() + "\n")
    return str(path)


def _host_key_failure(target: DeployTarget) -> DeployFailure:
    return DeployFailure(
        Kind.CONFIG,
        Text(f"target '{target.name}': kunci host {target.host} tidak dikenal atau berubah",
             f"target '{target.name}': the host key of {target.host} is unknown or has changed"),
        Text(f"pastikan {target.known_hosts} berisi kunci host server (ssh-keyscan, lalu cek sidik jarinya)",
             f"make sure {target.known_hosts} holds the server's host key (ssh-keyscan, then check its fingerprint)"))


class SftpConnection:
    def __init__(self, target: DeployTarget, client: paramiko.SSHClient, key: str | None,
                 keep: list[tempfile.TemporaryDirectory]):
        self.target, self.client, self.key, self._keep = target, client, key, keep
        self.sftp = client.open_sftp()
        home = self.sftp.normalize(".")
        self.base = target.path if target.path.startswith("/") else str(PurePosixPath(home) / target.path)
        self.made: set[str] = set()

    def _abs(self, rel: str) -> str:
        return str(PurePosixPath(self.base) / rel)

    def _mkdirs(self, folder: PurePosixPath) -> None:
        for parent in [*reversed(folder.parents), folder]:
            if str(parent) in self.made or str(parent) == "/":
                continue
            with contextlib.suppress(OSError):  # it exists, or is refused: the upload will say
                self.sftp.mkdir(str(parent))
            self.made.add(str(parent))

    def read(self, rel: str) -> bytes | None:
        try:
            with self.sftp.open(self._abs(rel), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None
        except LINK_ERRORS as err:
            raise dropped(self.target, rel) from err

    def _place(self, rel: str, send) -> None:
        final, part = self._abs(rel), self._abs(part_name(rel))
        try:
            self._mkdirs(PurePosixPath(final).parent)
            send(part)
            self.sftp.posix_rename(part, final)  # replaces atomically (OpenSSH extension)
        except PermissionError as err:
            raise refused(self.target, rel) from err
        except LINK_ERRORS as err:
            raise dropped(self.target, rel) from err
        except OSError as err:  # SFTP v3 reports a full disk as a bare "Failure"
            raise (quota(self.target, rel) if err.errno in (None, errno.ENOSPC) else refused(self.target, rel)) \
                from err

    def write(self, rel: str, data: bytes) -> None:
        self._place(rel, lambda part: self.sftp.putfo(_Bytes(data), part, confirm=True))

    def upload(self, rel: str, local: Path) -> None:
        self._place(rel, lambda part: self.sftp.put(str(local), part, confirm=True))

    def delete(self, rel: str) -> None:
        try:
            self.sftp.remove(self._abs(rel))
        except FileNotFoundError:
            return
        except LINK_ERRORS as err:
            raise dropped(self.target, rel) from err
        for parent in PurePosixPath(rel).parents:
            if str(parent) == ".":
                break
            try:
                self.sftp.rmdir(self._abs(str(parent)))  # only succeeds when empty
            except OSError:
                break

    def stat(self, rel: str) -> RemoteFile | None:
        try:
            info = self.sftp.stat(self._abs(rel))
        except FileNotFoundError:
            return None
        except LINK_ERRORS as err:
            raise dropped(self.target, rel) from err
        return RemoteFile(int(info.st_size or 0), None if info.st_mtime is None else int(info.st_mtime))

    def lock(self, owner: bytes) -> bool:
        try:
            self._mkdirs(PurePosixPath(self._abs(".kimsite")))
            self.sftp.mkdir(self._abs(LOCK_DIR))
        except LINK_ERRORS as err:
            raise dropped(self.target, LOCK_DIR) from err
        except OSError:
            if self.lock_owner() is None:
                raise refused(self.target, LOCK_DIR) from None
            return False
        self.write(LOCK_DIR + "/owner.json", owner)
        return True

    def lock_owner(self) -> bytes | None:
        owner = self.read(LOCK_DIR + "/owner.json")
        if owner is not None:
            return owner
        try:
            self.sftp.stat(self._abs(LOCK_DIR))
        except FileNotFoundError:
            return None
        return b"{}"

    def unlock(self) -> None:
        """Remove the lock folder and whatever is in it (a half-written owner file of a killed
        deploy included: else rmdir fails and the target stays locked for good)."""
        folder = self._abs(LOCK_DIR)
        try:
            names = self.sftp.listdir(folder)
        except FileNotFoundError:
            return
        except LINK_ERRORS as err:
            raise dropped(self.target, LOCK_DIR) from err
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                self.sftp.remove(f"{folder}/{name}")
        with contextlib.suppress(FileNotFoundError):
            self.sftp.rmdir(folder)

    def close(self) -> None:
        self.client.close()
        for folder in self._keep:
            folder.cleanup()


class _Bytes:
    """A minimal file object over bytes for `putfo`."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.pos + size
        chunk, self.pos = self.data[self.pos:end], min(end, len(self.data))
        return chunk


class RsyncConnection(SftpConnection):
    """State over SFTP; the files themselves in one rsync run."""

    def upload_all(self, rels: list[str], root: Path) -> None:
        if not rels:
            return
        user = secret(self.target.user_env, self.target, sensitive=False)
        ssh = ["ssh", "-p", str(self.target.port or 22), "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
               "-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={self.target.known_hosts}",
               "-o", "GlobalKnownHostsFile=/dev/null", "-o", f"ConnectTimeout={TIMEOUT}", "-i", str(self.key)]
        command = ["rsync", "-rlt", "--checksum", "--delay-updates", "--files-from=-", "--from0",
                   f"--timeout={TIMEOUT * 4}", "-e", shlex.join(ssh), f"{root}/",
                   f"{user}@{self.target.host}:{self.base}/"]
        result = subprocess.run(command, input="\0".join(rels).encode(), capture_output=True, check=False)
        if result.returncode in RSYNC_LINK_EXITS:
            raise dropped(self.target, f"rsync ({len(rels)})")
        if result.returncode != 0:
            detail = result.stderr.decode(errors="replace").strip().splitlines()[-1:]
            raise DeployFailure(Kind.REFUSED,
                                Text(f"rsync gagal (kode {result.returncode}): {' '.join(detail)}",
                                     f"rsync failed (exit {result.returncode}): {' '.join(detail)}"),
                                Text("periksa izin tulis dan ruang disk di server",
                                     "check write permission and disk space on the server"))


def connect(target: DeployTarget) -> SftpConnection:
    require_env(target, target.user_env, target.key_env, target.password_env)
    if target.type == "rsync" and not target.key_env:
        raise DeployFailure(Kind.CONFIG, Text(f"target '{target.name}': rsync butuh key_env",
                                              f"target '{target.name}': rsync needs key_env"))
    keep: list[tempfile.TemporaryDirectory] = []
    key = _key_file(target, secret(target.key_env, target), keep) if target.key_env else None
    if target.known_hosts is None or not target.known_hosts.is_file():
        raise _host_key_failure(target)
    client = paramiko.SSHClient()
    client.load_host_keys(str(target.known_hosts))
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    try:
        password = secret(target.password_env, target) if target.password_env else None
        client.connect(target.host, port=target.port or 22, username=secret(target.user_env, target, sensitive=False),
                       key_filename=key, password=password, timeout=TIMEOUT, banner_timeout=TIMEOUT,
                       auth_timeout=TIMEOUT, look_for_keys=False, allow_agent=False)
    except paramiko.AuthenticationException as err:
        raise auth_failure(target) from err
    except (paramiko.BadHostKeyException, paramiko.SSHException) as err:
        if isinstance(err, paramiko.BadHostKeyException) or "known_hosts" in str(err) or "not found" in str(err):
            raise _host_key_failure(target) from err
        raise unreachable(target, target.port or 22) from err
    except OSError as err:
        raise unreachable(target, target.port or 22) from err
    cls = RsyncConnection if target.type == "rsync" else SftpConnection
    return cls(target, client, key, keep)

