"""Incremental builds: unchanged KIMs keep their output; a change rebuilds what it affects."""

from __future__ import annotations

import shutil
from pathlib import Path

from kimsite import cachefile
from kimsite.deploy import plan
from tests.conftest import BUILD_DATE, run_kimsite
from tests.golden import tree
from tests.regency import good_posts, write_regency


def _digests(output: Path, kim: str) -> dict[str, str]:
    """The digests the hub's pages are keyed by, of one KIM's posts as its last build saved them."""
    return {p.slug: p.digest for p in cachefile.read(output / ".kimsite-shards" / f"{kim}.pickle").posts}


def _build(config: Path, date: str = BUILD_DATE) -> str:
    result = run_kimsite("build", "--config", str(config), "--build-date", date)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_unchanged_kims_are_skipped_and_a_change_rebuilds_only_its_kim(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(2), "kim-b": good_posts(2)})
    _build(config)
    first, digests = tree(tmp_path / "output"), _digests(tmp_path / "output", "kim-b")
    again = _build(config)
    assert again.count(", tidak berubah/unchanged") == 2  # one progress line per KIM
    assert "2 KIM ok (2 tidak berubah/unchanged)" in again
    assert tree(tmp_path / "output") == first  # same bytes, hub included

    post = tmp_path / "content" / "kim-b" / "posts" / "2025-03-10-baru.md"
    post.write_text("---\ntitle: Berita Baru\ncategory: berita\n---\n\nBaru.\n")
    changed = _build(config)
    assert "1 tidak berubah/unchanged" in changed
    assert (tmp_path / "output" / "kim-b" / "2025" / "03" / "baru" / "index.html").is_file()
    assert "Berita Baru" in (tmp_path / "output" / "index.html").read_text()  # the hub is refreshed

    post.unlink()
    _build(config)
    assert not (tmp_path / "output" / "kim-b" / "2025" / "03" / "baru").exists()  # nothing stale is left
    assert "Berita Baru" not in (tmp_path / "output" / "index.html").read_text()
    # built again from its caches, a post has the digest it had when built cold: the hub's pages
    # that list it are not rendered again for nothing
    assert _digests(tmp_path / "output", "kim-b") == digests and all(digests.values())


def test_a_scheduled_post_coming_due_rebuilds_its_kim(tmp_path: Path) -> None:
    scheduled = "---\ntitle: Nanti\ndate: 2027-01-05 08:00\ncategory: pengumuman\n---\n\nNanti.\n"
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "posts/2027-01-05-nanti.md": scheduled}})
    _build(config)
    assert "(1 tidak berubah/unchanged)" in _build(config, "2026-12-01")  # not due yet: kept
    assert not (tmp_path / "output" / "kim-a" / "2027").exists()
    assert "(0 tidak berubah/unchanged)" in _build(config, "2027-01-05")  # due: rebuilt
    assert (tmp_path / "output" / "kim-a" / "2027" / "01" / "nanti" / "index.html").is_file()


def test_a_post_coming_due_later_the_same_day_reaches_the_hub(tmp_path: Path) -> None:
    scheduled = "---\ntitle: Siang Ini\ndate: 2027-01-05 13:00\ncategory: pengumuman\n---\n\nSiang.\n"
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "posts/2027-01-05-siang.md": scheduled}})
    _build(config, "2027-01-05T08:00")
    assert "Siang Ini" not in (tmp_path / "output" / "index.html").read_text()
    _build(config, "2027-01-05T14:00")  # the same day, the same files: only the post's time has come
    assert "Siang Ini" in (tmp_path / "output" / "kim-a" / "index.html").read_text()
    assert "Siang Ini" in (tmp_path / "output" / "index.html").read_text()  # and the hub shows it too


def test_a_theme_change_rebuilds_every_kim(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "kim", theme)
    config = write_regency(tmp_path, {"kim-a": good_posts(1), "kim-b": good_posts(1)})
    config.write_text(config.read_text().replace(f"theme: {ROOT / 'themes' / 'kim'}", f"theme: {theme}"))
    _build(config)
    old = [p.name for p in (tmp_path / "output" / "kim-a" / "tema" / "css").glob("kim.*.css")]
    css = theme / "static" / "css" / "kim.css"
    css.write_text(css.read_text() + "\n.baru{color:#000}\n")
    result = _build(config)
    assert "2 KIM ok (0 tidak berubah/unchanged)" in result
    [new] = (tmp_path / "output" / "kim-a" / "tema" / "css").glob("kim.*.css")
    assert ".baru" in new.read_text() and [new.name] != old  # a new name: no reader keeps the stale style
    assert new.name in (tmp_path / "output" / "kim-a" / "index.html").read_text()


