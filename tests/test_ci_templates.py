"""The shipped CI templates, run for real: each `run:` step of the GitHub workflow (and each
script line of the GitLab pipeline) in order, as a shell script made from the file, the way
the runner would on a push to main. A build with one broken post must still deploy what
built, and then fail the job; a broken sites.yaml must deploy nothing."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import yaml

from tests.regency import good_posts, write_regency

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "ci-templates"
DEPLOY = "deploy:\n  targets:\n    - name: web\n      type: local\n      path: public\n"
BROKEN = "---\ntitle: [Rusak\ncategory: berita\n---\n\nIsi.\n"
PUSH_TO_MAIN = {"github.event_name": "'push'", "github.ref": "'refs/heads/main'"}


def _shims(folder: Path) -> Path:
    """What a runner has and this machine must not do: apt-get, sudo and pip are no-ops (kimsite is
    installed already); `kimsite` is the real command line of this checkout."""
    folder.mkdir()
    scripts = {"apt-get": "exit 0", "sudo": 'exec "$@"', "pip": "exit 0",
               "kimsite": f'exec "{sys.executable}" -m kimsite "$@"'}
    for name, body in scripts.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return folder


def _github_condition(expression: str) -> bool:
    """The step conditions the template uses: comparisons of the event and the ref, joined by &&."""
    for name, value in PUSH_TO_MAIN.items():
        expression = expression.replace(name, value)
    assert re.fullmatch(r"[' a-z/_=!&-]+", expression), f"a condition this test cannot read: {expression}"
    return eval(expression.replace("&&", " and "), {"__builtins__": {}})  # noqa: S307 - the template's own literals


def github_script(workflow: Path, job: str) -> str:
    """The job's `run:` steps as one script: stop at the first failing step (as a runner does),
    carry $GITHUB_ENV to the next steps, skip a step whose `if:` is false."""
    steps = yaml.safe_load(workflow.read_text())["jobs"][job]["steps"]
    lines = ['export GITHUB_ENV="$PWD/.github_env"', ': > "$GITHUB_ENV"']
    for number, step in enumerate(steps):
        if "run" not in step or ("if" in step and not _github_condition(step["if"])):
            continue
        path = f".step-{number}.sh"
        lines += [f"cat > {path} <<'KIMSITE_STEP'\n{step['run']}\nKIMSITE_STEP",
                  f'echo "::step {step.get("name", number)}"',
                  f'( set -a; . "$GITHUB_ENV"; set +a; bash --noprofile --norc -eo pipefail {path} ) || exit $?']
    return "\n".join(lines) + "\n"


def _gitlab_runs_on_main(job: dict) -> bool:
    """A job's `rules: - if:` on a push to the default branch (the forms the template uses)."""
    conditions = [rule["if"] for rule in job.get("rules", []) if "if" in rule]
    if not conditions:
        return True
    for expression in conditions:
        python = re.sub(r"\$(CI_COMMIT_BRANCH|CI_DEFAULT_BRANCH)", "'main'", expression).replace("&&", " and ")
        assert re.fullmatch(r"[' a-z=!]+", python), f"a rule this test cannot read: {expression}"
        if eval(python, {"__builtins__": {}}):  # noqa: S307 - the template's own literals
            return True
    return False


def gitlab_script(pipeline: Path) -> str:
    """Every job's before_script and script on the default branch, in stage order; a dotenv
    report of one job is in the environment of the next (as GitLab passes it)."""
    data = yaml.safe_load(pipeline.read_text())
    before = data.get("default", {}).get("before_script", [])
    lines = ['export CI_COMMIT_BRANCH=main CI_DEFAULT_BRANCH=main']
    for stage in data["stages"]:
        for name, job in data.items():
            if not isinstance(job, dict) or job.get("stage") != stage or not _gitlab_runs_on_main(job):
                continue
            body = "\n".join([*before, *job["script"]])
            dotenv = job.get("artifacts", {}).get("reports", {}).get("dotenv")
            lines += [f"cat > .job-{name}.sh <<'KIMSITE_STEP'\n{body}\nKIMSITE_STEP", f'echo "::job {name}"',
                      f"( set -a; [ -f .env ] && . ./.env; set +a; bash -e .job-{name}.sh ) || exit $?"]
            if dotenv:
                lines.append(f"cp {dotenv} .env")
    return "\n".join(lines) + "\n"


