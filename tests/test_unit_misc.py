"""Unit tests of the small pure modules: regions, i18n, yamlsrc, outputs, sitemaps, images."""

from __future__ import annotations

import io
import os
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from kimsite.output import forked
from kimsite.output.compress import write_with_twins
from kimsite.output.files import Folders, GuardedWriter, UnsafePath, build_manifest, write_file
from kimsite.read import regions
from kimsite.read.files import inside
from kimsite.read.yamlsrc import YamlProblem, decode_utf8, parse_yaml
from kimsite.site import i18n
from kimsite.site.images import ImagePolicy, encode_logo, encode_photo_set
from kimsite.site.sitemaps import render_robots, render_sitemap

GPS_IFD = 0x8825
MAKE = 0x010F
ORIENTATION = 0x0112


# --------------------------------------------------------------------------- regions

@pytest.mark.parametrize(("regency", "title"), [
    ("34.01", "Kapanewon"),   # Kulon Progo, DIY
    ("34.04", "Kapanewon"),   # Sleman, DIY
    ("34.71", "Kemantren"),   # Kota Yogyakarta
    ("35.73", "Kecamatan"),   # Kota Malang
    ("35.07", "Kecamatan"),   # Kabupaten Malang
    ("91.03", "Distrik"),     # Papua
    ("94.01", "Distrik"),     # Papua Pegunungan
])
def test_district_title(regency: str, title: str) -> None:
    assert regions.district_title(regency) == title


@pytest.mark.parametrize(("village", "title"), [
    ("34.01.01.2004", "Kalurahan"),
    ("34.01.02.1008", "Kelurahan"),
    ("34.71.01.1001", "Kelurahan"),
    ("35.73.01.1001", "Kelurahan"),
    ("35.07.01.2001", "Desa"),
    ("91.03.01.2001", "Kampung"),
    ("91.03.01.1001", "Kelurahan"),
    ("51.01.01.3001", "Desa Adat"),
])
def test_village_title(village: str, title: str) -> None:
    assert regions.village_title(village) == title


def test_code_helpers() -> None:
    assert regions.district_code("34.01.01.2004") == "34.01.01"
    assert regions.regency_code("34.01.01.2004") == "34.01"
    assert regions.VILLAGE_CODE.match("34.01.01.2004")
    assert not regions.VILLAGE_CODE.match("34.1.01.2004")


REGION_CSV = """code,name,level
34,Daerah Istimewa Yogyakarta,province
34.01,Kabupaten Kulon Progo,regency
34.01.01,Temon,district
34.01.01.2004,Glagah,village
34.01.02,Wates,district
34.01.02.1008,Wates,village
34.02,Kabupaten Bantul,regency
34.02.01,Srandakan,district
34.02.01.2001,Poncosari,village
34.71,Kota Yogyakarta,regency
34.71.01.1001,Suryodiningratan,village
35,Jawa Timur,province
35.07,Kabupaten Malang,regency
"""


@pytest.fixture
def region_csv(tmp_path: Path) -> Path:
    path = tmp_path / "wilayah.csv"
    path.write_text(REGION_CSV, encoding="utf-8")
    return path


def test_region_table_prefix_keeps_province_regency_and_below(region_csv: Path) -> None:
    table = regions.read_region_table(region_csv, ("34.01",))
    assert sorted(table.regions) == ["34", "34.01", "34.01.01", "34.01.01.2004", "34.01.02", "34.01.02.1008"]
    assert table.get("34").level == "province"
    assert table.get("34.02") is None and table.get("35") is None


def test_region_table_without_prefix_keeps_all(region_csv: Path) -> None:
    assert len(regions.read_region_table(region_csv).regions) == REGION_CSV.count("\n") - 1


def test_region_table_queries(region_csv: Path) -> None:
    table = regions.read_region_table(region_csv, ("34.01",))
    assert [r.name for r in table.districts_of("34.01")] == ["Temon", "Wates"]
    assert [r.code for r in table.villages_of("34.01.01")] == ["34.01.01.2004"]
    assert [r.code for r in table.villages_of("34.01")] == ["34.01.01.2004", "34.01.02.1008"]


# --------------------------------------------------------------------------- i18n

def test_long_date_indonesian() -> None:
    assert i18n.long_date(date(2021, 12, 14), "id") == "Selasa, 14 Desember 2021"


def test_long_date_english() -> None:
    assert i18n.long_date(date(2021, 12, 14), "en") == "Tuesday, 14 December 2021"


