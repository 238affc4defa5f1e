"""What every deploy target offers the engine, and the failures it may raise.

A connection writes a file under a temporary name in the same folder and renames it
into place, so a reader never sees half a file. Failures carry an Indonesian-first
message composed by kimsite: a library's own error text can hold a user name or a
server banner, never a secret, but we still never pass it through unread.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Protocol

from kimsite.errors import Text
from kimsite.targets import DeployTarget


class Kind(StrEnum):
    AUTH = "auth"  # wrong user, password or key: retrying cannot help
    UNREACHABLE = "unreachable"  # host down or wrong address: retried
    DROPPED = "dropped"  # connection lost mid-transfer: reconnect and retry
    QUOTA = "quota"  # disk or quota full
    REFUSED = "refused"  # the server refuses writes (permissions)
    CONFIG = "config"  # a missing environment variable, a missing key file
    LOCKED = "locked"  # another deploy holds the target


RETRYABLE = {Kind.UNREACHABLE, Kind.DROPPED}


class DeployFailure(Exception):
    def __init__(self, kind: Kind, text: Text, hint: Text | None = None):
        super().__init__(text.render())
        self.kind, self.text, self.hint = kind, text, hint

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE


def part_name(rel: str) -> str:
    """The temporary name a file is uploaded under, beside its final place."""
    path = PurePosixPath(rel)
    return str(path.with_name(f".{path.name}.kimsite-part"))


def remote_path(base: str, rel: str) -> str:
    return str(PurePosixPath(base or ".") / rel) if base else rel


_READ: set[str] = set()  # secret values read so far: scrubbed from any crash report


def redact(text: str) -> str:
    for value in sorted(_READ, key=len, reverse=True):
        text = text.replace(value, "***")
    return text


def secret(name: str | None, target: DeployTarget, *, sensitive: bool = True) -> str:
    """The value of an environment variable a target names; a clear error if unset.
    Sensitive values (passwords, keys) are remembered so a crash report can scrub them."""
    require_env(target, name)
    value = os.environ[name or ""]
    if sensitive:
        _READ.add(value)
    return value


def require_env(target: DeployTarget, *names: str | None) -> None:
    """Every variable the target names must be set: all missing ones are named at once."""
    missing = [n for n in names if n and not os.environ.get(n)]
    if missing:
        listed = ", ".join(missing)
        raise DeployFailure(
            Kind.CONFIG,
            Text(f"target '{target.name}': variabel lingkungan {listed} belum diisi",
                 f"target '{target.name}': environment variable(s) {listed} not set"),
            Text(f"isi {listed} di secret CI atau di shell sebelum deploy; jangan tulis ke sites.yaml",
                 f"set {listed} in the CI's secret store or the shell before deploying; never in sites.yaml"))


def auth_failure(target: DeployTarget) -> DeployFailure:
    return DeployFailure(
        Kind.AUTH,
        Text(f"target '{target.name}': login ke {target.host or target.endpoint} ditolak",
             f"target '{target.name}': login to {target.host or target.endpoint} was refused"),
        Text("periksa nama pengguna dan kata sandi/kunci di variabel lingkungan target ini",
             "check the user name and password/key in this target's environment variables"))


def unreachable(target: DeployTarget, port: int | None) -> DeployFailure:
    where = f"{target.host or target.endpoint}{':' + str(port) if port else ''}"
    return DeployFailure(
        Kind.UNREACHABLE,
        Text(f"target '{target.name}': server {where} tidak bisa dihubungi",
             f"target '{target.name}': cannot reach the server {where}"),
        Text("periksa alamat dan port di sites.yaml, dan koneksi internet",
             "check the host and port in sites.yaml and the internet connection"))


def dropped(target: DeployTarget, rel: str) -> DeployFailure:
    return DeployFailure(Kind.DROPPED, Text(f"koneksi terputus saat mengirim {rel}",
                                            f"the connection dropped while sending {rel}"))


def quota(target: DeployTarget, rel: str) -> DeployFailure:
    return DeployFailure(
        Kind.QUOTA,
        Text(f"target '{target.name}': ruang/kuota hosting penuh saat menulis {rel}",
             f"target '{target.name}': the hosting space or quota is full while writing {rel}"),
        Text("kosongkan ruang di hosting atau minta tambahan kuota; situs lama tetap tayang",
             "free space on the hosting or ask for more quota; the live site is unchanged"))


def refused(target: DeployTarget, rel: str) -> DeployFailure:
    return DeployFailure(
        Kind.REFUSED,
        Text(f"target '{target.name}': server menolak menulis {rel}",
             f"target '{target.name}': the server refuses to write {rel}"),
        Text("periksa izin tulis folder tujuan untuk pengguna ini",
             "check that this user may write to the target folder"))


@dataclass(frozen=True)
class RemoteFile:
    """What a target says about one file: its size, its modification time in whole seconds by
    the server's clock, and a content MD5 where the protocol gives one (S3's ETag)."""

    size: int
    mtime: int | None
    md5: str | None = None


class Connection(Protocol):
    """One open session with a target; every path is relative to the target's root."""

    def read(self, rel: str) -> bytes | None: ...

    def write(self, rel: str, data: bytes) -> None: ...

    def upload(self, rel: str, local: Path) -> None: ...

    def delete(self, rel: str) -> None: ...

    def stat(self, rel: str) -> RemoteFile | None:
        """The file at `rel` as the target sees it; None when there is none."""
        ...

    def lock(self, owner: bytes) -> bool:
        """Take the lock atomically; False if it is already held."""
        ...

    def lock_owner(self) -> bytes | None: ...

    def unlock(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Source:
    """What a target publishes: a folder of the output, minus folders other targets own."""

    root: Path
    skip_dirs: frozenset[str] = frozenset()
    cache: Path | None = None  # where this machine keeps copies of the targets' record files (journal.Store)
    bodies: Mapping[str, str] = field(default_factory=dict)  # path → the build's file sent as it (plan.stored_gzip)

    def file(self, rel: str) -> Path:
        """The build's file whose bytes go to `rel` on the target."""
        return self.root / self.bodies.get(rel, rel)
