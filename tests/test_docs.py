"""Every configuration key is documented in the README (a new key fails this test)."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from kimsite.read.config import SitesSchema


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """Every schema an annotation allows (a tagged union of deploy targets has several)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]

README = Path(__file__).resolve().parent.parent / "README.md"


def config_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        is_list = "list" in str(field.annotation)
        key = f"{prefix}{name}"
        keys.append(key)
        for nested in _models_in(field.annotation):
            keys += [k for k in config_keys(nested, f"{key}[]." if is_list else f"{key}.") if k not in keys]
    return keys


def test_every_config_key_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    keys = config_keys(SitesSchema)
    assert "kims[].village_code" in keys and "build.workers" in keys and "deploy.targets[].bucket" in keys
    missing = [key for key in keys if f"`{key}`" not in text]
    assert missing == []


def test_every_province_key_is_in_the_readme() -> None:
    from kimsite.read.province import ProvinceFileSchema

    text = README.read_text(encoding="utf-8")
    keys = {key.rsplit(".", 1)[-1].removesuffix("[]") for key in config_keys(ProvinceFileSchema)}
    missing = [key for key in sorted(keys) if f"{key}:" not in text]
    assert missing == []


def test_ci_templates_build_and_deploy_with_secrets_from_the_store() -> None:
    import yaml

    root = README.parent / "ci-templates"
    github = yaml.safe_load((root / "github-workflow.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["publish"]["steps"]
    commands = [line.strip() for s in steps for line in s.get("run", "").splitlines()]
    invoked = [re.search(r"kimsite \w+", c).group(0) for c in commands if "kimsite " in c and not c.startswith("echo")]
    assert invoked == ["kimsite check", "kimsite build", "kimsite deploy"]  # check: a pull request's changed files
    deploy_step = next(s for s in steps if s.get("run") == "kimsite deploy")
    assert all(v.startswith("${{ secrets.") for v in deploy_step["env"].values())
    gitlab = yaml.safe_load((root / "gitlab-ci.yml").read_text(encoding="utf-8"))
    scripts = [line for job in ("build", "deploy") for line in gitlab[job]["script"]]
    assert [line.split("#")[0].strip() for line in scripts if line.startswith("kimsite")] == ["kimsite deploy"]
    assert "kimsite build ||" in gitlab["build"]["script"][0]
    assert gitlab["deploy"]["rules"] and gitlab["deploy"]["resource_group"]


def _indonesian_texts(path: Path) -> list[str]:
    """The Indonesian side of every Text(...) a module builds: its literal pieces joined by '{…}'."""
    import ast

    texts = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Text" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant):
                texts.append(first.value)
            elif isinstance(first, ast.JoinedStr):
                texts.append("".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in first.values))
    return texts


def test_the_writers_guide_lists_every_message_a_writer_can_meet() -> None:
    """Every message and fix kimsite prints about a writer's files (posts, extras, profiles and
    the YAML/TOML under them) is in docs/panduan-penulis.md, by its longest literal piece."""
    guide = (README.parent / "docs" / "panduan-penulis.md").read_text(encoding="utf-8")
    read = README.parent / "kimsite" / "read"
    missing = []
    for name in ("content.py", "frontmatter.py", "extras.py", "profiles.py", "yamlsrc.py", "spam.py"):
        for text in _indonesian_texts(read / name):
            piece = max(text.split("{…}"), key=len).strip(" ,;:()'\"")
            if len(piece) >= 8 and piece not in guide:
                missing.append(f"{name}: {text}")
    assert missing == []
