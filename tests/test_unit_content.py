"""Unit tests of kimsite.read.content.load_posts and kimsite.read.profiles.load_profile on files in tmp_path."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kimsite.errors import Problem, Severity
from kimsite.models import DEFAULT_CATEGORIES
from kimsite.read.content import SUMMARY_LIMIT, PostSpec, PostsResult, load_posts
from kimsite.read.markup import MarkupRenderer
from kimsite.read.profiles import load_profile

WIB = ZoneInfo("Asia/Jakarta")
BUILD_TIME = datetime(2025, 6, 1, 12, 0, tzinfo=WIB)
GOOD = "---\ntitle: Baik\ncategory: berita\n---\n\nIsi yang baik.\n"


@pytest.fixture(scope="module")
def renderer() -> MarkupRenderer:
    return MarkupRenderer()


@pytest.fixture
def kim_dir(tmp_path: Path) -> Path:
    (tmp_path / "kim-a" / "posts").mkdir(parents=True)
    return tmp_path / "kim-a"


def spec_for(root: Path) -> PostSpec:
    return PostSpec(kim="kim-a", site_url="https://kim.example/kim-a/", timezone="Asia/Jakarta",
                    build_time=BUILD_TIME, categories=DEFAULT_CATEGORIES, default_author="KIM A", root=root)


def write(kim_dir: Path, name: str, text: str | bytes) -> Path:
    path = kim_dir / "posts" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def post(meta: str, body: str = "Isi berita.\n") -> str:
    return f"---\n{meta}---\n\n{body}"


def load(kim_dir: Path, renderer: MarkupRenderer) -> PostsResult:
    return load_posts(kim_dir, spec_for(kim_dir.parent), renderer)


def only_post(kim_dir: Path, renderer: MarkupRenderer):
    result = load(kim_dir, renderer)
    assert result.problems == [], [p.render() for p in result.problems]
    assert len(result.posts) == 1
    return result.posts[0]


def published_with_warning(kim_dir: Path, renderer: MarkupRenderer, name: str, text: str | bytes):
    """Write an untidy post beside a good one: both are published, the untidy one with one warning."""
    write(kim_dir, "2025-01-01-baik.md", GOOD)
    write(kim_dir, name, text)
    result = load(kim_dir, renderer)
    assert len(result.posts) == 2, [p.render() for p in result.problems]
    assert len(result.problems) == 1, [p.render() for p in result.problems]
    problem = result.problems[0]
    assert problem.path == f"kim-a/posts/{name}" and not problem.is_error
    assert problem.message.id and problem.message.en and problem.message.id != problem.message.en
    assert problem.hint is not None and problem.hint.id != problem.hint.en
    return next(p for p in result.posts if p.slug != "baik"), problem


def single_problem(kim_dir: Path, renderer: MarkupRenderer, name: str, text: str | bytes) -> Problem:
    """Write a broken post beside a good one: the broken one is skipped, the good one kept."""
    write(kim_dir, "2025-01-01-baik.md", GOOD)
    write(kim_dir, name, text)
    result = load(kim_dir, renderer)
    assert [p.slug for p in result.posts] == ["baik"]
    assert len(result.problems) == 1, [p.render() for p in result.problems]
    problem = result.problems[0]
    assert problem.path == f"kim-a/posts/{name}"
    assert problem.is_error
    assert problem.message.id and problem.message.en and problem.message.id != problem.message.en
    assert problem.hint is not None and problem.hint.id != problem.hint.en
    return problem


# --------------------------------------------------------------------------- dates

def test_date_with_time(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-14-panen.md", post("title: Panen\ndate: 2025-03-14 09:30\ncategory: berita\n"))
    assert only_post(kim_dir, renderer).date == datetime(2025, 3, 14, 9, 30, tzinfo=WIB)


def test_date_only(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2024-01-01-panen.md", post("title: Panen\ndate: 2025-03-14\ncategory: berita\n"))
    assert only_post(kim_dir, renderer).date == datetime(2025, 3, 14, 0, 0, tzinfo=WIB)


def test_a_file_name_without_the_date_is_published_with_a_warning(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "panen.md", post("title: Panen\ndate: 2025-03-14\ncategory: berita\n"))
    result = load(kim_dir, renderer)
    assert [p.slug for p in result.posts] == ["panen"]
    [warning] = result.problems
    assert warning.severity == Severity.WARNING and warning.line == 1
    assert "nama berkas tidak diawali tanggal" in warning.render() and "2025-03-14-panen.md" in warning.render()


def test_yaml_datetime_with_seconds_is_local_time(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2024-01-01-panen.md", post("title: Panen\ndate: 2025-03-14 09:30:00\ncategory: berita\n"))
    result = only_post(kim_dir, renderer)
    assert result.date == datetime(2025, 3, 14, 9, 30, tzinfo=WIB)
    assert result.date.utcoffset().total_seconds() == 7 * 3600


def test_yaml_datetime_with_offset_is_converted(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2024-01-01-panen.md", post("title: Panen\ndate: 2025-03-14T02:30:00Z\ncategory: berita\n"))
    result = only_post(kim_dir, renderer)
    assert (result.date.hour, result.date.minute) == (9, 30)
    assert result.date.utcoffset().total_seconds() == 7 * 3600


def test_date_from_file_name_when_missing(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-10-rapat.md", post("title: Rapat\ncategory: berita\n"))
    assert only_post(kim_dir, renderer).date == datetime(2025, 3, 10, 0, 0, tzinfo=WIB)


def test_front_matter_date_wins_over_file_name(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-10-rapat.md", post("title: Rapat\ndate: 2025-02-03\ncategory: berita\n"))
    result = only_post(kim_dir, renderer)
    assert result.date.date().isoformat() == "2025-02-03"
    assert result.url_path == "2025/02/rapat/"


def test_day_month_year_date(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2024-01-01-rapat.md", post("title: Rapat\ndate: 14-03-2025\ncategory: berita\n"))
    assert only_post(kim_dir, renderer).date == datetime(2025, 3, 14, 0, 0, tzinfo=WIB)


def test_future_post_is_scheduled_not_published(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-01-01-baik.md", GOOD)
    write(kim_dir, "2025-07-01-nanti.md", post("title: Nanti\ncategory: berita\n"))
    result = load(kim_dir, renderer)
    assert [p.slug for p in result.posts] == ["baik"]
    assert (result.skips.scheduled, result.skips.drafts) == (1, 0)
    assert result.problems == []


def test_post_dated_exactly_at_build_time_is_published(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2024-01-01-sekarang.md", post("title: Sekarang\ndate: 2025-06-01 12:00\ncategory: berita\n"))
    assert only_post(kim_dir, renderer).slug == "sekarang"


def test_draft_is_counted_not_published(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-01-01-baik.md", GOOD)
    write(kim_dir, "2025-02-01-draf.md", post("title: Draf\ncategory: kategori-tak-dikenal\ndraft: true\n"))
    result = load(kim_dir, renderer)
    assert [p.slug for p in result.posts] == ["baik"]
    assert (result.skips.drafts, result.skips.scheduled) == (1, 0)
    assert result.problems == []


# --------------------------------------------------------------------------- problems

def test_missing_title(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md", post("date: 2025-03-01\ncategory: berita\n"))
    assert problem.key == "title"
    assert problem.line == 2
    assert "title" in problem.message.en and "wajib" in problem.message.id


def test_unreadable_date_falls_back_to_the_file_name(kim_dir: Path, renderer: MarkupRenderer) -> None:
    published, problem = published_with_warning(kim_dir, renderer, "2025-03-01-x.md",
                                                post("title: X\ncategory: berita\ndate: kemarin sore\n"))
    assert published.date == datetime(2025, 3, 1, tzinfo=WIB)
    assert problem.key == "date"
    assert problem.line == 4
    assert "kemarin sore" in problem.message.en and "2025-03-01" in problem.message.id
    assert "2025-03-14 09:30" in problem.hint.en


def test_unreadable_date_without_a_date_in_the_file_name(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "tanpa-tanggal.md",
                             post("title: X\ncategory: berita\ndate: kemarin sore\n"))
    assert problem.key == "date" and problem.line == 4 and "kemarin sore" in problem.message.en


def test_missing_date_without_date_in_file_name(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "tanpa-tanggal.md", post("title: X\ncategory: berita\n"))
    assert problem.key == "date"
    assert "missing" in problem.message.en


def test_unknown_category_publishes_in_the_default_and_lists_categories(kim_dir: Path,
                                                                        renderer: MarkupRenderer) -> None:
    published, problem = published_with_warning(kim_dir, renderer, "2025-03-01-x.md",
                                                post("title: X\ncategory: olahraga\n"))
    assert published.category.slug == "berita" and published.tags == ("olahraga",)
    assert problem.key == "category"
    assert problem.line == 3
    assert "olahraga" in problem.message.en
    for category in DEFAULT_CATEGORIES:
        assert category.slug in problem.hint.en and category.slug in problem.hint.id


def test_unknown_key_is_a_warning_with_did_you_mean(kim_dir: Path, renderer: MarkupRenderer) -> None:
    _published, problem = published_with_warning(kim_dir, renderer, "2025-03-01-x.md",
                                                 post("title: X\ncategory: berita\nsumary: Ringkas.\n"))
    assert problem.key == "sumary"
    assert problem.line == 4
    assert "did you mean 'summary'" in problem.hint.en


def test_missing_lead_image(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md",
                             post("title: X\ncategory: berita\nimage: hilang.jpg\nimage_alt: Sawah\n"))
    assert problem.key == "image"
    assert problem.line == 4
    assert "hilang.jpg" in problem.message.en


def test_lead_image_outside_kim_folder(kim_dir: Path, renderer: MarkupRenderer) -> None:
    other = kim_dir.parent / "other"
    other.mkdir()
    (other / "x.jpg").write_bytes(b"not really a jpeg")
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md",
                             post("title: X\ncategory: berita\nimage: ../../other/x.jpg\nimage_alt: Sawah\n"))
    assert problem.key == "image"
    assert problem.line == 4
    assert "outside" in problem.message.en


def test_lead_image_without_alt(kim_dir: Path, renderer: MarkupRenderer) -> None:
    (kim_dir / "posts" / "sawah.jpg").write_bytes(b"jpeg bytes")
    published, problem = published_with_warning(kim_dir, renderer, "2025-03-01-x.md",
                                                post("title: X\ncategory: berita\nimage: sawah.jpg\n"))
    assert published.image is not None and published.image.alt == "X"  # the title stands in
    assert problem.key == "image_alt"
    assert "image_alt" in problem.message.en and "image_alt" in problem.hint.en


def test_lead_image_without_alt_has_a_line(kim_dir: Path, renderer: MarkupRenderer) -> None:
    (kim_dir / "posts" / "sawah.jpg").write_bytes(b"jpeg bytes")
    _published, problem = published_with_warning(kim_dir, renderer, "2025-03-01-x.md",
                                                 post("title: X\ncategory: berita\nimage: sawah.jpg\n"))
    assert problem.line == 4


def test_missing_inline_image_names_body_line(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md",
                             post("title: X\ncategory: berita\n", "Paragraf.\n\n![Foto](hilang.jpg)\n"))
    assert problem.line == 8
    assert "hilang.jpg" in problem.message.en


def test_missing_raw_html_image(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md",
                             post("title: X\ncategory: berita\n", 'Foto <img src="hilang.jpg">.\n'))
    assert problem.line == 6
    assert "hilang.jpg" in problem.message.en


def test_windows_1252_is_read_with_a_warning_naming_the_line(kim_dir: Path, renderer: MarkupRenderer) -> None:
    raw = b"---\ntitle: Caf\xe9 desa\ncategory: berita\n---\n\nBaris baik.\nKata \x93kutip\x94 rusak.\n"
    published, problem = published_with_warning(kim_dir, renderer, "2025-03-01-x.md", raw)
    assert published.title == "Café desa" and "\u201ckutip\u201d" in published.html
    assert problem.line == 2
    assert "UTF-8" in problem.message.en and "Windows-1252" in problem.message.id


def test_binary_file_is_held_back(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md", b"---\ntitle: X\n---\n\x00\x01PK\x03\x04")
    assert "binary" in problem.message.en and problem.line == 4


def test_bad_yaml_line_counts_opening_dashes(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md",
                             post("title: X\ncategory: berita\ntags: [panen, padi\n"))
    assert problem.line == 4
    assert "invalid YAML" in problem.message.en


def test_no_front_matter(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md", "title: X\n\nIsi saja.\n")
    assert problem.line == 1
    assert "front matter" in problem.message.en
    assert "---" in problem.hint.en


def test_duplicate_key_in_front_matter(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md", post("title: X\ncategory: berita\ntitle: Y\n"))
    assert (problem.key, problem.line) == ("title", 4)


def test_every_schema_problem_of_one_post_is_reported(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-01-x.md", post("draft: mungkin\ntitel: X\n"))
    problems = load(kim_dir, renderer).problems
    assert {"title", "draft"} <= {p.key for p in problems if p.is_error}
    assert "titel" in {p.key for p in problems if not p.is_error}


def test_impossible_calendar_date_is_a_problem(kim_dir: Path, renderer: MarkupRenderer) -> None:
    problem = single_problem(kim_dir, renderer, "2025-03-01-x.md",
                             post("title: X\ncategory: berita\ndate: 2025-02-30\n"))
    assert problem.line == 4


def test_duplicate_slug_in_same_month(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-05-panen.md", post("title: Panen\ncategory: berita\n"))
    write(kim_dir, "2025-03-20-panen.md", post("title: Panen lagi\ncategory: berita\n"))
    result = load(kim_dir, renderer)
    assert [p.title for p in result.posts] == ["Panen"]
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.path == "kim-a/posts/2025-03-20-panen.md"
    assert "2025/03/panen/" in problem.message.en and "2025-03-05-panen.md" in problem.message.en


def test_same_slug_in_other_month_is_fine(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-05-panen.md", post("title: Panen\ncategory: berita\n"))
    write(kim_dir, "2025-04-05-panen.md", post("title: Panen lagi\ncategory: berita\n"))
    result = load(kim_dir, renderer)
    assert result.problems == []
    assert [p.url_path for p in result.posts] == ["2025/04/panen/", "2025/03/panen/"]


# --------------------------------------------------------------------------- the post model

def test_url_path_is_year_month_slug(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-14-Panen Raya Padi.md", post("title: Panen\ncategory: berita\n"))
    assert only_post(kim_dir, renderer).url_path == "2025/03/panen-raya-padi/"


def test_posts_are_newest_first(kim_dir: Path, renderer: MarkupRenderer) -> None:
    for day in ("05", "20", "11"):
        write(kim_dir, f"2025-03-{day}-p{day}.md", post(f"title: P{day}\ncategory: berita\n"))
    assert [p.slug for p in load(kim_dir, renderer).posts] == ["p20", "p11", "p05"]


def test_tags_as_comma_string(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-14-p.md", post("title: P\ncategory: berita\ntags: panen, padi , ,gapoktan, panen\n"))
    assert only_post(kim_dir, renderer).tags == ("panen", "padi", "gapoktan")


def test_tags_as_list(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-14-p.md", post("title: P\ncategory: berita\ntags: [panen, 2025]\n"))
    assert only_post(kim_dir, renderer).tags == ("panen", "2025")


def test_summary_defaults_to_first_paragraph(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-14-p.md", post("title: P\ncategory: berita\n",
                                           "Gapoktan **memanen** padi[^1].\n\nKedua.\n\n[^1]: Catatan.\n"))
    assert only_post(kim_dir, renderer).summary == "Gapoktan memanen padi."


def test_summary_from_front_matter(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-14-p.md", post("title: P\ncategory: berita\nsummary: Ringkasan sendiri.\n"))
    assert only_post(kim_dir, renderer).summary == "Ringkasan sendiri."


def test_long_summary_is_cut_at_word_boundary(kim_dir: Path, renderer: MarkupRenderer) -> None:
    words = " ".join(f"kata{n:03d}" for n in range(60))  # 479 characters
    write(kim_dir, "2025-03-14-p.md", post("title: P\ncategory: berita\n", words + "\n"))
    summary = only_post(kim_dir, renderer).summary
    assert len(summary) <= SUMMARY_LIMIT == 200
    # words are 8 characters apart: 24 whole words fit in 199 characters, the 25th would not
    assert summary == " ".join(f"kata{n:03d}" for n in range(24)) + "…"


def test_short_summary_is_not_cut(kim_dir: Path, renderer: MarkupRenderer) -> None:
    text = "a" * 200
    write(kim_dir, "2025-03-14-p.md", post("title: P\ncategory: berita\n", text + "\n"))
    assert only_post(kim_dir, renderer).summary == text


@pytest.mark.parametrize("written", ["pertanian", "PERTANIAN", "Pertanian", "umkm & ekonomi", "UMKM & Ekonomi",
                                     "Cek Fakta", "cek-fakta"])
def test_category_by_slug_or_name_any_case(kim_dir: Path, renderer: MarkupRenderer, written: str) -> None:
    write(kim_dir, "2025-03-14-p.md", post(f'title: P\ncategory: "{written}"\n'))
    expected = {"pertanian": "pertanian", "umkm & ekonomi": "umkm", "cek fakta": "cek-fakta",
                "cek-fakta": "cek-fakta"}[written.casefold()]
    assert only_post(kim_dir, renderer).category.slug == expected


def test_author_defaults_to_kim(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-14-p.md", post("title: P\ncategory: berita\n"))
    assert only_post(kim_dir, renderer).author == "KIM A"


def test_lead_and_inline_images_are_collected(kim_dir: Path, renderer: MarkupRenderer) -> None:
    (kim_dir / "posts" / "sawah.jpg").write_bytes(b"lead")
    (kim_dir / "posts" / "kedua.jpg").write_bytes(b"inline")
    write(kim_dir, "2025-03-14-p.md", post("title: P\ncategory: berita\nimage: sawah.jpg\nimage_alt: Sawah\n",
                                           "Isi ![Kedua](kedua.jpg)\n"))
    result = only_post(kim_dir, renderer)
    assert result.image.alt == "Sawah"
    assert result.image.output_path.startswith("foto/sawah-") and result.image.output_path.endswith(".jpg")
    assert [i.source.name for i in result.images] == ["sawah.jpg", "kedua.jpg"]
    assert f'src="https://kim.example/kim-a/{result.images[1].output_path}"' in result.html


def test_crlf_post_is_read(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write(kim_dir, "2025-03-14-p.md", "---\r\ntitle: P\r\ncategory: berita\r\n---\r\n\r\nIsi.\r\n")
    assert only_post(kim_dir, renderer).title == "P"


# --------------------------------------------------------------------------- profile.yaml

def write_profile(kim_dir: Path, text: str) -> None:
    (kim_dir / "profile.yaml").write_text(text, encoding="utf-8")


def test_valid_profile(kim_dir: Path, renderer: MarkupRenderer) -> None:
    (kim_dir / "logo.png").write_bytes(b"png")
    write_profile(kim_dir, """\
