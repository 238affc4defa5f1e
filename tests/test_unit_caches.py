"""Unit tests of the build caches that make a one-post build cheap: rendered Markdown by text,
profiles by their bytes, and hub file groups kept whole. Each must never serve stale output."""

from __future__ import annotations

from pathlib import Path

import pytest

from kimsite.output.publish import Memo, Publisher, PublishingWriter
from kimsite.read.markup import MarkupRenderer, RenderCache, Rendered
from kimsite.read.profiles import ProfileCache

TEXT = "Panen raya.\n\n![Sawah](sawah.jpg)\n"


class CountingRenderer:
    """The real renderer, counting its conversions."""

    def __init__(self) -> None:
        self.real, self.conversions = MarkupRenderer(), 0

    def render(self, text: str, resolver=None) -> Rendered:  # noqa: ANN001 - as MarkupRenderer.render
        self.conversions += 1
        return self.real.render(text, resolver)


def _cache(path: Path, version: str = "v1") -> tuple[RenderCache, CountingRenderer]:
    counting = CountingRenderer()
    return RenderCache(counting, path, version), counting


def test_rendered_markdown_is_reused_by_text_and_replays_the_image_lookups(tmp_path: Path) -> None:
    path = tmp_path / "markup.pickle"
    first, _ = _cache(path)
    found = first.render(TEXT, lambda src: f"https://kim/{src}")
    first.save()

    again, counting = _cache(path)
    looked_up: list[str] = []
    hit = again.render(TEXT, lambda src: looked_up.append(src) or f"https://kim/{src}")
    assert counting.conversions == 0 and hit == found  # not converted again
    assert looked_up == ["sawah.jpg"]  # the lookups are replayed: a post still collects its photos
    assert again.render("Berita lain.", None).html.startswith("<p>") and counting.conversions == 1


def test_a_photo_that_no_longer_resolves_renders_the_text_again(tmp_path: Path) -> None:
    path = tmp_path / "markup.pickle"
    first, _ = _cache(path)
    first.render(TEXT, lambda src: f"https://kim/{src}")
    first.save()
    again, counting = _cache(path)
    rendered = again.render(TEXT, lambda _src: None)  # the photo was removed
    assert counting.conversions == 1 and rendered.missing_images == ("sawah.jpg",)


def test_the_render_cache_keeps_only_what_the_last_build_used_and_only_for_its_version(tmp_path: Path) -> None:
    path = tmp_path / "markup.pickle"
    first, _ = _cache(path)
    first.render("Lama.", None)
    first.save()
    second, _ = _cache(path)
    second.render("Baru.", None)
    second.save()
    third, counting = _cache(path)
    third.render("Lama.", None)  # a removed post's text is not kept
    assert counting.conversions == 1
    other, counting = _cache(path, version="v2")  # another kimsite: nothing is reused
    other.render("Baru.", None)
    assert counting.conversions == 1


def _profile_dir(root: Path, text: str) -> Path:
    folder = root / "content" / "kim-a"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profile.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_profile_is_read_again_when_its_file_changes_and_its_warnings_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "profiles.pickle"
    folder = _profile_dir(tmp_path, 'name: KIM Alfa\ncolor: "#ffff00"\n')
    first = ProfileCache(path, "v1")
    profile, problems = first.load(folder, tmp_path, ("", ""))
    first.save()
    assert profile is not None and profile.name == "KIM Alfa" and len(problems) == 1  # too light a colour

    cached, again = ProfileCache(path, "v1").load(folder, tmp_path, ("", ""))
    assert cached == profile and again == problems  # the warning is reported on every build
    _profile_dir(tmp_path, "name: KIM Beta\n")
    changed, problems = ProfileCache(path, "v1").load(folder, tmp_path, ("", ""))
    assert changed is not None and changed.name == "KIM Beta" and problems == []


def test_a_cached_profile_whose_logo_is_gone_is_an_error_again(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "profiles.pickle"
    folder = _profile_dir(tmp_path, "name: KIM Alfa\nlogo: logo.png\n")
    (folder / "logo.png").write_bytes(b"png")
    first = ProfileCache(path, "v1")
    assert first.load(folder, tmp_path, ("", ""))[0] is not None
    first.save()
    (folder / "logo.png").unlink()
    profile, problems = ProfileCache(path, "v1").load(folder, tmp_path, ("", ""))
    assert profile is None and problems[0].is_error and problems[0].key == "logo"


def _publish_group(out: Path, files: dict[str, bytes], key: str, generation: str = "g1") -> list[str]:
    """Publish `files` as one group made from `key`; return what the body had to write."""
    publisher = Publisher(Memo(out, generation), ("gz",))
    writer = PublishingWriter(publisher)
    written = []
    with writer.group("list:berita/", key) as kept:
        for rel, data in () if kept else files.items():
            writer.write(rel, data)
            written.append(rel)
    publisher.finish(frozenset())
    return written


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_a_group_made_from_the_same_key_is_kept_whole_and_a_new_key_writes_it(out: Path) -> None:
    files = {"berita/index.html": b"<p>1</p>", "berita/halaman/1/index.html": b"<p>2</p>"}
    assert len(_publish_group(out, files, "k1")) == 2
    assert _publish_group(out, {}, "k1") == []  # kept: nothing written, nothing removed
    assert (out / "berita" / "halaman" / "1" / "index.html").read_bytes() == b"<p>2</p>"
    assert len(_publish_group(out, files, "k2")) == 2  # other posts: written again
    assert len(_publish_group(out, files, "k2", generation="g2")) == 2  # another day or theme: written again


def test_a_group_whose_folder_was_deleted_by_hand_is_written_again(out: Path) -> None:
    import shutil

    files = {"berita/index.html": b"<p>1</p>", "berita/halaman/1/index.html": b"<p>2</p>"}
    _publish_group(out, files, "k1")
    shutil.rmtree(out / "berita")
    assert len(_publish_group(out, files, "k1")) == 2
    assert (out / "berita" / "halaman" / "1" / "index.html").read_bytes() == b"<p>2</p>"


def test_a_digest_depends_on_values_not_on_which_objects_are_shared() -> None:
    import pickle

    from kimsite import cachefile

    one = "".join(["kabar"] * 20)
    shared, apart = (one, one), (one, "".join(["kabar"] * 20))
    assert pickle.dumps(shared, protocol=5) != pickle.dumps(apart, protocol=5)  # the memo tells them apart
    assert cachefile.digest(shared) == cachefile.digest(apart)
    assert cachefile.digest(shared) != cachefile.digest((one, one + "!"))