def test_date_time_names_the_zone() -> None:
    when = datetime(2021, 12, 14, 9, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    assert i18n.date_time(when, "id") == "Selasa, 14 Desember 2021 09.30 WITA"


def test_short_date_and_month_year() -> None:
    assert i18n.short_date(date(2021, 12, 14), "id") == "14 Des 2021"
    assert i18n.month_year(date(2021, 8, 1), "id") == "Agustus 2021"
    assert i18n.month_year(date(2021, 8, 1), "en") == "August 2021"


def test_ui_text_has_same_keys_in_both_languages() -> None:
    assert set(i18n.ui_text("id")) == set(i18n.ui_text("en"))
    assert i18n.ui_text("id")["home"] == "Beranda" and i18n.ui_text("en")["home"] == "Home"


def test_ui_text_is_a_copy() -> None:
    i18n.ui_text("id")["home"] = "diubah"
    assert i18n.ui_text("id")["home"] == "Beranda"


# --------------------------------------------------------------------------- yamlsrc

NESTED = """regency:
  name: Kulon Progo
  code: "34.01"
kims:
  - slug: kim-a
    name: A
  - slug: kim-b
"""


def test_parse_yaml_line_index() -> None:
    data, index = parse_yaml(NESTED, "sites.yaml")
    assert data["kims"][1]["slug"] == "kim-b"
    assert index.line_of(("regency",)) == 1
    assert index.line_of(("regency", "code")) == 3
    assert index.line_of(("kims", 0)) == 5
    assert index.line_of(("kims", 0, "name")) == 6
    assert index.line_of(("kims", 1, "slug")) == 7


def test_line_of_falls_back_to_nearest_ancestor() -> None:
    _data, index = parse_yaml(NESTED, "sites.yaml")
    assert index.line_of(("kims", 1, "village_code")) == 7
    assert index.line_of(("regency", "base_url")) == 1


def test_line_offset_is_added() -> None:
    _data, index = parse_yaml("title: X\ncategory: berita\n", "post.md", line_offset=1)
    assert index.line_of(("category",)) == 3


def test_syntax_error_names_line() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "x.yaml")
    problem = caught.value.problem
    assert problem.line == 2 and problem.path == "x.yaml"
    assert problem.message.en.startswith("invalid YAML")


def test_syntax_error_line_never_past_the_end() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml('a: 1\nb: "tidak ditutup\n', "x.yaml")
    assert caught.value.problem.line == 2


def test_duplicate_key_names_second_line() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\n", "x.yaml", line_offset=10)
    problem = caught.value.problem
    assert (problem.key, problem.line) == ("c", 14)


def test_empty_document() -> None:
    data, index = parse_yaml("", "x.yaml")
    assert data is None and index.line_of(("a",)) is None


def test_decode_utf8_strips_bom_and_names_bad_line() -> None:
    assert decode_utf8("\ufeffa: 1\n".encode(), "x") == "a: 1\n"
    with pytest.raises(YamlProblem) as caught:
        decode_utf8(b"a: 1\nb: 2\nc: \x96\n", "x")
    assert caught.value.problem.line == 3


def test_impossible_date_is_a_yaml_problem() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("sk:\n  date: 2024-02-30\n", "profile.yaml")
    assert caught.value.problem.line == 2


# --------------------------------------------------------------------------- outputs

@pytest.mark.parametrize("bad", ["../x", "/etc/x", "a/../../x", "", "a/../b"])
def test_guarded_writer_refuses_paths_leaving_root(tmp_path: Path, bad: str) -> None:
    writer = GuardedWriter(tmp_path / "out")
    with pytest.raises(UnsafePath):
        writer.write(bad, b"x")
    assert not (tmp_path / "x").exists()


def test_guarded_writer_refuses_symlink_escape(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path / "outside")
    with pytest.raises(UnsafePath):
        GuardedWriter(tmp_path / "out").write("link/x.html", b"x")
    assert not (tmp_path / "outside" / "x.html").exists()


def test_folders_make_each_folder_once_and_refuse_what_leaves_the_root(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path / "outside")
    (tmp_path / "out" / "inner").mkdir()
    (tmp_path / "out" / "alias").symlink_to(tmp_path / "out" / "inner")
    folders = Folders(tmp_path / "out")
    target = folders.target("s/abc/index.html")
    assert target == (tmp_path / "out" / "s" / "abc" / "index.html").resolve() and target.parent.is_dir()
    assert folders.target("alias/x.html") == (tmp_path / "out" / "inner" / "x.html").resolve()  # a link inside
    for bad in ("link/x.html", "link/deeper/x.html", "../x.html", "/etc/x"):
        with pytest.raises(UnsafePath):
            folders.target(bad)
    assert not list((tmp_path / "outside").iterdir())