name: KIM Glagah Lestari
village: glagah
district: Temon
sk:
  number: "488/0123/2024"
  date: 2024-02-01
  valid_until: 2027-02-01
board:
  - name: Siti Aminah
    role: Ketua
contacts:
  whatsapp: "+6281234567890"
  email: kim.glagah@example.id
about: |
  Tentang **kami**.
logo: logo.png
color: "#1d6b4f"
""")
    profile, problems = load_profile(kim_dir, kim_dir.parent, ("Glagah", "Temon"), renderer)
    assert problems == []
    assert profile.name == "KIM Glagah Lestari"
    assert profile.sk.number == "488/0123/2024" and profile.sk.valid_until.isoformat() == "2027-02-01"
    assert [(b.name, b.role) for b in profile.board] == [("Siti Aminah", "Ketua")]
    assert profile.contacts.whatsapp == "+6281234567890"
    assert "<strong>kami</strong>" in profile.about_html
    assert profile.logo == kim_dir / "logo.png"
    assert profile.color == "#1d6b4f"


def test_malformed_colour_is_an_error(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write_profile(kim_dir, 'name: KIM A\ncolor: "1d6b4f"\n')
    profile, problems = load_profile(kim_dir, kim_dir.parent, ("", ""), renderer)
    assert profile is None
    assert [(p.key, p.line, p.severity) for p in problems] == [("color", 2, Severity.ERROR)]
    assert "quoted" in problems[0].hint.en


def test_light_colour_is_a_warning_and_dropped(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write_profile(kim_dir, 'name: KIM A\ncolor: "#ffff00"\n')
    profile, problems = load_profile(kim_dir, kim_dir.parent, ("", ""), renderer)
    assert [(p.key, p.line, p.severity) for p in problems] == [("color", 2, Severity.WARNING)]
    assert profile is not None and profile.color is None


def test_missing_logo_is_an_error(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write_profile(kim_dir, "name: KIM A\nlogo: logo.png\n")
    profile, problems = load_profile(kim_dir, kim_dir.parent, ("", ""), renderer)
    assert profile is None
    assert [(p.key, p.line, p.severity) for p in problems] == [("logo", 2, Severity.ERROR)]
    assert problems[0].path == "kim-a/profile.yaml"


def test_logo_outside_kim_folder_is_an_error(kim_dir: Path, renderer: MarkupRenderer) -> None:
    (kim_dir.parent / "logo.png").write_bytes(b"png")
    write_profile(kim_dir, "name: KIM A\nlogo: ../logo.png\n")
    profile, problems = load_profile(kim_dir, kim_dir.parent, ("", ""), renderer)
    assert profile is None and [p.key for p in problems] == ["logo"]


def test_village_name_differing_from_official_is_a_warning(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write_profile(kim_dir, "name: KIM A\nvillage: Glagahh\ndistrict: temon\n")
    profile, problems = load_profile(kim_dir, kim_dir.parent, ("Glagah", "Temon"), renderer)
    assert profile is not None
    assert len(problems) == 1
    warning = problems[0]
    assert (warning.key, warning.line, warning.severity, warning.is_error) == ("village", 2, Severity.WARNING, False)
    assert "Glagah" in warning.hint.en and "Glagahh" in warning.message.id


def test_profile_bad_whatsapp_number(kim_dir: Path, renderer: MarkupRenderer) -> None:
    write_profile(kim_dir, "name: KIM A\ncontacts:\n  whatsapp: call me\n")
    profile, problems = load_profile(kim_dir, kim_dir.parent, ("", ""), renderer)
    assert profile is None
    assert [(p.key, p.line) for p in problems] == [("contacts.whatsapp", 3)]
