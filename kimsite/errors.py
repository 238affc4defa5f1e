"""Typed problems with file, line and key, told in Indonesian first, English beside.

Library code never exits or prints: it returns `Problem`s or raises one of the
errors below; only the CLI turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Text:
    """One message in Indonesian (`id`) with its English twin (`en`)."""

    id: str
    en: str

    def render(self, separator: str = " / ") -> str:
        return self.id if self.id == self.en else f"{self.id}{separator}{self.en}"


@dataclass(frozen=True)
class Problem:
    """Something wrong in the input: where it is, what it is, how to fix it."""

    path: str
    message: Text
    hint: Text | None = None
    line: int | None = None
    key: str | None = None
    site: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where} [{self.key}]" if self.key else where

    def render(self) -> str:
        label = "galat/error" if self.is_error else "peringatan/warning"
        text = f"{self.location()}: {label}: {self.message.render()}"
        if self.hint:
            text += f"\n    perbaiki/fix: {self.hint.render()}"
        return text


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user knows it: relative to `root` (or the cwd) when inside it."""
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


@dataclass
class KimsiteError(Exception):
    """A failure that stops a command; carries every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.render() for p in self.problems)


class ConfigError(KimsiteError):
    """sites.yaml or a profile is invalid: nothing is written."""


class ContentError(KimsiteError):
    """A post or page cannot be read."""


class BuildError(KimsiteError):
    """A site could not be built."""


def template_problem(err: BaseException, folder: str, template: str = "", site: str | None = None) -> Problem | None:
    """A theme template that fails (a `theme_overrides` file that does not compile, or that uses
    what does not exist) as Diskominfo sees it: the theme's file (`hub/base.html`,
    `templates/article.html`), its line when Jinja knows it, and Jinja's own words; None for
    any other error. Known by its module, not imported: only hub.pages imports Jinja, and
    Pelican raises the same errors."""
    if not type(err).__module__.startswith("jinja2."):
        return None
    line = getattr(err, "lineno", None) if getattr(err, "filename", None) else None
    name = Path(err.filename).name if line else template  # type: ignore[attr-defined] - Jinja's syntax errors
    where = "portal" if folder == "hub" else "situs KIM"
    detail = getattr(err, "message", None) or str(err) or "?"
    return Problem(f"{folder}/{name}" if name else folder, Text(f"templat {where} tidak bisa dipakai: {detail}",
                   f"the {'hub' if folder == 'hub' else 'KIM site'} template cannot be used: {detail}"),
                   Text("perbaiki berkas ini di folder theme_overrides (atau tema), atau hapus berkas itu agar "
                        "templat bawaan kimsite dipakai", "fix this file in the theme_overrides (or theme) folder, "
                        "or delete it so that kimsite's own template is used"), line=line, site=site)
