"""Who reviews which KIM's folder: the CODEOWNERS file made from `kims[].editors` (GitHub and
GitLab read the same file at the top of the repository), and the check that one change (a
writer's pull/merge request) keeps to one KIM's folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from kimsite.errors import Problem, Severity, Text, display_path
from kimsite.models import SiteConfig

CODEOWNERS = "CODEOWNERS"  # at the top of the repository: GitHub and GitLab both look there
HEADER = ("# Dibuat oleh kimsite dari kims[].editors di sites.yaml: ubah sites.yaml, lalu jalankan\n"
          "# `kimsite codeowners`. Made by kimsite from kims[].editors in sites.yaml: edit sites.yaml, then run it.\n")


def render_codeowners(config: SiteConfig) -> str:
    """One line per KIM with editors: its content folder and who must approve changes to it."""
    content = config.content_dir.relative_to(config.root).as_posix()
    lines = [f"/{content}/{kim.slug}/ {' '.join(kim.editors)}\n" for kim in config.kims if kim.editors]
    return HEADER + "".join(lines)


def write_codeowners(config: SiteConfig) -> Path:
    path = config.root / CODEOWNERS
    path.write_text(render_codeowners(config), encoding="utf-8")
    return path


def stale_codeowners(config: SiteConfig) -> list[Problem]:
    """A warning when the editors in sites.yaml and the CODEOWNERS file disagree."""
    path = config.root / CODEOWNERS
    wanted = render_codeowners(config)
    if not any(k.editors for k in config.kims):  # a CODEOWNERS of the regency's own is left alone
        return []
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        current = ""
    if current == wanted:
        return []
    return [Problem(display_path(path), Text("CODEOWNERS tidak sama dengan kims[].editors di sites.yaml",
                                             "CODEOWNERS does not match kims[].editors in sites.yaml"),
                    Text("jalankan 'kimsite codeowners' lalu simpan (commit) berkasnya",
                         "run 'kimsite codeowners' and commit the file"), key="editors", severity=Severity.WARNING)]


def kims_touched(config: SiteConfig, paths: list[str]) -> dict[str, list[str]]:
    """The changed files (relative to the folder of sites.yaml) by the KIM whose folder holds them."""
    content = PurePosixPath(config.content_dir.relative_to(config.root).as_posix())
    slugs = {k.slug for k in config.kims}
    touched: dict[str, list[str]] = {}
    for path in paths:
        parts = PurePosixPath(path.strip().removeprefix("./")).parts
        depth = len(content.parts)
        if len(parts) > depth and PurePosixPath(*parts[:depth]) == content and parts[depth] in slugs:
            touched.setdefault(parts[depth], []).append(path.strip())
    return touched


def foreign_changes(config: SiteConfig, paths: list[str], listed_in: str) -> list[Problem]:
    """A warning when one change touches the folders of more than one KIM: each KIM's editors
    review their own folder, so a writer's change should keep to one."""
    touched = kims_touched(config, paths)
    if len(touched) < 2:
        return []
    kims = ", ".join(sorted(touched))
    return [Problem(listed_in, Text(f"satu perubahan menyentuh folder {len(touched)} KIM: {kims} "
                                    f"(misalnya {touched[slug][0]})",
                                    f"one change touches the folders of {len(touched)} KIMs: {kims} "
                                    f"(e.g. {touched[slug][0]})"),
                    Text("pisahkan menjadi satu perubahan (pull/merge request) per KIM, agar editor KIM itu yang "
                         "meninjaunya", "split it into one change (pull/merge request) per KIM, so that KIM's "
                         "editors review it"), key="changed-files", site=slug, severity=Severity.WARNING)
            for slug in sorted(touched)[1:]]
