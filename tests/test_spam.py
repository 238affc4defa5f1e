"""Gambling spam kept off the sites (issue "Keep gambling spam and broken links off the sites"):
the shipped lists against a corpus, and real builds of posts that carry spam."""

from __future__ import annotations

import csv
from pathlib import Path

from bs4 import BeautifulSoup

from kimsite.read import spam
from tests.conftest import BUILD_DATE, run_kimsite
from tests.regency import good_posts, write_regency

CORPUS = Path(__file__).resolve().parent / "fixtures" / "spam"
RULES = spam.rules(own_hosts=("kim.example.go.id",))


def _samples(name: str) -> list[str]:
    return [s.strip() for s in (CORPUS / f"{name}.txt").read_text(encoding="utf-8").split("\n\n") if s.strip()]


def test_the_corpus_rates_caught_and_false_alarms() -> None:
    """The README quotes these rates: caught >= 95 % of spam, at most 1 false alarm in the news."""
    junk, news = _samples("spam"), _samples("normal")
    assert len(junk) >= 40 and len(news) >= 40
    caught = [s for s in junk if spam.check(s, "x", RULES)]
    false_alarms = [s for s in news if spam.check(s, "x", RULES)]
    assert len(caught) / len(junk) >= 0.95, [s for s in junk if s not in caught]
    assert len(false_alarms) <= 1, false_alarms
    for word in ("slot tanam", "skor maksimal", "Link pendaftaran", "bandar togel", "judi online"):
        assert any(word in s for s in news), word  # the news set holds the words that look like spam


def test_disguised_terms_are_caught_and_plain_news_about_gambling_is_not() -> None:
    for text in ("s1ot g4c0r", "m4xw1n hari ini", "t0gel 4D", "rtp live", "link alternatif", "S L O T G A C O R"):
        assert spam.check(text, "x", RULES), text
    for text in ("Polisi menangkap bandar togel di pasar.", "Bahaya judi online bagi pelajar."):
        assert not spam.check(text, "x", RULES), text


def _post(body: str, title: str = "Kabar desa") -> str:
    return f"---\ntitle: {title}\ncategory: berita\n---\n\n{body}\n"


def test_spam_is_held_back_with_its_match_and_the_last_good_version_stays(tmp_path: Path) -> None:
    clean = _post("Warga kerja bakti membersihkan saluran.")
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "posts/2025-03-01-kabar.md": clean},
                                      "kim-b": good_posts(1)})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    page = tmp_path / "output" / "kim-a" / "2025" / "03" / "kabar" / "index.html"
    published = page.read_bytes()
    hijacked = _post("Warga kerja bakti.\n\n<span style=\"display:none\">"
                     "<a href=\"https://slot88-gacor.xyz/\">SITUS SLOT GACOR MAXWIN</a></span>")
    (tmp_path / "content" / "kim-a" / "posts" / "2025-03-01-kabar.md").write_text(hijacked)
    (tmp_path / "content" / "kim-a" / "posts" / "2025-03-02-baru.md").write_text(
        _post("Info lengkap di https://bit.ly/promo-m4xw1n"))
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    err = result.stderr
    assert result.returncode == 1 and "Traceback" not in err
    where = "content/kim-a/posts/2025-03-01-kabar.md:8"
    assert any(line.startswith(where) and "dugaan spam" in line for line in err.splitlines()), err
    for match in ("'slot gacor'", "'slot88-gacor.xyz'", "'display:none'"):
        assert match in err
    assert "spam: allow:" in err  # how to clear a false alarm
    assert "content/kim-a/posts/2025-03-02-baru.md:6" in err and "'maxwin'" in err
    assert page.read_bytes() == published  # the last good version stays live
    assert not (tmp_path / "output" / "kim-a" / "2025" / "03" / "baru").exists()
    rows = list(csv.DictReader((tmp_path / "reports" / "spam.csv").read_text(encoding="utf-8").splitlines()))
    assert {r["file"] for r in rows} == {"content/kim-a/posts/2025-03-01-kabar.md",
                                         "content/kim-a/posts/2025-03-02-baru.md"}
    dashboard = (tmp_path / "output" / "dasbor" / "index.html").read_text()
    text = BeautifulSoup(dashboard, "html.parser").get_text(" ")
    assert "Ditahan karena dugaan spam" in text and "gacor" not in dashboard.lower()
    assert "KIM kim-a: 2" in " ".join(text.split())  # two posts held back (with seven findings between them)
    assert "slot88" not in dashboard and not list((tmp_path / "output").rglob("spam.csv"))


