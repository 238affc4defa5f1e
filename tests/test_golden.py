"""Golden builds and determinism: the same input gives the same bytes, every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import GOLDEN, SAMPLES, build, tree


@pytest.mark.parametrize("name", SAMPLES)
def test_build_matches_the_golden_output(name: str, tmp_path: Path) -> None:
    result = build(name, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    built, expected = tree(tmp_path / "out"), tree(GOLDEN / name)
    assert sorted(built) == sorted(expected)
    changed = [path for path in expected if built[path] != expected[path]]
    assert changed == [], "output changed; if intended, run `make golden` and review the diff"


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    for run in ("a", "b"):
        assert build("tiny", tmp_path / run).returncode == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_sample_build_is_deterministic(sample_output: Path, tmp_path: Path) -> None:
    from tests.conftest import BUILD_DATE, ROOT, run_kimsite

    again = tmp_path / "again"
    result = run_kimsite("build", "--config", str(ROOT / "sites.yaml"), "--output", str(again),
                         "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    assert tree(again) == tree(sample_output)
