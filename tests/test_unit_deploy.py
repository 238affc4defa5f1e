"""The deploy plan: pure diffs of manifests, the upload order, and the hash cache of a scan."""

from __future__ import annotations

import os
from pathlib import Path

from kimsite.deploy import plan


def _entry(text: str) -> dict[str, object]:
    return {"sha256": text, "size": len(text)}


def test_plan_uploads_new_and_changed_in_stage_order_and_deletes_the_rest() -> None:
    local = {p: _entry(p) for p in ["index.html", "index.html.gz", "kim-a/2025/01/x/index.html", "rss.xml",
                                    "kim-a/foto/x-360.webp", "kim-a/halaman/2/index.html"]}
    remote = {"index.html": _entry("old"), "rss.xml": _entry("rss.xml"), "gone.html": _entry("gone")}
    result = plan.make_plan(local, remote, pending=[])
    assert result.new == 4 and result.changed == 1 and result.unchanged == 1
    assert result.uploads == ["kim-a/foto/x-360.webp", "kim-a/2025/01/x/index.html",
                              "index.html.gz", "index.html", "kim-a/halaman/2/index.html"]
    assert result.deletes == ["gone.html"]


def test_pending_paths_are_resent_or_deleted_whatever_the_manifest_says() -> None:
    local = {"a.html": _entry("a")}
    remote = {"a.html": _entry("a")}
    result = plan.make_plan(local, remote, pending=["a.html", "b.html"])
    assert result.uploads == ["a.html"] and result.deletes == ["b.html"]


def test_deletion_caps() -> None:
    result = plan.make_plan({}, {f"{n}.html": _entry("x") for n in range(10)}, [])
    assert plan.too_many_deletes(result, {}, 10, max_deletes=200, max_share=0.25)
    assert not plan.too_many_deletes(result, {}, 100, max_deletes=200, max_share=0.25)
    assert plan.too_many_deletes(result, {}, 100, max_deletes=5, max_share=1.0)


def test_scan_skips_state_reuses_hashes_and_sees_a_rewritten_file(tmp_path: Path) -> None:
    (tmp_path / "kim-a").mkdir()
    page = tmp_path / "kim-a" / "index.html"
    page.write_text("satu")
    (tmp_path / ".kimsite-manifest.json").write_text("{}")
    (tmp_path / "kim-b").mkdir()
    (tmp_path / "kim-b" / "index.html").write_text("b")
    first = plan.scan(tmp_path, frozenset({"kim-b"}))
    assert list(first) == ["kim-a/index.html"]
    assert (tmp_path / plan.HASHES).is_file() and plan.scan(tmp_path, frozenset({"kim-b"})) == first
    page.write_text("dua!")  # same size as before would also do: the modification time differs
    os.utime(page, ns=(1, 1))
    assert plan.scan(tmp_path, frozenset({"kim-b"}))["kim-a/index.html"] == plan.file_entry(page)


def test_a_manifest_joined_from_parts_is_the_dumped_manifest(tmp_path: Path) -> None:
    from kimsite.output import manifest

    entry = {"sha256": "ab" * 32, "size": 3}
    hub = {"index.html": entry, "kim.html": entry, "s/x/index.html": entry, "kabar/é.txt": entry, "z.xml": entry}
    sites = {"kim-a": {"index.html": entry, "b/index.html": entry}, "kim-a-b": {"index.html": entry}}
    tops = {"index.html": "index.html", "kim.html": "kim.html", "s/x/index.html": "s/", "kabar/é.txt": "kabar/",
            "z.xml": "z.xml"}  # a top-level file's key is its name, a folder's is `name/`
    chunks = [(tops[rel], manifest.entries_json({rel: e})) for rel, e in hub.items()]
    for slug, files in sites.items():
        folder = tmp_path / slug
        for rel in files:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(b"abc")
        manifest.write_part(folder, f"{slug}/")
        chunks.append((f"{slug}/", manifest.read_part(folder, f"{slug}/")))
    every = {**hub, **{f"{s}/{r}": manifest.file_entry(tmp_path / s / r) for s, fs in sites.items() for r in fs}}
    assert plan.join_manifest(chunks) == plan.dump_manifest(every)
    plan.write_joined_manifest(tmp_path / "manifest.json", chunks)  # the same bytes, written piece by piece
    assert (tmp_path / "manifest.json").read_bytes() == plan.dump_manifest(every)
    assert manifest.read_part(tmp_path / "kim-a", "other/").startswith('"other/')  # another prefix: scanned again


def test_resume_confirms_only_whole_files_sent_after_the_record_with_the_builds_hash(tmp_path: Path) -> None:
    import hashlib

    from kimsite.deploy import record, resume
    from kimsite.deploy.base import RemoteFile

    for name in ("a.html", "b.html", "c.html", "d.html", "e.html"):
        (tmp_path / name).write_text(f"isi {name}")
    local = record.short(plan.scan(tmp_path, cached=False))  # as a deploy sees the build
    state = plan.TargetState({}, sorted(local), {rel: str(e["sha256"]) for rel, e in local.items()})
    state.sending["e.html"] = "0" * 64  # the build changed after the killed deploy: must be sent again
    assert resume.candidates(local, state) == ["a.html", "b.html", "c.html", "d.html"]
    size = int(local["a.html"]["size"])
    md5 = hashlib.md5(b"isi d.html").hexdigest()
    record = RemoteFile(900, 1000)
    stats = {"a.html": RemoteFile(size, 1001),  # renamed into place after the record: sent
             "b.html": RemoteFile(size, 1000),  # in the record's own second: cannot tell, sent again
             "c.html": RemoteFile(size - 1, 1005),  # another size: not the build's file
             "d.html": RemoteFile(size, 10, md5)}  # the protocol's MD5 settles it, whatever the time
    assert sorted(resume.confirmed(local, tmp_path.joinpath, record, stats)) == ["a.html", "d.html"]
    assert resume.confirmed(local, tmp_path.joinpath, None, stats) == {"d.html": local["d.html"]}


def test_the_record_of_a_deploy_under_way_lists_what_it_is_sending() -> None:
    every = {"a.html": {"sha256": "1" * 64, "size": 3}}
    state = plan.load_state(plan.dump_manifest({}, ["a.html"], {"a.html": "1" * 64}))
    assert state.pending == ["a.html"] and state.sending == {"a.html": "1" * 64} and state.files == {}
    assert plan.load_state(plan.dump_manifest(every)).sending == {}


def test_record_parts_keep_a_folder_together_and_cut_big_folders() -> None:
    from kimsite.deploy import record

    entry = {"sha256": "0" * 16, "size": 1}
    files = {f"halaman/{n}/index.html{twin}": entry for n in range(1, 1201) for twin in ("", ".gz", ".br")}
    files |= {"index.html": entry, "kim-a/index.html": entry}
    parts = record.split(files)
    cut = 1
    while record.PER_PART * cut < 3600:
        cut *= 2
    assert cut > 1 and {k for k in parts if k.startswith("halaman.")} <= {f"halaman.{cut}d.{b}" for b in range(cut)}
    assert max(len(p) for k, p in parts.items() if k.startswith("halaman.")) < 2 * 3600 / cut  # about even
    for n in (1, 700, 1200):  # a page and its twins are in one part
        assert len({k for k, p in parts.items() if any(r.startswith(f"halaman/{n}/") for r in p)}) == 1
    assert parts["_.1d.0"] == {"index.html": entry} and "kim-a.1d.0" in parts
    assert sum(len(p) for p in parts.values()) == len(files)