def test_folders_know_which_folders_they_made(tmp_path: Path) -> None:
    """A folder the writer made holds nothing of an earlier build: its files are written without
    a rename and no stale twin is looked for there; in a folder that was there, a stale twin goes."""
    (tmp_path / "out" / "old").mkdir(parents=True)
    (tmp_path / "out" / "old" / "page.html.br").write_bytes(b"stale")
    (tmp_path / "out" / "file").write_bytes(b"not a folder")
    folders = Folders(tmp_path / "out")
    page = b"<p>" + b"kabar desa " * 200 + b"</p>"
    new = write_with_twins(folders, "new/deeper/page.html", page, ("gz",))
    old = write_with_twins(folders, "old/page.html", page, ("gz",))
    assert folders.fresh("new/deeper/page.html") and folders.fresh("new/x.html") and not folders.fresh("old/page.html")
    assert [rel for rel, _sha, _size in new] == ["new/deeper/page.html", "new/deeper/page.html.gz"]
    assert [rel for rel, _sha, _size in old] == ["old/page.html", "old/page.html.gz"]
    assert not (tmp_path / "out" / "old" / "page.html.br").exists()  # the twin of a format no longer made
    assert sorted(p.name for p in (tmp_path / "out" / "old").iterdir()) == ["page.html", "page.html.gz"]
    assert (tmp_path / "out" / "new" / "deeper" / "page.html").read_bytes() == page
    with pytest.raises(FileExistsError):
        folders.target("file/x.html")


