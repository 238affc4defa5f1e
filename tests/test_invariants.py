"""Invariant checks on every built sample (tests/invariants.py says what they are)."""

from __future__ import annotations

import pytest

from tests import invariants


@pytest.mark.parametrize("build", ["tiny_output", "sample_output"])
def test_every_invariant_holds(build: str, request: pytest.FixtureRequest) -> None:
    output = request.getfixturevalue(build)
    assert invariants.pages(output), "nothing was built"
    assert invariants.feed_files(output), "no feeds were built"
    assert invariants.check_all(output) == []


def test_invariants_catch_a_broken_link(tiny_output, tmp_path) -> None:
    """The link checker itself must be able to fail."""
    import shutil

    copy = tmp_path / "out"
    shutil.copytree(tiny_output, copy)
    (copy / "kim-alpha" / "profil" / "index.html").unlink()
    assert any("profil/" in failure for failure in invariants.check_links(copy))