def test_a_top_level_folder_kimsite_did_not_make_is_kept(tmp_path: Path) -> None:
    """kimsite never deletes what it did not make: a folder of unknown origin in the output stays
    (the hub's own files are removed by its publish record; a KIM's folder by its manifest part)."""
    config = write_regency(tmp_path, {"kim-a": good_posts(2)})
    _build(config)
    stray = tmp_path / "output" / "lama"
    stray.mkdir()
    (stray / "index.html").write_text("old")
    post = tmp_path / "content" / "kim-a" / "posts" / "2025-03-10-baru.md"
    post.write_text("---\ntitle: Berita Baru\ncategory: berita\n---\n\nBaru.\n")
    _build(config)
    assert (stray / "index.html").read_text() == "old"
    assert (tmp_path / "output" / "kim-a" / "index.html").is_file()  # KIM folders are kept


def test_a_no_op_build_leaves_the_hub_untouched_and_a_new_day_refreshes_it(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(2), "kim-b": good_posts(1)})
    _build(config)
    home = tmp_path / "output" / "index.html"
    first = home.stat().st_mtime_ns
    _build(config)
    assert home.stat().st_mtime_ns == first  # nothing changed: not even rewritten
    _build(config, "2026-11-23")  # the dashboard and the weekly digest depend on the day
    assert "2026-11-23" in (tmp_path / "output" / "dasbor" / "aktivitas.json").read_text()
    assert home.stat().st_mtime_ns == first  # the same bytes: only changed hub files are written


def test_an_incremental_build_equals_a_clean_build_of_the_same_input(tmp_path: Path) -> None:
    """Kept hub pages (rendered from the same inputs) and kept sites leave no trace: after a
    new post, a removed post, a changed one and a changed profile, the output is byte for
    byte a fresh build's."""
    hub = "hub:\n  posts_per_page: 3\n  per_kim_cap: 2\n  feed_items: 3\n"
    kims = {"kim-a": good_posts(6), "kim-b": good_posts(4), "kim-c": good_posts(2)}
    config = write_regency(tmp_path / "kept", kims, config_extra=hub)
    _build(config)
    posts = tmp_path / "kept" / "content"
    (posts / "kim-b" / "posts" / "2025-09-10-baru.md").write_text("---\ntitle: Baru\ncategory: berita\n---\n\nBaru.\n")
    (posts / "kim-a" / "posts" / "2025-02-10-berita-2.md").unlink()
    changed = posts / "kim-c" / "posts" / "2025-01-10-berita-1.md"
    changed.write_text(changed.read_text().replace("Berita 1", "Berita Satu"))
    (posts / "kim-a" / "profile.yaml").write_text("name: KIM Alfa\n")  # the default author of its posts
    _build(config)
    shutil.copytree(posts, tmp_path / "fresh" / "content")
    shutil.copy(config, tmp_path / "fresh" / "sites.yaml")
    _build(tmp_path / "fresh" / "sites.yaml")
    assert tree(tmp_path / "kept" / "output") == tree(tmp_path / "fresh" / "output")
    output = tmp_path / "kept" / "output"  # the manifest put together from parts is what the folder holds
    assert plan.load_manifest((output / plan.BUILD_MANIFEST).read_bytes())[0] == plan.scan(output)