def test_a_reviewed_allow_entry_and_the_regencys_own_lists(tmp_path: Path) -> None:
    post = "posts/2025-03-01-lomba.md"
    extra = ("spam:\n  terms: [arisan online]\n  block_domains: [judi-lokal.example]\n  max_links: 3\n"
             "  allow:\n    - path: content/kim-a/posts/2025-03-01-lomba.md\n      match: link alternatif\n"
             "      reason: rute alternatif lomba lari, diperiksa Diskominfo\n")
    config = write_regency(tmp_path, {"kim-a": {
        **good_posts(1),
        post: _post("Peserta lomba lari memakai link alternatif lewat jalan desa."),
        "posts/2025-03-02-arisan.md": _post("Ikut arisan online berhadiah di grup kami."),
        "posts/2025-03-03-lokal.md": _post("Lihat [di sini](https://www.judi-lokal.example/a)."),
        "posts/2025-03-04-tautan.md": _post(" ".join(f"https://situs{n}.example/" for n in range(4))),
    }}, extra)
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    err = result.stderr
    assert result.returncode == 1
    assert "2025-03-01-lomba.md" not in err  # allowed after review: published
    assert (tmp_path / "output" / "kim-a" / "2025" / "03" / "lomba" / "index.html").is_file()
    assert "'arisan online'" in err and "'www.judi-lokal.example'" in err and "'> 3 links'" in err


def test_products_pages_profiles_and_aspirasi_are_checked_too(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {
        "kim-a": {**good_posts(1),
                  "products/keripik.md": "---\nname: Keripik\ncategory: makanan\nprice: 10000\nseller: Bu Sri\n"
                                         "whatsapp: \"081234567890\"\n---\n\nPesan di situs slot88 kami.\n",
                  "pages/sejarah.md": "---\ntitle: Sejarah\n---\n\nBaca juga: rtp live hari ini.\n"},
        "kim-b": {**good_posts(1), "profile.yaml": "name: KIM B\nabout: Kunjungi link alternatif kami.\n"},
    })
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    err = result.stderr
    assert result.returncode == 1
    for where in ("content/kim-a/products/keripik.md:9", "content/kim-a/pages/sejarah.md:5",
                  "content/kim-b/profile.yaml:2"):
        assert any(line.startswith(where) and "dugaan spam" in line for line in err.splitlines()), (where, err)


def test_outbound_links_are_ugc_and_nofollow_unless_trusted(tmp_path: Path) -> None:
    body = "Sumber: [Pemkab](https://www.kulonprogokab.go.id/berita) dan [toko](https://toko.example/)."
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "posts/2025-03-01-sumber.md": _post(body)}})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    page = tmp_path / "output" / "kim-a" / "2025" / "03" / "sumber" / "index.html"
    links = {a["href"]: a.get("rel") for a in BeautifulSoup(page.read_text(), "html.parser").select("article a[href]")}
    assert links["https://www.kulonprogokab.go.id/berita"] == ["ugc", "noopener"]
    assert links["https://toko.example/"] == ["ugc", "noopener", "nofollow"]


