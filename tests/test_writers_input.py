"""Posts as volunteers write them (issue "No writer's news is lost"): real files through the
real reader, and one real build read back with bs4 and feedparser."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup

from kimsite.models import DEFAULT_CATEGORIES, Category
from kimsite.read.content import PostSpec, PostsResult, load_posts
from kimsite.read.dates import parse_date
from kimsite.read.markup import MarkupRenderer
from tests.conftest import BUILD_DATE, run_kimsite
from tests.regency import write_regency

WIB = ZoneInfo("Asia/Jakarta")
BUILD_TIME = datetime(2026, 12, 1, 12, 0, tzinfo=WIB)
CATEGORIES = (*DEFAULT_CATEGORIES, Category("kelembagaan", "Kelembagaan"))


@pytest.fixture(scope="module")
def renderer() -> MarkupRenderer:
    return MarkupRenderer()


def load(tmp_path: Path, renderer: MarkupRenderer, files: dict[str, str | bytes],
         default: Category = DEFAULT_CATEGORIES[0]) -> PostsResult:
    posts = tmp_path / "kim-a" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (posts / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    spec = PostSpec(kim="kim-a", site_url="https://kim.example/kim-a/", timezone="Asia/Jakarta",
                    build_time=BUILD_TIME, categories=CATEGORIES, default_author="KIM A", root=tmp_path,
                    default_category=default)
    return load_posts(tmp_path / "kim-a", spec, renderer)


def one(result: PostsResult):
    assert len(result.posts) == 1, [p.render() for p in result.problems]
    assert not [p for p in result.problems if p.is_error], [p.render() for p in result.problems]
    return result.posts[0]


def warnings(result: PostsResult) -> dict[str, str]:
    return {p.key or "": p.render() for p in result.problems if not p.is_error}


HUGO = """---
title: "Sosialisasi Posyandu"
date: 2026-11-20
slug: Sosialisasi Posyandu Remaja
categories: [Kesehatan, Posyandu, Remaja]
description: Kader posyandu mengajak remaja hadir.
featured_image: foto.jpg
lastmod: 2026-11-22
status: publish
lang: id
layout: post
permalink: /posyandu/
---