def test_write_file_replaces_a_file_and_refuses_a_symlink(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    write_file(path, b"lama")
    write_file(path, b"baru")
    assert path.read_bytes() == b"baru"
    with pytest.raises(FileExistsError):
        write_file(path, b"x", new=True)
    (tmp_path / "secret").write_bytes(b"rahasia")
    (tmp_path / "link").symlink_to(tmp_path / "secret")
    with pytest.raises(OSError):
        write_file(tmp_path / "link", b"ditimpa")
    assert (tmp_path / "secret").read_bytes() == b"rahasia"


def test_guarded_writer_writes_nested_file(tmp_path: Path) -> None:
    writer = GuardedWriter(tmp_path)
    writer.write("2025/03/panen/index.html", b"<p>ok</p>")
    assert (tmp_path / "2025/03/panen/index.html").read_bytes() == b"<p>ok</p>"


def test_guarded_writer_refuses_second_write(tmp_path: Path) -> None:
    writer = GuardedWriter(tmp_path)
    writer.write("index.html", b"first")
    with pytest.raises(UnsafePath):
        writer.write("index.html", b"second")
    assert (tmp_path / "index.html").read_bytes() == b"first"


def test_guarded_writer_refuses_second_write_under_another_spelling(tmp_path: Path) -> None:
    writer = GuardedWriter(tmp_path)
    writer.write("index.html", b"first")
    with pytest.raises(UnsafePath):
        writer.write("./index.html", b"second")


def test_inside(tmp_path: Path) -> None:
    (tmp_path / "kim" / "posts").mkdir(parents=True)
    assert inside(tmp_path / "kim" / "posts" / "a.jpg", tmp_path / "kim")
    assert not inside(tmp_path / "kim" / "posts" / ".." / ".." / "b.jpg", tmp_path / "kim")


def test_build_manifest(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_bytes(b"abc")
    (tmp_path / "a.txt").write_bytes(b"")
    manifest = build_manifest(tmp_path)
    assert list(manifest) == ["a.txt", "b/x.txt"]
    assert manifest["b/x.txt"] == {
        "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "size": 3}


# --------------------------------------------------------------------------- sitemaps

def test_sitemap_sorted_deduplicated_with_lastmod() -> None:
    when = datetime(2025, 3, 14, 23, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    data = render_sitemap([("https://k.example/b/", when), ("https://k.example/a/?x=1&y=2", None),
                           ("https://k.example/b/", when)]).decode()
    assert data.splitlines()[2:4] == [
        "<url><loc>https://k.example/a/?x=1&amp;y=2</loc></url>",
        "<url><loc>https://k.example/b/</loc><lastmod>2025-03-14</lastmod></url>",
    ]
    assert data.count("<url>") == 2
    assert 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' in data


def test_robots_points_at_sitemap() -> None:
    text = render_robots("https://k.example/sitemap.xml").decode()
    assert "User-agent: *" in text
    assert text.endswith("Sitemap: https://k.example/sitemap.xml\n")


# --------------------------------------------------------------------------- images

def _jpeg_with_exif(path: Path, size: tuple[int, int], *, gps: bool = False, orientation: int | None = None) -> Path:
    exif = Image.Exif()
    exif[MAKE] = "ContohKamera"
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        ifd = exif.get_ifd(GPS_IFD)
        ifd[1] = "S"
        ifd[2] = (7.0, 54.0, 37.8)
        ifd[3] = "E"
        ifd[4] = (110.0, 4.0, 16.3)
    image = Image.new("RGB", size, (200, 60, 40))
    image.paste((30, 90, 200), (0, 0, size[0] // 2, size[1] // 2))  # top-left quarter blue
    image.save(path, "JPEG", exif=exif)
    return path


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_gps_fixture_really_carries_gps(tmp_path: Path) -> None:
    source = _jpeg_with_exif(tmp_path / "gps.jpg", (400, 300), gps=True)
    with Image.open(source) as image:
        exif = image.getexif()
    assert exif.get_ifd(GPS_IFD) and exif[MAKE] == "ContohKamera"


def test_encoding_strips_gps_and_camera(tmp_path: Path) -> None:
    source = _jpeg_with_exif(tmp_path / "gps.jpg", (400, 300), gps=True)
    files = encode_photo_set(source, "gps.jpg", ImagePolicy(), share=True)
    assert {"w360x270.jpg", "w360x270.webp", "w400x300.jpg", "w400x300.webp", "share.jpg", "thumb.webp"} == set(files)
    for name, data in files.items():
        image = _open(data)
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD), name
        assert GPS_IFD not in exif and MAKE not in exif, name
        assert "exif" not in image.info, name


def test_orientation_6_is_applied(tmp_path: Path) -> None:
    source = _jpeg_with_exif(tmp_path / "rot.jpg", (200, 100), orientation=6)
    files = encode_photo_set(source, "rot.jpg", ImagePolicy(), share=False)
    assert set(files) == {"w100x200.jpg", "w100x200.webp"}
    image = _open(files["w100x200.jpg"])
    assert image.size == (100, 200)
    assert ORIENTATION not in image.getexif()
    # rotated 90° clockwise: the blue top-left quarter is now top-right
    red, green, blue = image.convert("RGB").getpixel((75, 25))
    assert blue > red


def test_large_photo_is_capped_and_never_upscaled(tmp_path: Path) -> None:
    source = _jpeg_with_exif(tmp_path / "big.jpg", (3000, 2000))
    policy = ImagePolicy()
    files = encode_photo_set(source, "big.jpg", policy, share=False)
    sizes = sorted(_open(data).size for name, data in files.items() if name.endswith(".jpg"))
    assert sizes == [(360, 240), (720, 480), (1080, 720)]
    assert max(w for w, _h in sizes) == max(policy.widths) <= 1280


def test_share_image_is_1200x630(tmp_path: Path) -> None:
    source = _jpeg_with_exif(tmp_path / "s.jpg", (1600, 1200))
    share = _open(encode_photo_set(source, "s.jpg", ImagePolicy(), share=True)["share.jpg"])
    assert share.size == (1200, 630) and share.format == "JPEG"


def test_logo_is_the_size_shown_as_webp_under_3_kb(tmp_path: Path) -> None:
    source = tmp_path / "logo.png"
    noisy = Image.effect_noise((800, 400), 90).convert("RGBA")  # a logo that compresses badly
    noisy.paste((0, 0, 0, 0), (0, 0, 200, 400))  # with a transparent part, which it keeps
    noisy.save(source)
    data = encode_logo(source, "logo.png", ImagePolicy())["logo.webp"]
    logo = _open(data)
    assert logo.format == "WEBP" and logo.size == (80, 40) and logo.mode == "RGBA"
    assert len(data) <= 3_000


def test_unreadable_photo_is_a_problem(tmp_path: Path) -> None:
    from kimsite.site.images import ImageProblem

    source = tmp_path / "bukan.jpg"
    source.write_bytes(b"bukan foto")
    with pytest.raises(ImageProblem) as caught:
        encode_photo_set(source, "posts/bukan.jpg", ImagePolicy(), share=False)
    assert caught.value.problem.path == "posts/bukan.jpg"
    assert "JPEG" in caught.value.problem.hint.en


def publish(out: Path, files: dict[str, bytes], generation: str = "", keys: dict[str, str] | None = None,
            weigh: object = None, keep: frozenset[str] = frozenset()) -> object:
    """Publish `files` through a PublishingWriter (a file whose key is reusable is kept, not written)."""
    from kimsite.output.publish import Memo, Publisher, PublishingWriter

    publisher = Publisher(Memo(out, generation), ("gz",), weigh)
    writer = PublishingWriter(publisher)
    for rel, data in files.items():
        if not writer.reuse(rel, (keys or {}).get(rel, "")):
            writer.write(rel, data, key=(keys or {}).get(rel, ""))
    return publisher.finish(keep)


def test_publish_writes_only_what_changed_and_removes_what_is_gone(tmp_path: Path) -> None:
    import gzip

    out = tmp_path / "out"
    out.mkdir()
    (out / "kim-a").mkdir()  # a KIM site: kept
    (out / "lama").mkdir()  # not in the publish record: kimsite did not make it, so it stays
    feed = b"<rss>" + b"<item>berita</item>" * 100 + b"</rss>"  # twins from 1,400 bytes: this one has them
    files = {"index.html": b"<p>satu</p>", "s/ab/index.html": b"<p>x</p>", "rss.xml": feed}
    first = publish(out, files, keep=frozenset({"kim-a"}))
    assert sorted(first.changed) == ["index.html", "rss.xml", "s/ab/index.html"]
    assert gzip.decompress((out / "rss.xml.gz").read_bytes()) == feed
    assert not (out / "index.html.gz").exists()  # 18 bytes: no twin (one TCP segment either way)
    assert (out / "kim-a").is_dir() and (out / "lama").is_dir()
    stamp = (out / "rss.xml").stat().st_mtime_ns
    second = publish(out, {"index.html": b"<p>dua</p>", "rss.xml": feed}, keep=frozenset({"kim-a"}))
    assert second.changed == ["index.html"] and second.removed == ["s/ab/index.html"]
    assert (out / "rss.xml").stat().st_mtime_ns == stamp  # unchanged: not rewritten
    assert not (out / "s").exists()  # its files, twins and empty folders are gone
    assert "dua" in (out / "index.html").read_text() and not (out / "index.html.br").exists()


def test_a_page_rendered_from_the_same_key_is_kept_within_one_generation(tmp_path: Path) -> None:
    from kimsite.output.budgets import PageWeight
    from kimsite.output.publish import Memo

    out = tmp_path / "out"
    out.mkdir()

    def weigh(rel: str, html: bytes) -> PageWeight:
        return PageWeight(rel, len(html), 0, 0)

    page = b"<p>a</p>" * 200  # with twins (over 1,400 bytes)
    publish(out, {"a/index.html": page}, "g1", {"a/index.html": "k1"}, weigh)
    result = publish(out, {"a/index.html": b"<p>never rendered</p>"}, "g1", {"a/index.html": "k1"}, weigh)
    assert result.changed == [] and [w.path for w in result.weights] == ["a/index.html"]  # its weight is kept too
    assert (out / "a" / "index.html").read_bytes() == page
    assert '"a/index.html.gz"' in result.chunks["a/index.html"]  # and its manifest entries
    assert not Memo(out, "g2").reusable("a/index.html", "k1")  # a new theme, config, code or day renders again
    (out / "a" / "index.html").unlink()
    assert not Memo(out, "g1").reusable("a/index.html", "k1")  # a file gone from the disk is rendered again


def test_the_publish_record_reads_back_as_saved_and_a_broken_one_as_none(tmp_path: Path) -> None:
    from kimsite import cachefile
    from kimsite.output.budgets import PageWeight
    from kimsite.output.publish import STATE, Entry, Memo

    entries = {"a/index.html": Entry("d1", "k1", PageWeight("a/index.html", 10, 2, 3, 1), ("a/index.html",), "g"),
               "a/feed.xml": Entry("d2")}
    Memo(tmp_path, "g1").save(entries, {"g": "k"}, {})
    again = Memo(tmp_path, "g1")
    assert again.entries == entries and again.entries["a/index.html"].weight.thumbs == 1 and again.groups == {"g": "k"}
    state = cachefile.read(tmp_path / STATE)
    cachefile.write(tmp_path / STATE, {**state, "files": {"a/index.html": ("d1", "k1")}})  # a row cut short
    broken = Memo(tmp_path, "g1")
    assert broken.entries == {} and not broken.same_generation  # no record: everything is published afresh


def test_the_publishing_writer_refuses_paths_outside_the_output_and_second_writes(tmp_path: Path) -> None:
    from kimsite.output.publish import Memo, Publisher, PublishingWriter

    writer = PublishingWriter(Publisher(Memo(tmp_path), ("gz",)))
    writer.write("a/index.html", b"<p>a</p>")
    for bad in ("../x.html", "/etc/x", "a/../../x"):
        with pytest.raises(UnsafePath):
            writer.write(bad, b"x")
    with pytest.raises(UnsafePath):
        writer.write("a//index.html", b"again")  # the same file, spelled another way


def test_precompress_takes_over_the_twins_of_unchanged_files_only(tmp_path: Path) -> None:
    import gzip

    from kimsite.output import compress

    old, new = tmp_path / "old", tmp_path / "new"
    long = "<p>kalimat berita</p>" * 100  # over 1,400 bytes: it gets twins
    for folder, changed in ((old, "lama"), (new, "baru")):
        folder.mkdir()
        (folder / "same.html").write_text(long)
        (folder / "changed.html").write_text(f"<p>{changed}</p>{long}")
        (folder / "small.html").write_text("<p>kecil</p>")
    compress.precompress_tree(old, ("gz", "br"))
    assert not (old / "small.html.gz").exists()  # a page in one TCP segment gets no twins
    assert compress.precompress_tree(new, ("gz", "br"), previous=old) == 2  # only changed.html compressed
    assert (new / "same.html.gz").stat().st_ino == (old / "same.html.gz").stat().st_ino  # linked, not redone
    assert gzip.decompress((new / "changed.html.gz").read_bytes()) == f"<p>baru</p>{long}".encode()
    (old / compress.SIGNATURE_FILE).write_text("brotli of another version\n")
    again = tmp_path / "again"
    again.mkdir()
    (again / "same.html").write_text(long)
    assert compress.precompress_tree(again, ("gz", "br"), previous=old) == 2  # made another way: not taken over


def test_gzip_twins_have_a_fixed_header_on_every_python() -> None:
    import gzip

    from kimsite.output.compress import ENCODERS

    data = b"<p>Kabar desa</p>" * 50
    twin = ENCODERS["gz"](data)
    assert twin[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"  # no mtime, no level flag, OS 3: not the machine's
    assert gzip.decompress(twin) == data


def test_forked_hands_back_the_result_and_the_childs_error_with_its_traceback() -> None:
    parent = os.getpid()
    with forked.beside(lambda: (os.getpid(), [n * n for n in range(5)])) as result:
        pid, squares = result()
    assert pid != parent and squares == [0, 1, 4, 9, 16]

    def broken() -> None:
        raise ValueError("kabar rusak")

    with pytest.raises(ValueError, match="kabar rusak") as caught, forked.beside(broken) as result:
        result()
    assert any("in the second process" in note and "broken" in note for note in caught.value.__notes__)


def test_forked_child_is_stopped_when_the_parent_fails(tmp_path: Path) -> None:
    """A child still working when the parent's block fails is killed and reaped, not left behind."""
    mark = tmp_path / "pid"

    def slow() -> None:
        mark.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(60)

    with pytest.raises(RuntimeError, match="induk"), forked.beside(slow):
        for _ in range(500):
            if mark.exists() and mark.read_text(encoding="utf-8"):
                break
            time.sleep(0.01)
        raise RuntimeError("induk gagal")
    with pytest.raises(ProcessLookupError):
        os.kill(int(mark.read_text(encoding="utf-8")), 0)


def test_the_spare_worker_started_ahead_is_taken_once_or_terminated() -> None:
    from kimsite.build import spare

    with spare.ahead(2):
        pool = spare._STARTED[0]
        assert spare.take(2) is pool and not spare._STARTED  # the build of one site takes it
    pool.terminate()
    with spare.ahead(2):
        unused = spare._STARTED[0]
    assert not spare._STARTED and not any(p.is_alive() for p in unused._pool)  # left unused: terminated
    with spare.ahead(2):
        dropped = spare._STARTED[0]
        assert spare.take(1) is None and not any(p.is_alive() for p in dropped._pool)  # `workers: 1`
    with spare.ahead(1):
        assert not spare._STARTED  # one core: none
