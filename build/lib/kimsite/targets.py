"""Where built sites are published: the typed deploy targets of `sites.yaml` (validated by
`deployconf`, used by `deploy/`). No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DeployTarget:
    """Where a built site is uploaded (README, "Deploy"). Secrets are named, never held:
    the `*_env` fields hold the names of environment variables."""

    name: str
    type: str  # local | ftp | ftps | sftp | rsync | s3
    source: str = "regency"  # regency | all | <kim slug>
    path: str = ""  # remote folder, S3 key prefix, or local folder
    host: str = ""
    port: int | None = None
    user_env: str | None = None
    password_env: str | None = None
    key_env: str | None = None  # SSH: variable holding the path of the private key
    known_hosts: Path | None = None
    ca_file: Path | None = None  # FTPS/S3 over HTTPS with a private CA
    endpoint: str | None = None  # S3
    bucket: str | None = None
    region: str = "us-east-1"
    access_key_env: str | None = None
    secret_key_env: str | None = None


@dataclass(frozen=True)
class DeployOptions:
    targets: tuple[DeployTarget, ...] = ()
    max_deletes: int = 200
    max_delete_share: float = 0.25
    retries: int = 3
    lock_minutes: int = 60
    connections: int = 3

    def target(self, name: str) -> DeployTarget | None:
        return next((t for t in self.targets if t.name == name), None)
