"""Products, agenda, pages, aspirasi and cek fakta from bad input, through the real command line."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from kimsite.read.extras import parse_price
from kimsite.read.phone import normalise_whatsapp, whatsapp_link
from tests.conftest import BUILD_DATE, run_kimsite
from tests.invariants import check_all, soup
from tests.regency import good_posts, write_regency

GOOD = {
    "products/keripik.md": "---\nname: Keripik\ncategory: makanan\nprice: 10000\nseller: Bu Sri\n"
                           "whatsapp: \"0812 3456 7890\"\n---\n\nRenyah.\n",
    "agenda/rapat.md": "---\ntitle: Rapat RW\nstart: 2026-11-30 19:30\nplace: Balai RW\n---\n\nRapat bulanan.\n",
    "pages/sejarah.md": "---\ntitle: Sejarah\n---\n\nBerdiri 2020.\n",
    "posts/2025-03-01-cek.md": "---\ntitle: Cek\ntype: cek-fakta\nclaim: Air embung beracun\nverdict: hoaks\n"
                               "sources: [https://example.go.id/]\n---\n\nTidak benar.\n",
    "aspirasi.yaml": "entries:\n  - received: 2026-11-01\n    summary: Jalan berlubang\n    status: forwarded\n",
}

BROKEN = {
    "products/nomor-salah.md": "---\nname: Tempe\ncategory: makanan\nprice: 5000\nseller: Pak Dul\n"
                               "whatsapp: \"021-555-1234\"\n---\n\nTempe.\n",
    "products/harga-aneh.md": "---\nname: Tahu\ncategory: makanan\nprice: murah\nseller: Pak Dul\n"
                              "whatsapp: \"081234567890\"\n---\n\nTahu.\n",
    "products/harga-titik.md": "---\nname: Tahu\ncategory: makanan\nprice: 25.000\nseller: Pak Dul\n"
                               "whatsapp: \"081234567890\"\n---\n\nTahu.\n",
    "products/kategori-salah.md": "---\nname: Kursi\ncategory: mebel\nprice: 5000\nseller: Pak Dul\n"
                                  "whatsapp: \"081234567890\"\n---\n\nKursi.\n",
    "products/foto-hilang.md": "---\nname: Batik\ncategory: fesyen\nprice: 5000\nseller: Bu Ani\n"
                               "whatsapp: \"081234567890\"\nphotos: [tidak-ada.jpg]\n---\n\nBatik.\n",
    "agenda/tanggal-aneh.md": "---\ntitle: Rapat\nstart: 31 November\nplace: Balai\n---\n\nx\n",
    "agenda/terbalik.md": "---\ntitle: Rapat\nstart: 2026-12-01 10:00\nend: 2026-12-01 09:00\nplace: Balai\n---\n\nx\n",
    "pages/produk.md": "---\ntitle: Produk kami\n---\n\nx\n",
    "pages/tanpa-judul.md": "---\norder: 2\n---\n\nx\n",
    "posts/2025-03-02-vonis-salah.md": "---\ntitle: Cek\ntype: cek-fakta\nclaim: X\nverdict: BOHONG\n---\n\nx\n",
    "posts/2025-03-03-tanpa-klaim.md": "---\ntitle: Cek\ntype: cek-fakta\nverdict: FAKTA\n---\n\nx\n",
    "posts/2025-03-04-vonis-di-berita.md": "---\ntitle: Berita\ncategory: berita\nverdict: FAKTA\n---\n\nx\n",
    "aspirasi.yaml": "entries:\n  - received: 2026-11-01\n    summary: Jalan\n    status: selesai\n",
}


def test_bad_files_of_every_type_are_reported_and_the_rest_builds(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), **GOOD, **BROKEN}, "kim-b": {**good_posts(1), **GOOD}})
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = {
        "content/kim-a/products/nomor-salah.md:6 [whatsapp]": "nomor WhatsApp '021-555-1234' tidak valid",
        "content/kim-a/products/harga-aneh.md:4 [price]": "harga 'murah' tidak dapat dibaca",
        "content/kim-a/products/harga-titik.md:4 [price]": "tulis tanpa titik ribuan",
        "content/kim-a/products/kategori-salah.md:3 [category]": "kategori produk 'mebel' tidak dikenal",
        "content/kim-a/products/foto-hilang.md:7 [photos]": "foto 'tidak-ada.jpg' tidak ditemukan",
        "content/kim-a/agenda/tanggal-aneh.md:3 [start]": "tanggal '31 November' tidak dapat dibaca",
        "content/kim-a/agenda/terbalik.md:4 [end]": "acara berakhir sebelum dimulai",
        "content/kim-a/pages/produk.md:1": "nama halaman 'produk' sudah dipakai situs",
        "content/kim-a/pages/tanpa-judul.md:2 [title]": "kunci 'title' wajib diisi",
        "content/kim-a/posts/2025-03-02-vonis-salah.md:5 [verdict]": "nilai 'BOHONG' untuk 'verdict' tidak valid",
        "content/kim-a/posts/2025-03-03-tanpa-klaim.md:3 [claim]": "cek fakta perlu kunci 'claim'",
        "content/kim-a/posts/2025-03-04-vonis-di-berita.md:4 [verdict]": "'verdict' hanya untuk tulisan cek fakta",
        "content/kim-a/aspirasi.yaml:4 [entries.0.status]": "nilai 'selesai' untuk 'status' tidak valid",
    }
    lines = result.stderr.splitlines()
    for where, message in expected.items():
        line = next((ln for ln in lines if ln.startswith(where + ":")), None)
        assert line is not None, f"no message for {where} in:\n{result.stderr}"
        assert message in line and " / " in line  # Indonesian first, English beside
    assert result.stderr.count("perbaiki/fix:") >= len(expected)
    output = tmp_path / "output"
    for kim in ("kim-a", "kim-b"):  # the good files of both KIMs are published
        assert (output / kim / "produk" / "keripik" / "index.html").is_file()
        assert (output / kim / "sejarah" / "index.html").is_file()
        assert "Rapat RW" in (output / kim / "agenda.ics").read_text()
        assert soup(output / kim / "2025" / "03" / "cek" / "index.html").select_one("aside.verdict strong").get_text() \
            == "HOAKS"
    assert not (output / "kim-a" / "produk" / "nomor-salah").exists()
    assert not (output / "kim-a" / "produk" / "index.html").read_text().count("Tempe")
    assert "Jalan berlubang" in (output / "kim-b" / "aspirasi" / "index.html").read_text()
    assert check_all(output) == []
    assert "2 KIM ok" in result.stderr


def test_check_reports_bad_extras_without_writing(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "products/nomor-salah.md": BROKEN[
        "products/nomor-salah.md"]}})
    result = run_kimsite("check", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 1
    assert "products/nomor-salah.md:6 [whatsapp]" in result.stderr
    assert not (tmp_path / "output").exists()


def test_an_event_drops_off_when_a_later_build_passes_it(tmp_path: Path) -> None:
    """An unchanged site is still rebuilt once one of its events is over (incremental builds)."""
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), **GOOD}})
    assert run_kimsite("build", "--config", str(config), "--build-date", "2026-11-30").returncode == 0
    home = tmp_path / "output" / "kim-a" / "index.html"
    assert "Rapat RW" in home.read_text()  # that evening: still on the home page all day
    result = run_kimsite("build", "--config", str(config), "--build-date", "2026-12-01")
    assert result.returncode == 0 and "Rapat RW" not in home.read_text()
    events = icalendar.Calendar.from_ical((tmp_path / "output" / "kim-a" / "agenda.ics").read_bytes()).walk("VEVENT")
    assert events == []


@pytest.mark.parametrize(("written", "expected"), [
    ("0812-3456-7890", "6281234567890"), ("+62 812 3456 7890", "6281234567890"), ("6281234567890", "6281234567890"),
    ("812 3456 789", "628123456789"), ("(0813) 2700-0501", "6281327000501"),
    ("021-555-1234", None), ("0812", None), ("+1 415 555 0100", None), ("08123456789012345", None), ("", None),
])
def test_whatsapp_numbers_are_normalised(written: str, expected: str | None) -> None:
    assert normalise_whatsapp(written) == expected


def test_whatsapp_link_encodes_the_message() -> None:
    assert whatsapp_link("6281234567890", "Halo & apa kabar? 50%") == \
        "https://wa.me/6281234567890?text=Halo%20%26%20apa%20kabar%3F%2050%25"


@pytest.mark.parametrize(("written", "expected"), [
    (25000, (25000, 25000)), ("15000-30000", (15000, 30000)), ("Rp15.000 – Rp30.000", (15000, 30000)),
    ("Rp 25,000", (25000, 25000)), ("murah", None), ("30000-15000", None), (0, None), ("1-2-3", None),
])
def test_prices_and_ranges(written: int | str, expected: tuple[int, int] | None) -> None:
    assert parse_price(written) == expected


def test_hub_products_of_a_category_are_paginated(tmp_path: Path) -> None:
    product = GOOD["products/keripik.md"].replace("name: Keripik", "name: Keripik {n:02d}")
    files = {f"products/keripik-{n:02d}.md": product.format(n=n) for n in range(25)}
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), **files}, "kim-b": good_posts(1)})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    output = tmp_path / "output"
    overview = soup(output / "produk" / "index.html")
    assert len(overview.select("section li")) == 5  # a preview of the category, and a link to all of it
    assert overview.select("section > p a")[-1]["href"] == "https://kim.example.go.id/produk/makanan/"
    first = soup(output / "produk" / "makanan" / "index.html")
    second = soup(output / "produk" / "makanan" / "halaman" / "2" / "index.html")
    assert len(first.select("section li")) == 20 and len(second.select("section li")) == 5
    assert first.select_one("a[rel=next]")["href"] == "https://kim.example.go.id/produk/makanan/halaman/2/"
    assert "<loc>https://kim.example.go.id/produk/makanan/</loc>" in (output / "sitemap.xml").read_text()
    assert check_all(output) == []


def test_a_broken_rebuild_keeps_what_was_published(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), **GOOD}})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    site, folder = tmp_path / "output" / "kim-a", tmp_path / "content" / "kim-a"
    published = (site / "produk" / "keripik" / "index.html").read_bytes()
    for name in ("products/keripik.md", "pages/sejarah.md", "agenda/rapat.md"):
        (folder / name).write_text("---\ntitle: [\n---\n")
    (folder / "aspirasi.yaml").write_text("entries:\n  - received: kemarin\n")
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 1
    for name in ("products/keripik.md:2", "pages/sejarah.md:2", "agenda/rapat.md:2", "aspirasi.yaml:2"):
        assert f"content/kim-a/{name}" in result.stderr
    # readers lose nothing while the writer fixes the files
    assert (site / "produk" / "keripik" / "index.html").read_bytes() == published
    assert (site / "sejarah" / "index.html").is_file()
    assert "Rapat RW" in (site / "agenda.ics").read_text()
    assert "Jalan berlubang" in (site / "aspirasi" / "index.html").read_text()


def test_a_landline_in_the_profile_is_a_warning_and_aspirasi_falls_back_to_email(tmp_path: Path) -> None:
    profile = "name: KIM A\ncontacts:\n  whatsapp: \"0274-555-123\"\n  email: kim.a@example.id\n"
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "profile.yaml": profile}})
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    assert "content/kim-a/profile.yaml:3 [contacts.whatsapp]: peringatan/warning: '0274-555-123' bukan nomor HP" \
        in result.stderr
    form = soup(tmp_path / "output" / "kim-a" / "aspirasi" / "index.html").find("form", id="aspirasi")
    assert form["action"] == "mailto:kim.a@example.id" and form.textarea["name"] == "body"


def test_sharded_builds_bring_products_and_events_to_the_merged_hub(tmp_path: Path) -> None:
    import shutil

    kims = {slug: {**good_posts(1), **GOOD} for slug in ("kim-a", "kim-b", "kim-c")}
    whole = write_regency(tmp_path / "whole", kims)
    assert run_kimsite("build", "--config", str(whole), "--build-date", BUILD_DATE).returncode == 0
    merger = write_regency(tmp_path / "merge", kims)
    for index in (1, 2):
        runner = write_regency(tmp_path / f"runner{index}", kims)
        built = run_kimsite("build", "--config", str(runner), "--build-date", BUILD_DATE, "--shard", f"{index}/2")
        assert built.returncode == 0, built.stderr
        shutil.copytree(runner.parent / "output", merger.parent / "output", dirs_exist_ok=True)
    merged = run_kimsite("merge", "--config", str(merger), "--build-date", BUILD_DATE)
    assert merged.returncode == 0, merged.stderr
    for name in ("produk/index.html", "produk/makanan/index.html", "agenda/index.html", "agenda.ics",
                 "cek-fakta/index.html", "cek-fakta/rss.xml"):
        assert (merger.parent / "output" / name).read_bytes() == (whole.parent / "output" / name).read_bytes(), name
    assert (merger.parent / "output" / "agenda.ics").read_text().count("BEGIN:VEVENT") == 3


@pytest.mark.parametrize(("kind", "folder"), [("cek-fakta", "posts"), ("product", "products"), ("event", "agenda"),
                                              ("page", "pages")])
def test_new_content_of_every_kind_is_a_valid_draft_and_its_example_text_is_not_news(tmp_path: Path, kind: str,
                                                                                    folder: str) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(1)})
    result = run_kimsite("new", kind, "--config", str(config), "--kim", "kim-a", "Keripik \"Tempe\" Bu Sri")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == tmp_path / "content" / "kim-a" / folder and "keripik-tempe-bu-sri" in path.name
    assert run_kimsite("check", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    path.write_text(path.read_text().replace("draft: true\n", ""))  # published with the example text left in
    held = run_kimsite("check", "--config", str(config), "--build-date", BUILD_DATE)
    assert held.returncode == 1 and "teks contoh dari 'kimsite new' belum diganti" in held.stderr, held.stderr
    assert "Keripik 'Tempe' Bu Sri" in path.read_text()
