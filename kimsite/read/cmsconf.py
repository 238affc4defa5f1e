"""The `cms:` section of sites.yaml → `CmsOptions`: the writing page every KIM gets at
`<kim>/admin/` (Decap CMS, docs/panduan-admin-cms.md). No secret is ever configured here:
the git host's OAuth application holds them, the page only names its public client id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from kimsite.errors import Problem, Severity, Text, display_path
from kimsite.models import DECAP_VERSION, CmsOptions
from kimsite.read.schema import Strict

URL = r"^https?://[^\s/]+(/[^\s]*)?$"
NPM_DIST = Path("node_modules") / "decap-cms" / "dist"


class CmsSchema(Strict):
    backend: Literal["github", "gitlab", "gitea", "forgejo"] = Field(
        description="The git host the writing pages commit to")
    repo: str = Field(pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$", description="The repository, owner/name")
    branch: str = Field("main", pattern=r"^[^\s]+$", description="The branch CI builds and deploys")
    base_url: str | None = Field(None, pattern=URL, description="GitHub: the OAuth proxy; GitLab/Gitea/Forgejo: "
                                 "the host, e.g. https://gitlab.com or https://git.kulonprogokab.go.id")
    api_root: str | None = Field(None, pattern=URL, description="A self-hosted host's API, e.g. "
                                 "https://git.example.id/api/v1 (Gitea/Forgejo)")
    app_id: str | None = Field(None, pattern=r"^[^\s]+$", description="Client id of the OAuth application "
                               "(GitLab PKCE, Gitea, Forgejo); public, never a secret")
    editorial_workflow: bool = Field(False, description="A writer's post becomes a pull/merge request to approve")
    script_url: str | None = Field(None, pattern=URL, description="Load the CMS script from this CDN address "
                                   "instead of the regency's own host")
    npm_folder: str = Field(".cms", description="Folder of the npm install the build copies the script from")
    local_backend: str | None = Field(None, pattern=URL, description="decap-server's API address "
                                      "(http://127.0.0.1:8081/api/v1), used only when the page is opened on "
                                      "localhost: previews and tests")

    @model_validator(mode="after")
    def _host_keys(self) -> CmsSchema:
        needed = {"gitlab": ("app_id",), "gitea": ("base_url", "app_id"), "forgejo": ("base_url", "app_id")}
        missing = [key for key in needed.get(self.backend, ()) if getattr(self, key) is None]
        if missing:
            raise ValueError(f"backend {self.backend} perlu / needs: {', '.join(missing)} "
                             "(docs/panduan-admin-cms.md)")
        return self


HINTS = {
    "backend": Text("pilih github, gitlab, gitea atau forgejo", "choose github, gitlab, gitea or forgejo"),
    "repo": Text("tulis repositori seperti 'diskominfo-kulonprogo/kim'", "write the repository like 'owner/name'"),
    "cms": Text("gitlab perlu app_id; gitea dan forgejo perlu base_url dan app_id (Client ID aplikasi OAuth)",
                "gitlab needs app_id; gitea and forgejo need base_url and app_id (the OAuth application's client id)"),
}


def installed_bundle(folder: Path) -> Path | None:
    """The dist folder of the pinned decap-cms under an npm install, or None when absent or
    of another version (then the build says how to install it)."""
    dist = folder / NPM_DIST
    try:
        version = json.loads((dist.parent / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None
    return dist if version == DECAP_VERSION and (dist / "decap-cms.js").is_file() else None


def cms_options(schema: CmsSchema | None, root: Path) -> CmsOptions | None:
    if schema is None:
        return None
    bundle = None if schema.script_url else installed_bundle(root / schema.npm_folder)
    return CmsOptions(
        backend=schema.backend, repo=schema.repo, branch=schema.branch, base_url=schema.base_url,
        api_root=schema.api_root, app_id=schema.app_id, editorial_workflow=schema.editorial_workflow,
        script_url=schema.script_url, bundle=bundle, npm_folder=root / schema.npm_folder,
        local_backend=schema.local_backend)


def missing_script(config_path: Path, cms: CmsOptions | None) -> list[Problem]:
    """A warning when the writing pages would load a CMS script the build cannot copy."""
    if cms is None or cms.script_url or cms.bundle is not None:
        return []
    folder = display_path(cms.npm_folder) if cms.npm_folder else ".cms"
    return [Problem(
        display_path(config_path),
        Text(f"skrip Decap CMS {DECAP_VERSION} belum terpasang di {folder}: halaman admin/ dibuat, tetapi belum "
             "dapat dipakai", f"Decap CMS {DECAP_VERSION} is not installed in {folder}: the admin/ pages are "
             "written but do not work yet"),
        Text(f"jalankan 'make cms' (atau: npm install --prefix {folder} decap-cms@{DECAP_VERSION}), atau isi "
             "cms.script_url dengan alamat CDN", f"run 'make cms' (or: npm install --prefix {folder} "
             f"decap-cms@{DECAP_VERSION}), or set cms.script_url to a CDN address"),
        key="cms", severity=Severity.WARNING)]
