"""Deploy to a local folder: plan, order, incremental bytes, caps, lock, crash recovery.

The engine is the same for every target; the network targets are tested against real
servers in test_deploy_servers.py.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kimsite.deploy import engine, journal, local, plan, record
from kimsite.deploy.base import DeployFailure, Kind, Source
from kimsite.targets import DeployOptions, DeployTarget
from tests.conftest import BUILD_DATE, run_kimsite
from tests.golden import tree
from tests.regency import good_posts, write_regency

LOCAL = """deploy:
  max_deletes: 20
  targets:
    - name: web
      type: local
      path: public
    - name: kim-b-only
      type: local
      source: kim-b
      path: public-b
"""


def _build(config: Path) -> None:
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr


def _deploy(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_kimsite("deploy", "--config", str(config), *args)


def _published(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(root).items() if not k.startswith(".kimsite")}


def _built(output: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(output).items() if not k.startswith(".kimsite")}


@pytest.fixture()
def regency(tmp_path: Path) -> Path:
    config = write_regency(tmp_path, {"kim-a": good_posts(3), "kim-b": good_posts(2)}, LOCAL)
    _build(config)
    return config


def test_first_deploy_publishes_the_exact_build_and_a_second_sends_nothing(regency: Path) -> None:
    root = regency.parent
    dry = _deploy(regency, "web", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "baru/new" in dry.stdout and not (root / "public").exists()  # a dry run changes nothing

    first = _deploy(regency, "web")
    assert first.returncode == 0, first.stderr
    assert _published(root / "public") == _built(root / "output")
    files, pending = _record(root / "public")
    assert pending == [] and set(files) == set(_built(root / "output"))
    assert not (root / "public" / plan.MANIFEST).exists()  # the record is in parts, with an index
    assert not list((root / "public").rglob("*.kimsite-part"))  # no temporary file left
    assert not (root / "public" / ".kimsite" / "lock").exists()

    again = _deploy(regency, "web")
    assert "0 baru/new, 0 berubah/changed, 0 dihapus/deleted" in again.stdout


def test_one_new_post_sends_only_what_changed_and_removed_files_are_deleted(regency: Path) -> None:
    root = regency.parent
    _deploy(regency, "web")
    post = root / "content" / "kim-a" / "posts" / "2025-05-10-baru.md"
    post.write_text("---\ntitle: Berita Baru\ncategory: berita\n---\n\nBaru.\n")
    _build(regency)
    local_files = record.short(plan.scan(root / "output"))
    before, _ = _record(root / "public")
    expected = plan.make_plan(local_files, before, [])
    assert expected.uploads and all(not p.startswith("kim-b/") for p in expected.uploads)  # kim-b untouched
    result = _deploy(regency, "web")
    assert f"{expected.new} baru/new, {expected.changed} berubah/changed" in result.stdout
    assert _published(root / "public") == _built(root / "output")

    post.unlink()
    _build(regency)
    result = _deploy(regency, "web")
    assert "dihapus/deleted" in result.stdout and result.returncode == 0
    assert not (root / "public" / "kim-a" / "2025" / "05" / "baru").exists()  # no empty folder either
    assert _published(root / "public") == _built(root / "output")


def test_a_kim_target_publishes_only_its_folder(regency: Path) -> None:
    root = regency.parent
    assert _deploy(regency, "kim-b-only").returncode == 0
    assert _published(root / "public-b") == _built(root / "output" / "kim-b")


def test_mass_deletion_is_refused_without_force(regency: Path) -> None:
    root = regency.parent
    _deploy(regency, "web")
    for post in (root / "content" / "kim-a" / "posts").glob("*.md"):
        post.unlink()
    _build(regency)
    refused = _deploy(regency, "web")
    assert refused.returncode == 1
    assert "--force" in refused.stderr and "menghapus" in refused.stderr
    assert (root / "public" / "kim-a" / "2025" / "01" / "berita-1" / "index.html").is_file()  # nothing touched
    forced = _deploy(regency, "web", "--force")
    assert forced.returncode == 0, forced.stderr
    assert _published(root / "public") == _built(root / "output")


def test_unknown_target_and_missing_build_are_clear_errors(regency: Path, tmp_path: Path) -> None:
    unknown = _deploy(regency, "nope")
    assert unknown.returncode == 2 and "web, kim-b-only" in unknown.stderr
    fresh = write_regency(tmp_path / "fresh", {"kim-a": good_posts(1)}, LOCAL)
    bad_source = _deploy(fresh, "web")
    assert bad_source.returncode == 2 and "sumber 'kim-b' tidak dikenal" in bad_source.stderr
    fresh = write_regency(tmp_path / "fresh", {"kim-a": good_posts(1)}, LOCAL.split("    - name: kim-b-only")[0])
    nothing = _deploy(fresh, "web")
    assert nothing.returncode == 1 and "make build" in nothing.stderr
    assert "Traceback" not in nothing.stderr


def _record(folder: Path) -> tuple[dict, list[str]]:
    return record.read_all(lambda rel: (folder / rel).read_bytes() if (folder / rel).is_file() else None)


class DiesAfter:
    """A real local connection that loses the link for good after `n` uploads."""

    def __init__(self, target: DeployTarget, n: int):
        self.inner, self.left = local.connect(target), n

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def upload(self, rel: str, source: Path) -> None:
        if self.left == 0:
            raise DeployFailure(Kind.REFUSED, engine.Text("mati", "died"))
        self.left -= 1
        self.inner.upload(rel, source)


def test_an_interrupted_deploy_claims_nothing_it_did_not_finish_and_a_rerun_converges(
        regency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = regency.parent
    target = DeployTarget("web", "local", path=str(root / "public"))
    source = Source(root / "output")
    engine.deploy(target, source, DeployOptions(), engine.RunOptions())
    for post in (root / "content" / "kim-a" / "posts").glob("*.md"):  # change every kim-a page
        post.write_text(post.read_text().replace("Isi berita", "Isi berita yang diperbarui"))
    _build(regency)
    monkeypatch.setattr(engine, "connector", lambda t: lambda t2: DiesAfter(t2, 3))
    with pytest.raises(DeployFailure):
        engine.deploy(target, source, DeployOptions(), engine.RunOptions())
    files, pending = _record(root / "public")
    assert len(pending) > 3  # what the dead deploy was about to touch is not claimed
    assert set(pending) <= set(files) | set(_built(root / "output"))
    monkeypatch.undo()
    report = engine.deploy(target, source, DeployOptions(), engine.RunOptions())
    assert report.plan.uploads and _published(root / "public") == _built(root / "output")


def test_a_live_lock_refuses_and_a_dead_owners_lock_is_taken_over(regency: Path) -> None:
    root = regency.parent
    lock = root / "public" / ".kimsite" / "lock"
    lock.mkdir(parents=True)
    owner = {"host": socket.gethostname(), "pid": os.getpid(), "since": "2999-01-01T00:00:00+00:00"}
    (lock / "owner.json").write_text(json.dumps(owner))  # this test process: alive
    held = _deploy(regency, "web")
    assert held.returncode == 1 and "sedang dipakai deploy lain" in held.stderr
    assert not (root / "public" / "index.html").exists()
    child = subprocess.Popen(["true"])
    child.wait()
    (lock / "owner.json").write_text(json.dumps(owner | {"pid": child.pid}))  # a deploy that was killed
    taken = _deploy(regency, "web")
    assert taken.returncode == 0, taken.stderr
    assert not lock.exists() and (root / "public" / "index.html").is_file()


def test_secrets_come_from_the_environment_and_are_never_printed(tmp_path: Path) -> None:
    extra = """deploy:
  targets:
    - name: ftp
      type: ftp
      host: 127.0.0.1
      port: 9
      user_env: KIMSITE_TEST_USER
      password_env: KIMSITE_TEST_PASSWORD
  retries: 1