def _run(script: str, regency: Path, shims: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-c", script], cwd=regency, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def _regency(tmp_path: Path) -> Path:
    config = write_regency(tmp_path / "regency", {
        "kim-a": {**good_posts(2), "posts/2025-03-01-rusak.md": BROKEN},
        "kim-b": good_posts(1),
    }, DEPLOY)
    return config.parent


def _check_published_with_one_broken_post(result: subprocess.CompletedProcess[str], regency: Path) -> None:
    out = result.stdout + result.stderr
    assert result.returncode == 1, out  # the job fails: writers see red
    assert "content/kim-a/posts/2025-03-01-rusak.md:2" in out  # and the list of problems
    public = regency / "public"
    assert (public / "kim-a" / "2025" / "02" / "berita-2" / "index.html").is_file()  # deployed anyway
    assert (public / "kim-b" / "2025" / "01" / "berita-1" / "index.html").is_file()
    assert (public / "index.html").is_file()
    assert not (public / "kim-a" / "2025" / "03" / "rusak").exists()


def test_github_workflow_deploys_what_built_then_fails(tmp_path: Path) -> None:
    regency, shims = _regency(tmp_path), _shims(tmp_path / "bin")
    result = _run(github_script(TEMPLATES / "github-workflow.yml", "publish"), regency, shims)
    _check_published_with_one_broken_post(result, regency)
    assert "::error::" in result.stdout
    steps = re.findall(r"^::step (.+)$", result.stdout, re.M)
    assert steps[-2:] == ["Deploy what changed", "Problems to fix (the Build step lists them)"]


def test_github_workflow_deploys_nothing_when_sites_yaml_is_broken(tmp_path: Path) -> None:
    regency, shims = _regency(tmp_path), _shims(tmp_path / "bin")
    config = regency / "sites.yaml"
    config.write_text(config.read_text().replace("timezone: WIB", "timezone: GMT"))
    result = _run(github_script(TEMPLATES / "github-workflow.yml", "publish"), regency, shims)
    assert result.returncode == 1 and "[regency.timezone]" in result.stderr  # the Build step stops the job
    assert "::step Deploy what changed" not in result.stdout
    assert not (regency / "public").exists()


def test_github_workflow_is_read_only_and_updates_apt() -> None:
    workflow = yaml.safe_load((TEMPLATES / "github-workflow.yml").read_text())
    assert workflow["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in workflow["jobs"]["publish"]["steps"]]
    install = next(r for r in runs if "apt-get install" in r)
    assert install.index("apt-get update") < install.index("apt-get install")
    cached = next(s for s in workflow["jobs"]["publish"]["steps"] if s.get("uses", "").startswith("actions/cache"))
    assert {"output", ".kimsite-cache"} <= set(cached["with"]["path"].split())
    sharded = yaml.safe_load((TEMPLATES / "github-sharded.yml").read_text())
    assert sharded["permissions"] == {"contents": "read"}


def test_gitlab_pipeline_deploys_what_built_then_fails(tmp_path: Path) -> None:
    regency, shims = _regency(tmp_path), _shims(tmp_path / "bin")
    result = _run(gitlab_script(TEMPLATES / "gitlab-ci.yml"), regency, shims)
    _check_published_with_one_broken_post(result, regency)
    assert re.findall(r"^::job (.+)$", result.stdout, re.M) == ["build", "deploy"]
    pipeline = yaml.safe_load((TEMPLATES / "gitlab-ci.yml").read_text())
    assert {"output/", ".kimsite-cache/"} <= set(pipeline["default"]["cache"]["paths"])