def test_a_correction_reaches_the_page_the_feeds_and_the_hub(tmp_path: Path) -> None:
    import json

    import feedparser

    post = ("---\ntitle: Jadwal posyandu\ndate: 2025-03-01\ncategory: kesehatan\nupdated: 2025-03-03 10:00\n"
            "ralat: Posyandu buka pukul 08.00, bukan 10.00.\n---\n\nPosyandu buka setiap Sabtu pukul 08.00.\n")
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "posts/2025-03-01-jadwal.md": post}})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    output = tmp_path / "output"
    page = BeautifulSoup((output / "kim-a" / "2025" / "03" / "jadwal" / "index.html").read_text(), "html.parser")
    note = page.select_one("article > aside.ralat")  # in the article, under its header
    assert note is not None and "bukan 10.00" in note.get_text() and "Ralat" in note.get_text()
    assert "Diperbarui" in page.select("article header p.meta")[-1].get_text()
    atom = feedparser.parse((output / "kim-a" / "atom.xml").read_bytes())
    entry = next(e for e in atom.entries if e.title == "Jadwal posyandu")
    assert entry.updated.startswith("2025-03-03") and entry.published.startswith("2025-03-01")
    item = next(i for i in json.loads((output / "kim-a" / "feed.json").read_text())["items"]
                if i["title"] == "Jadwal posyandu")
    assert item["date_modified"].startswith("2025-03-03T10:00")
    hub = BeautifulSoup((output / "ralat" / "index.html").read_text(), "html.parser")
    assert "Jadwal posyandu" in hub.get_text() and "bukan 10.00" in hub.get_text()


def test_a_post_edited_after_publishing_without_updated_gets_a_warning(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(2)})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    source = tmp_path / "content" / "kim-a" / "posts" / "2025-01-10-berita-1.md"
    source.write_text(source.read_text() + "\nTambahan kalimat.\n")
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0
    warning = next(line for line in result.stderr.splitlines() if "berita-1.md" in line)
    assert "peringatan/warning" in warning and "tanpa tanggal 'updated'" in warning
    source.write_text(source.read_text().replace("---\n\n", "updated: 2025-02-01\n---\n\n", 1))
    again = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert "tanpa tanggal 'updated'" not in again.stderr


def test_a_link_to_a_page_the_build_does_not_make_is_a_warning(tmp_path: Path) -> None:
    body = ("Baca [berita sebelumnya](https://kim.example.go.id/kim-a/2025/01/berita-1/) dan\n"
            "[jadwal](/kim-a/2025/01/jadwal-salah/) serta [profil](../../../profil/).\n")
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "posts/2025-03-01-tautan.md": _post(body)}})
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "[link]" in line]
    assert len(lines) == 1 and lines[0].startswith("content/kim-a/posts/2025-03-01-tautan.md:7")
    assert "jadwal-salah" in lines[0] and "peringatan/warning" in lines[0]
    strict = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE, "--strict")
    assert strict.returncode == 1


def test_links_to_the_hub_and_other_kims_are_checked_against_what_was_published(tmp_path: Path) -> None:
    body = ("Lihat [kabar KIM B](https://kim.example.go.id/kim-b/2025/01/berita-1/),\n"
            "[yang hilang](https://kim.example.go.id/kim-b/2025/01/tidak-ada/) dan [portal](https://kim.example.go.id/dasbor/).\n")
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "posts/2025-03-01-silang.md": _post(body)},
                                      "kim-b": good_posts(1)})
    first = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert first.returncode == 0 and "[link]" not in first.stderr  # nothing published yet to check against
    post = tmp_path / "content" / "kim-a" / "posts" / "2025-03-01-silang.md"
    post.write_text(post.read_text() + "\nTambahan.\n")
    second = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    lines = [line for line in second.stderr.splitlines() if "[link]" in line]
    assert len(lines) == 1 and "kim-b/2025/01/tidak-ada/" in lines[0] and lines[0].startswith(
        "content/kim-a/posts/2025-03-01-silang.md:7")