"""
    config = write_regency(tmp_path, {"kim-a": good_posts(1)}, extra)
    _build(config)
    missing = _deploy(config, "ftp")
    assert missing.returncode == 1 and "KIMSITE_TEST_USER, KIMSITE_TEST_PASSWORD" in missing.stderr
    env = os.environ | {"KIMSITE_TEST_USER": "kim", "KIMSITE_TEST_PASSWORD": "rahasia-sekali-123"}
    unreachable = subprocess.run([sys.executable, "-m", "kimsite", "deploy", "--config", str(config), "ftp"],
                                 capture_output=True, text=True, env=env, check=False)
    assert unreachable.returncode == 1 and "tidak bisa dihubungi" in unreachable.stderr
    assert "rahasia-sekali-123" not in unreachable.stdout + unreachable.stderr


class Recording:
    """A real local connection that notes every path read and written."""

    def __init__(self, target: DeployTarget, seen: list[tuple[str, str]]):
        self.inner, self.seen = local.connect(target), seen

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def read(self, rel: str) -> bytes | None:
        self.seen.append(("read", rel))
        return self.inner.read(rel)

    def write(self, rel: str, data: bytes) -> None:
        self.seen.append(("write", rel))
        self.inner.write(rel, data)


def _new_post(root: Path, regency: Path, name: str) -> None:
    (root / "content" / "kim-a" / "posts" / f"2025-05-10-{name}.md").write_text(
        f"---\ntitle: Berita {name}\ncategory: berita\n---\n\nBaru.\n")
    _build(regency)


def _record_ops(seen: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(op, rel) for op, rel in seen if rel.startswith(".kimsite/") and not rel.endswith(".lock")]


def test_a_deploy_writes_what_it_changed_and_reads_only_what_this_machine_has_not_seen(
        regency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = regency.parent
    target = DeployTarget("web", "local", path=str(root / "public"))
    source = Source(root / "output", cache=root / ".kimsite-cache" / "deploy")
    engine.deploy(target, source, DeployOptions(), engine.RunOptions())
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(engine, "connector", lambda t: lambda t2: Recording(t2, seen))
    nothing = engine.deploy(target, source, DeployOptions(), engine.RunOptions())
    assert nothing.plan.empty and _record_ops(seen) == [("read", journal.HEAD)]  # the rest is copied here
    seen.clear()
    _new_post(root, regency, "satu")
    one = engine.deploy(target, source, DeployOptions(), engine.RunOptions())
    ops = _record_ops(seen)
    assert one.plan.uploads and [rel for op, rel in ops if op == "read"] == [journal.HEAD]
    writes = [rel for op, rel in ops if op == "write"]
    # its log, the head naming it pending, then the head naming it done: no part, no index
    assert writes[0].startswith(journal.LOGS + "/") and writes[1:] == [journal.HEAD, journal.HEAD]
    assert _record(root / "public") == (record.short(plan.scan(root / "output")), [])

    seen.clear()  # a machine without those copies (a fresh CI runner) reads the parts it compares
    _new_post(root, regency, "dua")
    engine.deploy(target, Source(root / "output"), DeployOptions(), engine.RunOptions())
    read = [rel for op, rel in _record_ops(seen) if op == "read"]
    parts = {rel.removeprefix(record.PARTS + "/").split(".")[0] for rel in read if rel.startswith(record.PARTS)}
    assert read[:2] == [journal.HEAD, record.INDEX] and any(rel.startswith(journal.LOGS) for rel in read)
    assert "kim-a" in parts and "kim-b" not in parts  # kim-b's record is neither read nor rewritten
    assert _record(root / "public") == (record.short(plan.scan(root / "output")), [])


def test_a_full_journal_is_compacted_into_parts(regency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = regency.parent
    monkeypatch.setattr(journal, "MAX_LOGS", 2)
    target = DeployTarget("web", "local", path=str(root / "public"))
    source = Source(root / "output", cache=root / ".kimsite-cache" / "deploy")
    engine.deploy(target, source, DeployOptions(), engine.RunOptions())
    logs = root / "public" / journal.LOGS
    for count, name in ((1, "satu"), (2, "dua"), (0, "tiga")):
        _new_post(root, regency, name)
        engine.deploy(target, source, DeployOptions(), engine.RunOptions())
        head = journal.load_head((root / "public" / journal.HEAD).read_bytes())
        assert head is not None and len(head.logs) == count and head.pending is None
        assert len(list(logs.glob("*.json.gz"))) == count  # a compaction removes the logs it folded in
        assert _record(root / "public") == (record.short(plan.scan(root / "output")), [])
    assert _published(root / "public") == _built(root / "output")


def test_a_target_with_an_older_single_manifest_moves_to_parts_without_resending(regency: Path) -> None:
    root = regency.parent
    target = DeployTarget("web", "local", path=str(root / "public"))
    source = Source(root / "output")
    engine.deploy(target, source, DeployOptions(), engine.RunOptions())
    files, _ = _record(root / "public")
    full = plan.scan(root / "output")
    shutil.rmtree(root / "public" / record.PARTS)
    (root / "public" / record.INDEX).unlink()
    (root / "public" / plan.MANIFEST).write_bytes(plan.dump_manifest(full))  # as kimsite 0.x left it
    report = engine.deploy(target, source, DeployOptions(), engine.RunOptions())
    assert report.plan.uploads == [] and report.plan.deletes == []
    assert not (root / "public" / plan.MANIFEST).exists() and _record(root / "public")[0] == files