Isi berita.
"""


def test_hugo_front_matter_is_understood_with_warnings(tmp_path: Path, renderer: MarkupRenderer) -> None:
    (tmp_path / "kim-a" / "posts").mkdir(parents=True)
    (tmp_path / "kim-a" / "posts" / "foto.jpg").write_bytes(b"jpeg")
    result = load(tmp_path, renderer, {"posyandu.md": HUGO})
    post = one(result)
    assert post.slug == "sosialisasi-posyandu-remaja" and post.url_path == "2026/11/sosialisasi-posyandu-remaja/"
    assert post.category.slug == "kesehatan" and post.tags == ("Posyandu", "Remaja")
    assert post.summary == "Kader posyandu mengajak remaja hadir."
    assert post.image is not None and post.image.alt == "Sosialisasi Posyandu"
    assert post.updated == datetime(2026, 11, 22, tzinfo=WIB)
    said = warnings(result)
    assert "'summary'" in said["description"] and "'image'" in said["featured_image"]
    assert "'updated'" in said["lastmod"] and "draft: false" in said["status"]
    assert {"lang", "layout", "permalink", "categories", "slug", "image_alt"} <= set(said)
    assert all("perbaiki/fix" in text for text in said.values())


def test_toml_front_matter(tmp_path: Path, renderer: MarkupRenderer) -> None:
    text = '+++\ntitle = "Rapat RT"\ndate = 2026-11-02T09:30:00+07:00\ncategory = "pemerintahan"\n'
    text += 'tags = ["rapat"]\n+++\n\nIsi.\n'
    post = one(load(tmp_path, renderer, {"rapat.md": text}))
    assert post.title == "Rapat RT" and post.date == datetime(2026, 11, 2, 9, 30, tzinfo=WIB)
    assert post.category.slug == "pemerintahan" and post.tags == ("rapat",)


def test_broken_toml_names_its_line(tmp_path: Path, renderer: MarkupRenderer) -> None:
    result = load(tmp_path, renderer, {"2026-11-02-x.md": '+++\ntitle = "X"\ndate = = 3\n+++\n\nIsi.\n'})
    assert not result.posts and result.problems[0].line == 3 and "TOML" in result.problems[0].message.en


@pytest.mark.parametrize("written, expected", [
    ("2025-03-14", datetime(2025, 3, 14, tzinfo=WIB)),
    ("14/03/2025", datetime(2025, 3, 14, tzinfo=WIB)),
    ("14-03-2025", datetime(2025, 3, 14, tzinfo=WIB)),
    ("14 Maret 2025", datetime(2025, 3, 14, tzinfo=WIB)),
    ("14 Mar 2025", datetime(2025, 3, 14, tzinfo=WIB)),
    ("1 Desember 2026", datetime(2026, 12, 1, tzinfo=WIB)),
    ("Senin, 14 Maret 2025 09.30 WIB", datetime(2025, 3, 14, 9, 30, tzinfo=WIB)),
    ("Jumat, 14 Maret 2025 10.30 WITA", datetime(2025, 3, 14, 9, 30, tzinfo=WIB)),
    ("2025-03-14 09:30", datetime(2025, 3, 14, 9, 30, tzinfo=WIB)),
    ("2025-03-14T09:30:00+08:00", datetime(2025, 3, 14, 8, 30, tzinfo=WIB)),
])
def test_dates_as_indonesians_write_them(written: str, expected: datetime) -> None:
    assert parse_date(written, WIB) == expected


@pytest.mark.parametrize("written", ["32 Januari 2025", "13/13/2025", "kemarin", "14 Marat 2025"])
def test_impossible_dates_are_not_guessed(written: str) -> None:
    assert parse_date(written, WIB) is None


def test_date_in_front_matter_read_day_first(tmp_path: Path, renderer: MarkupRenderer) -> None:
    text = "---\ntitle: Panen\ndate: 03/04/2025\ncategory: berita\n---\nx\n"
    post = one(load(tmp_path, renderer, {"panen.md": text}))
    assert post.date == datetime(2025, 4, 3, tzinfo=WIB)  # 3 April, not March 4


def test_category_by_name_ignoring_case_and_accents(tmp_path: Path, renderer: MarkupRenderer) -> None:
    post = one(load(tmp_path, renderer, {"2026-11-02-a.md": "---\ntitle: A\ncategory: KELEMBÄGAAN\n---\nx\n"}))
    assert post.category.slug == "kelembagaan"
    post = one(load(tmp_path / "b", renderer, {"2026-11-02-b.md": "---\ntitle: B\ncategory: seni & budaya\n---\nx\n"}))
    assert post.category.slug == "budaya"


def test_unknown_and_missing_category_use_the_configured_default(tmp_path: Path, renderer: MarkupRenderer) -> None:
    default = Category("pemerintahan", "Pemerintahan")
    result = load(tmp_path, renderer, {"2026-11-02-a.md": "---\ntitle: A\ncategory: Sosialisasi\n---\nx\n",
                                       "2026-11-03-b.md": "---\ntitle: B\n---\nx\n"}, default)
    assert [(p.slug, p.category.slug, p.tags) for p in result.posts] == [
        ("b", "pemerintahan", ()), ("a", "pemerintahan", ("Sosialisasi",))]
    said = [p for p in result.problems if p.key == "category"]
    assert len(said) == 2 and all(not p.is_error and "kelembagaan" in p.hint.id for p in said)


def test_yaml_11_booleans_never_eat_text(tmp_path: Path, renderer: MarkupRenderer) -> None:
    post = one(load(tmp_path, renderer, {"2026-11-02-a.md": "---\ntitle: Off\ntags: [on, yes, No]\ncategory: berita\n"
                                                            "draft: false\n---\nx\n"}))
    assert post.title == "Off" and post.tags == ("on", "yes", "No")
    assert one(load(tmp_path / "n", renderer, {"2026-11-02-a.md": "---\ntitle: 2026\n---\nx\n"})).title == "2026"


def test_draft_yes_still_holds_a_post(tmp_path: Path, renderer: MarkupRenderer) -> None:
    result = load(tmp_path, renderer, {"2026-11-02-a.md": "---\ntitle: A\ndraft: yes\n---\nx\n"})
    assert not result.posts and result.skips.drafts == 1


def test_unquoted_colon_in_title_shows_the_quoted_line(tmp_path: Path, renderer: MarkupRenderer) -> None:
    result = load(tmp_path, renderer, {"2026-11-02-a.md": "---\ntitle: Rapat Desa: hasilnya baik\n---\nx\n"})
    problem = result.problems[0]
    assert not result.posts and problem.is_error and problem.line == 2
    assert 'title: "Rapat Desa: hasilnya baik"' in problem.hint.id


def test_status_draft_holds_the_post(tmp_path: Path, renderer: MarkupRenderer) -> None:
    result = load(tmp_path, renderer, {"2026-11-02-a.md": "---\ntitle: A\nstatus: draft\n---\nx\n"})
    assert not result.posts and result.skips.drafts == 1


def test_placeholder_text_from_kimsite_new_is_an_error(tmp_path: Path, renderer: MarkupRenderer) -> None:
    text = ("---\ntitle: Kerja bakti\ncategory: berita\nsummary: Satu atau dua kalimat ringkasan untuk daftar berita"
            " dan pratinjau WhatsApp.\n---\n\nWarga kerja bakti.\n")
    body = "---\ntitle: Kerja bakti\ncategory: berita\n---\n\nTulis isi berita di sini. Hapus baris ini.\n"
    result = load(tmp_path, renderer, {"2026-11-02-a.md": text, "2026-11-03-b.md": body})
    assert not result.posts
    by_path = {p.path: p for p in result.problems if p.is_error}
    assert by_path["kim-a/posts/2026-11-02-a.md"].key == "summary"
    assert by_path["kim-a/posts/2026-11-03-b.md"].line == 6
    assert all("kimsite new" in p.message.id for p in by_path.values())


def test_no_front_matter_and_no_title_stay_errors(tmp_path: Path, renderer: MarkupRenderer) -> None:
    result = load(tmp_path, renderer, {"2026-11-02-a.md": "Hanya teks.\n",
                                       "2026-11-03-b.md": "---\ndate: 2026-11-03\n---\nx\n"})
    assert not result.posts and len([p for p in result.problems if p.is_error]) == 2


def test_a_copied_post_builds_and_shows_its_update(tmp_path: Path) -> None:
    """Through the command line: published (exit 0, warnings only), 'Diperbarui' on the page,
    the edit date as the feed entry's updated date."""
    (tmp_path / "foto.jpg").write_bytes(b"")
    config = write_regency(tmp_path, {"kim-a": {
        "posts/2026-11-20-posyandu.md": HUGO.replace("featured_image: foto.jpg\n", ""),
    }})
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    assert "peringatan/warning" in result.stderr and "Traceback" not in result.stderr
    page = tmp_path / "output" / "kim-a" / "2026" / "11" / "sosialisasi-posyandu-remaja" / "index.html"
    soup = BeautifulSoup(page.read_text(), "html.parser")
    meta = soup.select_one("article header p.meta:not(:first-child)") or soup.select("article header p.meta")[-1]
    assert "Diperbarui" in meta.get_text() and meta.select("time")[1]["datetime"].startswith("2026-11-22")
    feed = feedparser.parse((tmp_path / "output" / "kim-a" / "atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Sosialisasi Posyandu")
    assert entry.updated.startswith("2026-11-22") and entry.published.startswith("2026-11-20")


def test_years_that_look_mistyped_are_warnings(tmp_path: Path, renderer: MarkupRenderer) -> None:
    result = load(tmp_path, renderer, {"2026-11-02-a.md": "---\ntitle: A\ndate: 1900-01-01\n---\nx\n",
                                       "2026-11-03-b.md": "---\ntitle: B\ndate: 9999-01-01\n---\nx\n"})
    years = [p for p in result.problems if p.key == "date" and not p.is_error]
    assert len(years) == 2 and "1900" in years[0].message.id + years[1].message.id


def test_a_price_written_as_a_float_or_beyond_a_trillion_is_not_read_as_another_price() -> None:
    from kimsite.read.extras import parse_price

    assert parse_price(1e308) is None and parse_price(10**13) is None
    assert parse_price("15.000 - 30.000") == (15000, 30000)
