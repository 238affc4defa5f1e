"""The `deploy:` section of sites.yaml → `DeployOptions`, validated with the rest.

Each target type has its own schema (a tagged union on `type`), so a missing host or
an unknown key is reported with its line like any other config problem. Credentials
never appear here: a target names the environment variables that hold them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from kimsite.errors import Text
from kimsite.read.schema import Strict
from kimsite.targets import DeployOptions, DeployTarget

ENV = r"^[A-Za-z_][A-Za-z0-9_]*$"
NAME = r"^[a-z0-9]+([-_][a-z0-9]+)*$"


class TargetBase(Strict):
    name: str = Field(pattern=NAME, description="Name used on the command line: kimsite deploy NAME")
    source: str = Field("regency", description="regency (hub + KIMs on subpaths), all, or one KIM's slug")


class LocalTarget(TargetBase):
    type: Literal["local"]
    path: str = Field(description="Folder to publish into (relative to sites.yaml)")


class FtpTarget(TargetBase):
    type: Literal["ftp", "ftps"]
    host: str
    port: int | None = Field(None, ge=1, le=65535)
    path: str = Field("", description="Folder on the server, e.g. public_html/kim")
    user_env: str = Field(pattern=ENV)
    password_env: str = Field(pattern=ENV)
    ca_file: str | None = Field(None, description="CA bundle for a private FTPS certificate")


class SshTarget(TargetBase):
    type: Literal["sftp", "rsync"]
    host: str
    port: int | None = Field(None, ge=1, le=65535)
    path: str = Field(description="Folder on the server, e.g. /var/www/kim")
    user_env: str = Field(pattern=ENV)
    key_env: str | None = Field(None, pattern=ENV, description="Variable holding the private key's path")
    password_env: str | None = Field(None, pattern=ENV)
    known_hosts: str = Field(description="known_hosts file with the server's host key")


class S3Target(TargetBase):
    type: Literal["s3"]
    endpoint: str = Field(pattern=r"^https?://", description="S3 API address")
    bucket: str
    path: str = Field("", description="Key prefix inside the bucket")
    region: str = "us-east-1"
    access_key_env: str = Field(pattern=ENV)
    secret_key_env: str = Field(pattern=ENV)
    ca_file: str | None = None
    gzip: bool = Field(True, description="Store each page as its .gz twin, sent with Content-Encoding: gzip")


Target = Annotated[LocalTarget | FtpTarget | SshTarget | S3Target, Field(discriminator="type")]


class DeploySchema(Strict):
    targets: list[Target] = Field(default_factory=list)
    max_deletes: int = Field(200, ge=0, description="Refuse to delete more files than this without --force")
    max_delete_share: float = Field(0.25, ge=0, le=1, description="... or more than this share of the files")
    retries: int = Field(3, ge=0, le=10, description="Retries of one file after a dropped connection")
    lock_minutes: int = Field(60, ge=1, description="A lock older than this is taken over")
    connections: int = Field(3, ge=1, le=16, description="Files sent at once (separate connections)")


def _path(root: Path, value: str | None) -> Path | None:
    return (root / value) if value else None


def deploy_options(schema: DeploySchema, root: Path) -> DeployOptions:
    targets = []
    for t in schema.targets:
        fields = t.model_dump(exclude={"known_hosts", "ca_file"})
        if isinstance(t, LocalTarget):
            fields["path"] = str(root / t.path)
        targets.append(DeployTarget(**fields, known_hosts=_path(root, getattr(t, "known_hosts", None)),
                                    ca_file=_path(root, getattr(t, "ca_file", None))))
    return DeployOptions(tuple(targets), schema.max_deletes, schema.max_delete_share, schema.retries,
                         schema.lock_minutes, schema.connections)


def check_targets(schema: DeploySchema, kim_slugs: set[str]) -> list[tuple[tuple, Text, Text]]:
    """(location, message, hint) for targets that are valid alone but not together."""
    found = []
    seen: set[str] = set()
    for pos, t in enumerate(schema.targets):
        if t.name in seen:
            found.append((("deploy", "targets", pos, "name"),
                          Text(f"nama target '{t.name}' dipakai dua kali", f"target name '{t.name}' is used twice"),
                          Text("beri setiap target nama sendiri", "give each target its own name")))
        seen.add(t.name)
        if t.source not in {"regency", "all"} | kim_slugs:
            found.append((("deploy", "targets", pos, "source"),
                          Text(f"sumber '{t.source}' tidak dikenal", f"unknown source '{t.source}'"),
                          Text("pakai regency, all, atau slug KIM dari daftar kims",
                               "use regency, all, or a KIM slug from the kims list")))
    return found

