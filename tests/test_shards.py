"""Sharded builds: `build --shard i/n` on separate machines, then `merge` builds the hub."""

from __future__ import annotations

import shutil
from pathlib import Path

from kimsite.build.shards import in_shard, parse_shard
from tests.conftest import BUILD_DATE, run_kimsite
from tests.golden import tree
from tests.regency import good_posts, write_regency

SLUGS = ["kim-a", "kim-b", "kim-c", "kim-d"]


def test_every_kim_is_in_exactly_one_shard_and_adding_a_kim_moves_no_other() -> None:
    names = [f"kim-{n}" for n in range(200)]
    for count in (1, 2, 3, 7):
        owners = [[i for i in range(1, count + 1) if in_shard(name, (i, count))] for name in names]
        assert all(len(o) == 1 for o in owners)
    before = {n: next(i for i in range(1, 5) if in_shard(n, (i, 4))) for n in names[:100]}
    assert before == {n: next(i for i in range(1, 5) if in_shard(n, (i, 4))) for n in names[:100]}
    sizes = [sum(in_shard(n, (i, 4)) for n in names) for i in range(1, 5)]
    assert min(sizes) > 25  # roughly even over 200 KIMs
    assert parse_shard("2/4") == (2, 4)


def _regency(root: Path) -> Path:
    return write_regency(root, {slug: good_posts(2) for slug in SLUGS})


def test_shards_built_apart_and_merged_equal_one_whole_build(tmp_path: Path) -> None:
    whole = _regency(tmp_path / "whole")
    assert run_kimsite("build", "--config", str(whole), "--build-date", BUILD_DATE).returncode == 0

    runners = []
    for index in (1, 2):  # two CI runners, each with a fresh checkout
        config = _regency(tmp_path / f"runner{index}")
        result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE, "--shard", f"{index}/2")
        assert result.returncode == 0, result.stderr
        assert not (config.parent / "output" / "index.html").exists()  # no hub in a shard
        runners.append(config.parent / "output")
    assert sorted(p.name for r in runners for p in r.iterdir() if p.name.startswith("kim-")) == SLUGS

    merger = _regency(tmp_path / "merge")
    missing = run_kimsite("merge", "--config", str(merger), "--build-date", BUILD_DATE)
    assert missing.returncode == 1 and "kimsite build --shard" in missing.stderr
    for runner in runners:  # the CI collects every shard's output into one folder
        shutil.copytree(runner, merger.parent / "output", dirs_exist_ok=True)
    merged = run_kimsite("merge", "--config", str(merger), "--build-date", BUILD_DATE)
    assert merged.returncode == 0, merged.stderr
    assert tree(merger.parent / "output") == tree(whole.parent / "output")


def test_a_bad_shard_argument_is_a_usage_error(tmp_path: Path) -> None:
    config = _regency(tmp_path)
    result = run_kimsite("build", "--config", str(config), "--shard", "3/2")
    assert result.returncode == 4 and "2/4" in result.stderr  # a usage error, not a broken sites.yaml


def test_shard_results_travel_as_versioned_json_and_another_version_is_refused(tmp_path: Path) -> None:
    import json

    config = _regency(tmp_path)
    for shard in ("1/2", "2/2"):
        built = run_kimsite("build", "--config", str(config), "--shard", shard, "--build-date", BUILD_DATE)
        assert built.returncode == 0, built.stderr
    folder = tmp_path / "output" / ".kimsite-shards"
    results = sorted(folder.glob("*.json"))
    assert results and all(p.with_suffix(".pickle").is_file() for p in results)
    head = json.loads(results[0].read_bytes().split(b"\n", 1)[0])
    assert head["format"] == 1 and head["kimsite"]
    for pickle in folder.glob("*.pickle"):
        pickle.unlink()  # the merge reads JSON only: a pickle from another machine is never unpickled
    merged = run_kimsite("merge", "--config", str(config), "--build-date", BUILD_DATE)
    assert merged.returncode == 0, merged.stderr
    assert (tmp_path / "output" / "index.html").is_file()
    head["kimsite"] = "0.0.1"
    first, body = results[0].read_bytes().split(b"\n", 1)
    results[0].write_bytes(json.dumps(head).encode() + b"\n" + body)
    refused = run_kimsite("merge", "--config", str(config), "--build-date", BUILD_DATE)
    assert refused.returncode == 1 and "kimsite 0.0.1" in refused.stderr and "Traceback" not in refused.stderr
    assert "versi kimsite yang sama" in refused.stderr
