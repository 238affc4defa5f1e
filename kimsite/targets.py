"""Where built sites are published: the typed deploy targets of `sites.yaml` (validated by
`deployconf`, used by `deploy/`); and where writers' posts are committed: the git host of the
writing pages (`cms:`, validated by `cmsconf`). No I/O here."""

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
    gzip: bool = True  # S3: a page is stored gzip-encoded under its own name, without twins

    @property
    def stores_gzip(self) -> bool:
        """The target keeps each page as its gzip twin's bytes, not the twins (deploy.plan.stored_gzip):
        S3 serves one object per key and cannot pick a twin per request as nginx does."""
        return self.type == "s3" and self.gzip


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


DECAP_VERSION = "3.16.3"  # the CMS of the writing pages (`<kim>/admin/`); pinned, as in .cms/package.json
ADMIN_DIR = "admin"  # a KIM site's writing page: never in sitemaps, feeds, search or the byte budgets
CMS_BUNDLE_DIR = f"tema/cms/decap-cms-{DECAP_VERSION}"  # where the hub serves the CMS script from


@dataclass(frozen=True)
class CmsOptions:
    """The writing pages (`cms:` in sites.yaml): which git host the CMS commits to, and how."""

    backend: str  # github | gitlab | gitea | forgejo
    repo: str  # owner/name
    branch: str = "main"
    base_url: str | None = None  # GitHub: the OAuth proxy; GitLab, Gitea, Forgejo: the host
    api_root: str | None = None  # a self-hosted GitLab/Gitea/Forgejo's API
    app_id: str | None = None  # the OAuth application's client id (GitLab PKCE, Gitea, Forgejo)
    editorial_workflow: bool = False  # a writer's post becomes a pull/merge request
    script_url: str | None = None  # the CMS script from a CDN; None: from the regency's own host
    bundle: Path | None = None  # the npm install's dist folder the hub copies (None: not installed)
    npm_folder: Path | None = None  # where `npm ci` installs it (the build names it when it is missing)
    local_backend: str | None = None  # decap-server's API address, used only on localhost (tests, previews)