def test_a_new_post_leaves_the_older_hub_pages_as_they_were(tmp_path: Path) -> None:
    """Hub lists are numbered from the oldest: a new post rewrites the front page and the newest
    numbered page; the older pages keep their bytes and are not even written again, also when
    the new post starts a page (the page before already linked its number, a redirect till then)."""
    hub = "hub:\n  posts_per_page: 2\n  per_kim_cap: 2\n  feed_items: 2\n"
    config = write_regency(tmp_path, {"kim-a": good_posts(7), "kim-b": good_posts(3)}, config_extra=hub)
    _build(config)
    output = tmp_path / "output"
    pages = sorted(output.glob("halaman/*/index.html"), key=lambda p: int(p.parent.name))
    assert len(pages) == 6 and 'http-equiv=refresh' in pages[-1].read_text()  # page 6: to the front, for now
    pages = pages[:-1]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pages}
    (tmp_path / "content" / "kim-b" / "posts" / "2025-09-10-baru.md").write_text(
        "---\ntitle: Paling Baru\ncategory: berita\n---\n\nBaru.\n")
    _build(config)
    assert "Paling Baru" in (output / "index.html").read_text()
    after = sorted(output.glob("halaman/*/index.html"), key=lambda p: int(p.parent.name))
    assert len(after) == 7 and "Paling Baru" in after[-2].read_text()  # a sixth page holds it; 7 redirects
    for page in pages:  # pages 1-5: untouched, page 5 too (it linked page 6 already)
        assert (page.read_bytes(), page.stat().st_mtime_ns) == before[page]


def test_a_post_that_starts_a_kim_list_page_leaves_the_page_before_as_it_was(tmp_path: Path) -> None:
    """A KIM's numbered pages, as the hub's: the page before the newest links the newest's number
    for "newer" (a redirect to the front page until it is written), so it keeps its bytes."""
    config = write_regency(tmp_path, {"kim-a": good_posts(4)}, config_extra="build:\n  posts_per_page: 2\n")
    _build(config)
    site = tmp_path / "output" / "kim-a" / "halaman"
    first = (site / "1" / "index.html").read_bytes()
    assert b"http-equiv=refresh" in (site / "2" / "index.html").read_bytes()  # not written yet
    (tmp_path / "content" / "kim-a" / "posts" / "2025-09-10-baru.md").write_text(
        "---\ntitle: Paling Baru\ncategory: berita\n---\n\nBaru.\n")
    _build(config)
    assert b"http-equiv=refresh" not in (site / "2" / "index.html").read_bytes()  # filled: written now
    assert b"http-equiv=refresh" in (site / "3" / "index.html").read_bytes()
    assert (site / "1" / "index.html").read_bytes() == first


def test_a_new_day_renders_only_the_hub_pages_the_day_changes(tmp_path: Path) -> None:
    """The day is not part of the hub's generation: the dashboard, the digest and the agenda
    are rendered again on a new day, the news lists are kept, and the result is a fresh build's."""
    hub = "hub:\n  posts_per_page: 2\n  per_kim_cap: 2\n  feed_items: 2\n"
    kims = {"kim-a": good_posts(5), "kim-b": good_posts(2)}
    config = write_regency(tmp_path / "kept", kims, config_extra=hub)
    _build(config)
    output = tmp_path / "kept" / "output"
    page = output / "halaman" / "1" / "index.html"
    stamp = page.stat().st_mtime_ns
    _build(config, "2026-12-24")
    assert page.stat().st_mtime_ns == stamp  # the oldest news page: not even written again
    assert "2026-12-24" in (output / "dasbor" / "aktivitas.json").read_text()
    shutil.copytree(tmp_path / "kept" / "content", tmp_path / "fresh" / "content")
    shutil.copy(config, tmp_path / "fresh" / "sites.yaml")
    _build(tmp_path / "fresh" / "sites.yaml", "2026-12-24")
    assert tree(output) == tree(tmp_path / "fresh" / "output")


def test_two_builds_at_once_never_corrupt_a_site(tmp_path: Path) -> None:
    """Both builds run through the real command line at the same moment: the second waits for
    the project's build lock, and the output is whole and the same as a single build's."""
    import subprocess
    import sys

    config = write_regency(tmp_path, {"kim-a": good_posts(3), "kim-b": good_posts(2)})
    args = [sys.executable, "-m", "kimsite", "build", "--config", str(config), "--build-date", BUILD_DATE]
    first, second = (subprocess.Popen(args, stderr=subprocess.PIPE, text=True) for _ in range(2))
    outputs = [p.communicate(timeout=300)[1] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert any("menunggu" in text for text in outputs)  # one of them waited for the other
    together = tree(tmp_path / "output")
    shutil.rmtree(tmp_path / "output")
    shutil.rmtree(tmp_path / ".kimsite-cache")
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    alone = tree(tmp_path / "output")
    assert together == alone
