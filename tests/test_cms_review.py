"""Review before publishing: CODEOWNERS from `kims[].editors`, and `kimsite check
--changed-files` warning when one change reaches into another KIM's folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cmsfixture import cms_regency
from tests.conftest import BUILD_DATE, ROOT, run_kimsite

ALPHA = '    village_code: "34.01.01.2004"\n'


def _regency(tmp: Path) -> Path:
    config = cms_regency(tmp, "  editorial_workflow: true\n")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(ALPHA, ALPHA + '    editors: ["@siti-aminah", diskominfo-kp/redaksi]\n'),
                      encoding="utf-8")
    return config


def _check(config: Path, changed: str | None = None) -> str:
    args = [sys.executable, "-m", "kimsite", "check", "--config", str(config), "--build-date", BUILD_DATE]
    if changed is not None:
        args += ["--changed-files", "-"]
    result = subprocess.run(args, input=changed, capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_codeowners_lists_each_kim_s_editors_for_its_folder(tmp_path: Path) -> None:
    config = _regency(tmp_path)
    assert "CODEOWNERS" in _check(config)  # editors configured, no CODEOWNERS yet: a warning says what to run
    result = run_kimsite("codeowners", "--config", str(config))
    assert result.returncode == 0, result.stderr
    lines = [line for line in (config.parent / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    assert lines == ["/content/kim-alpha/ @siti-aminah @diskominfo-kp/redaksi"]  # kim-beta has no editors
    assert "0 galat/errors, 0 peringatan/warnings" in _check(config)
    config.write_text(config.read_text(encoding="utf-8").replace("@siti-aminah", "@budi"), encoding="utf-8")
    assert "kimsite codeowners" in _check(config)  # sites.yaml changed, CODEOWNERS not: a warning


def test_a_change_that_reaches_into_another_kim_s_folder_is_a_warning(tmp_path: Path) -> None:
    config = _regency(tmp_path)
    run_kimsite("codeowners", "--config", str(config))
    own = "content/kim-alpha/posts/2026-11-20-panen.md\ncontent/kim-alpha/posts/panen.jpg\n"
    assert "0 galat/errors, 0 peringatan/warnings" in _check(config, own)
    output = _check(config, own + "content/kim-beta/profile.yaml\n")
    assert "kim-alpha, kim-beta" in output and "content/kim-beta/profile.yaml" in output
    assert "1 peringatan/warnings" in output and "Traceback" not in output
    assert "0 peringatan/warnings" in _check(config, "sites.yaml\nthemes/kim/static/css/kim.css\n")
