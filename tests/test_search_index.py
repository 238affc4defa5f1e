"""The regency's search index as built: one Pagefind bundle of the posts before the build date
and a small one of that day's, each re-made only when its posts changed (a same-day post leaves
the big one as it was), with every KIM in it at its real address."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from kimsite.site import search
from tests.conftest import BUILD_DATE, ROOT, copy_fixture, run_kimsite

NEW_POST = f"""---
title: Rapat Warga Hari Ini
date: {BUILD_DATE} 08:00
author: Siti Contoh
category: berita
summary: Warga membahas jadwal ronda malam.
---

Warga membahas jadwal ronda malam di balai dusun.
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _fragments_of(path: Path) -> dict:
    """One of Pagefind's records (a `.pf_fragment` is gzip: a signature, then JSON)."""
    return json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))


def _fragments(folder: Path) -> list[dict]:
    return [_fragments_of(p) for p in sorted((folder / "fragment").glob("*.pf_fragment"))]


def _build(config: Path, output: Path) -> None:
    result = run_kimsite("build", "--config", str(config), "--output", str(output), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr


def test_a_same_day_post_rewrites_only_the_days_bundle(tmp_path: Path) -> None:
    regency = copy_fixture("tiny", tmp_path)
    config = regency / "sites.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../", f"{ROOT}/"), encoding="utf-8")
    output = tmp_path / "output"
    _build(regency / "sites.yaml", output)
    base, today = _files(output / "pagefind"), _files(output / "pagefind-baru")
    records = _fragments(output / "pagefind")
    urls = {r["meta"]["url"] for r in records}
    assert "https://kim.example.go.id/kim-alpha/2025/01/pertama/" in urls
    assert any(u.startswith("https://kimbeta.example/") for u in urls)  # the KIM on its own domain, at its address
    assert all(r["meta"]["kim"].startswith("KIM ") and r["meta"]["desa"] for r in records)
    alpha = json.loads((output / "pagefind" / "kim" / "kim-alpha.json").read_bytes())  # its search page's results
    assert sorted(alpha) == sorted(p.stem for p in (output / "pagefind" / "fragment").glob("*.pf_fragment")
                                   if "/kim-alpha/" in json.dumps(_fragments_of(p)["meta"]))
    assert all("Siti Contoh" not in r["content"] and "#" not in r["content"] for r in records)  # no byline
    (regency / "content" / "kim-alpha" / "posts" / f"{BUILD_DATE}-rapat.md").write_text(NEW_POST, encoding="utf-8")
    _build(regency / "sites.yaml", output)
    assert _files(output / "pagefind") == base
    changed = _files(output / "pagefind-baru")
    assert changed != today and len(set(changed.items()) - set(today.items())) <= 8
    assert [r["meta"]["title"] for r in _fragments(output / "pagefind-baru")] == ["Rapat Warga Hari Ini"]
    assert list(json.loads((output / "pagefind-baru" / "kim.json").read_bytes())) == ["kim-alpha"]
    assert not (output / "kim-alpha" / "pagefind").exists()  # a KIM on the hub's domain has no index of its own
    assert (output / "kim-beta" / "pagefind" / "pagefind.js").is_file()  # one on its own domain keeps one


class _Kept:
    """A writer whose groups all stand as published, and which writes nothing."""

    def __init__(self, standing: set[str]) -> None:
        self.standing, self.written = standing, {}

    def stands(self, name: str, key: str | None) -> bool:
        return name in self.standing

    @contextlib.contextmanager
    def group(self, name: str, key: str | None) -> Iterator[bool]:
        yield name in self.standing

    def write(self, rel: str, data: bytes) -> None:
        self.written[rel] = data

    def write_all(self, files: dict[str, bytes]) -> None:
        self.written.update(files)


def test_pagefind_does_not_run_for_a_bundle_that_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    from kimsite.hub import search as hub_search

    runs: list[int] = []
    real = search.bundling

    @contextlib.contextmanager
    def counted(records, language, scripts=True):  # noqa: ANN001, ANN202 - as search.bundling
        runs.append(len(records))
        with real(records, language, scripts) as files:
            yield files

    monkeypatch.setattr(search, "bundling", counted)
    out = SimpleNamespace(config=SimpleNamespace(regency=SimpleNamespace(language="id")),
                          writer=_Kept({hub_search.BASE}))
    with hub_search.indexing(out, [], date(2026, 11, 22)):
        pass
    assert runs == [0]  # the day's bundle alone (with no posts: the empty page)
    assert out.writer.written and all(rel.startswith(hub_search.TODAY) for rel in out.writer.written)


def test_scratch_left_by_a_killed_build_is_swept_and_nothing_else(tmp_path: Path) -> None:
    """Pagefind's input pages go to /dev/shm for a moment; a build killed there leaves them in
    memory. The next build removes kimsite's own folders whose process is gone and that are an
    hour old, and no other folder."""
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    now = 1_800_000_000.0
    folders = {name: tmp_path / name for name in (f"kimsite-search-{gone}-old", f"kimsite-search-{gone}-new",
                                                  f"kimsite-search-{os.getpid()}-live", "kimsite-search-x-y", "other")}
    for name, path in folders.items():
        path.mkdir()
        (path / "page.html").write_text("<p>x</p>", encoding="utf-8")
        age = 60 if name.endswith("-new") else 2 * search.STALE_SECONDS
        os.utime(path, (now - age, now - age))
    (tmp_path / f"kimsite-search-{gone}-file").write_text("not a folder", encoding="utf-8")
    assert search.sweep_scratch(tmp_path, now) == [folders[f"kimsite-search-{gone}-old"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*(n for n in folders if not n.endswith("-old")), f"kimsite-search-{gone}-file"])
