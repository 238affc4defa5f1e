"""Broken input through the real command line: clear messages, the rest still builds."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image

from tests.conftest import BUILD_DATE, run_kimsite
from tests.regency import good_posts, write_regency

BROKEN_POSTS: dict[str, str | bytes] = {
    "posts/2025-02-01-yaml-rusak.md": "---\ntitle: Rusak\ncategory: berita\ntags: [a, b\n---\n\nIsi.\n",
    "posts/2025-02-02-tanpa-judul.md": "---\ncategory: berita\n---\n\nIsi.\n",
    "posts/2025-02-03-tanggal-aneh.md": "---\ntitle: Tanggal\ndate: 32 Januari 2025\ncategory: berita\n---\n\nx\n",
    "posts/2025-02-04-foto-hilang.md":
        "---\ntitle: Foto\ncategory: berita\nimage: tidak-ada.jpg\nimage_alt: x\n---\n\nIsi.\n",
    "posts/2025-02-05-bukan-utf8.md": b"---\ntitle: Latin\ncategory: berita\n---\n\nCaf\xe9 di desa.\n",
    "posts/2025-02-06-keluar-folder.md":
        "---\ntitle: Keluar\ncategory: berita\nimage: ../../kim-b/posts/foto.jpg\nimage_alt: x\n---\n\nIsi.\n",
    "posts/2025-02-07-kunci-salah.md": "---\ntitle: Kunci\ncategori: berita\n---\n\nIsi.\n",
}


def _photo(path: Path) -> bytes:
    Image.new("RGB", (64, 48), (30, 120, 60)).save(path, "JPEG")
    return path.read_bytes()


def test_broken_posts_are_held_back_and_untidy_ones_published_with_warnings(tmp_path: Path) -> None:
    photo = _photo(tmp_path / "foto.jpg")
    config = write_regency(tmp_path, {
        "kim-a": {**good_posts(2), **BROKEN_POSTS},
        "kim-b": {**good_posts(3), "posts/foto.jpg": photo},
    })
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 1  # CI must see it
    assert "Traceback" not in result.stderr
    err = result.stderr
    held_back = {
        "content/kim-a/posts/2025-02-01-yaml-rusak.md:4": "YAML tidak valid",
        "content/kim-a/posts/2025-02-02-tanpa-judul.md:2": "kunci 'title' wajib diisi",
        "content/kim-a/posts/2025-02-04-foto-hilang.md:4": "berkas 'tidak-ada.jpg' tidak ditemukan",
        "content/kim-a/posts/2025-02-06-keluar-folder.md:4": "menunjuk ke luar folder KIM",
    }
    published = {
        "content/kim-a/posts/2025-02-03-tanggal-aneh.md:3": "tanggal '32 Januari 2025' tidak dapat dibaca",
        "content/kim-a/posts/2025-02-05-bukan-utf8.md:6": "Windows-1252",
        "content/kim-a/posts/2025-02-07-kunci-salah.md:3": "kunci 'categori' tidak dikenal",
    }
    for expected, label in ((held_back, "galat/error"), (published, "peringatan/warning")):
        for where, message in expected.items():
            line = next((ln for ln in err.splitlines() if ln.startswith(where)), None)
            assert line is not None, f"no message for {where} in:\n{err}"
            assert message in line and label in line and " / " in line  # Indonesian, then English beside
    assert "mungkin maksud Anda 'category'?" in err and "did you mean 'category'?" in err
    assert err.count("perbaiki/fix:") >= len(held_back) + len(published)
    output = tmp_path / "output"
    assert (output / "kim-a" / "2025" / "01" / "berita-1" / "index.html").is_file()
    assert (output / "kim-a" / "2025" / "02" / "berita-2" / "index.html").is_file()
    assert not (output / "kim-a" / "2025" / "02" / "tanpa-judul").exists()
    for slug in ("tanggal-aneh", "bukan-utf8", "kunci-salah"):
        assert (output / "kim-a" / "2025" / "02" / slug / "index.html").is_file(), slug
    assert "Café di desa" in (output / "kim-a" / "2025" / "02" / "bukan-utf8" / "index.html").read_text()
    assert len(list((output / "kim-b").glob("2025/*/*/index.html"))) == 3
    assert "2 KIM ok" in err


def test_failed_rebuild_keeps_what_was_published(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(2)})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    page = tmp_path / "output" / "kim-a" / "2025" / "01" / "berita-1" / "index.html"
    published = page.read_bytes()
    (tmp_path / "content" / "kim-a" / "posts" / "2025-01-10-berita-1.md").write_text("---\ntitle: [\n---\n")
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 1
    assert "berita-1.md:2" in result.stderr
    # the last good version stays live while the writer fixes the file
    assert page.read_bytes() == published
    assert "Berita 1" in (tmp_path / "output" / "kim-a" / "rss.xml").read_text()
    assert (tmp_path / "output" / "kim-a" / "2025" / "02" / "berita-2" / "index.html").is_file()


def test_broken_sites_yaml_reports_everything_and_writes_nothing(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(1)})
    text = config.read_text().replace("timezone: WIB", "timezone: GMT").replace('"34.01.01.2004"', '"34.1.1"')
    text = text.replace("  base_url:", "  bse_url:")
    config.write_text(text)
    result = run_kimsite("build", "--config", str(config))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("sites.yaml:") or "sites.yaml:" in ln]
    assert len(lines) == 4, result.stderr  # all at once
    assert any(":5 [regency.timezone]" in ln for ln in lines)
    assert any("[kims.0.village_code]" in ln for ln in lines)
    assert any(":1 [regency.base_url]" in ln and "wajib diisi" in ln for ln in lines)
    assert any(":4 [regency.bse_url]" in ln and "tidak dikenal" in ln for ln in lines)
    assert "mungkin maksud Anda 'base_url'?" in result.stderr  # did you mean
    assert not (tmp_path / "output").exists()


def test_broken_profile_stops_only_its_kim(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {
        "kim-a": {**good_posts(1), "profile.yaml": "name: KIM A\ncolor: hijau\nboard:\n  - name: X\n"},
        "kim-b": good_posts(1),
    })
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/kim-a/profile.yaml:2 [color]" in result.stderr
    assert "content/kim-a/profile.yaml:4 [board.0.role]" in result.stderr
    assert "situs kim-a tidak dibangun ulang" in result.stderr and "belum pernah terbit" in result.stderr
    assert "Input should be" not in result.stderr  # no raw pydantic English
    output = tmp_path / "output"
    assert not (output / "kim-a").exists()  # never published: nothing to keep
    assert (output / "kim-b" / "2025" / "01" / "berita-1" / "index.html").is_file()
    assert (output / "index.html").is_file()  # the hub is built over the KIMs that built


def test_broken_profile_keeps_the_last_published_site(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(1), "kim-b": good_posts(1)})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    output = tmp_path / "output"
    page = output / "kim-a" / "2025" / "01" / "berita-1" / "index.html"
    published = page.read_bytes()
    (tmp_path / "content" / "kim-a" / "profile.yaml").write_text("name: [KIM A\n")
    (tmp_path / "content" / "kim-a" / "posts" / "2025-03-10-baru.md").write_text(
        "---\ntitle: Berita baru\ncategory: berita\n---\n\nIsi.\n")
    (tmp_path / "content" / "kim-b" / "posts" / "2025-03-11-baru-b.md").write_text(
        "---\ntitle: Berita baru B\ncategory: berita\n---\n\nIsi.\n")
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 1, result.stderr
    assert "content/kim-a/profile.yaml:1" in result.stderr and "versi terakhir tetap tayang" in result.stderr
    assert page.read_bytes() == published  # kim-a stands as last published
    assert not (output / "kim-a" / "2025" / "03" / "baru").exists()
    assert (output / "kim-b" / "2025" / "03" / "baru-b" / "index.html").is_file()  # kim-b goes on
    hub = (output / "index.html").read_text()
    assert "Berita baru B" in hub and "/kim-a/2025/01/berita-1/" in hub  # kim-a's posts stay in the hub


def test_check_validates_without_writing(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), **BROKEN_POSTS}})
    result = run_kimsite("check", "--config", str(config))
    assert result.returncode == 1
    assert "2025-02-02-tanpa-judul.md:2" in result.stderr
    assert not (tmp_path / "output").exists()
    clean = write_regency(tmp_path / "clean", {"kim-a": good_posts(2)})
    assert run_kimsite("check", "--config", str(clean)).returncode == 0


def test_a_light_colour_is_a_warning_and_strict_fails(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "profile.yaml": "name: KIM A\ncolor: \"#ffee55\"\n"}})
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    assert "content/kim-a/profile.yaml:2 [color]: peringatan/warning" in result.stderr
    assert "--accent" not in (tmp_path / "output" / "kim-a" / "index.html").read_text()
    strict = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE, "--strict")
    assert strict.returncode == 1


def _every_file(root: Path) -> dict[str, bytes]:
    """Every file but kimsite's own build cache."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(".kimsite-cache/")}


def test_an_output_over_the_project_is_refused_and_nothing_is_deleted(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(2)})
    (tmp_path / "catatan-saya.txt").write_text("untracked notes")
    before = _every_file(tmp_path)
    (tmp_path / "tautan").symlink_to(tmp_path / "content")  # a symlinked output
    for output in ("content", ".", "..", "content/kim-a/posts", "tautan",
                   str(Path(__file__).resolve().parent.parent / "themes" / "kim")):
        result = run_kimsite("build", "--config", str(config), "--output", output, "--build-date", BUILD_DATE,
                             cwd=tmp_path)  # as a user types it, in the regency's folder
        assert result.returncode == 2, (output, result.stderr)
        assert "Traceback" not in result.stderr and "perbaiki/fix: pilih folder output tersendiri" in result.stderr
        assert _every_file(tmp_path) == before, output  # not one file touched


def test_an_output_folder_of_other_files_is_not_taken_over(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(1)})
    other = tmp_path / "dokumen"
    other.mkdir()
    (other / "laporan.docx").write_bytes(b"not kimsite's")
    result = run_kimsite("build", "--config", str(config), "--output", str(other), "--build-date", BUILD_DATE)
    assert result.returncode == 2 and "bukan buatan kimsite" in result.stderr
    assert sorted(p.name for p in other.iterdir()) == ["laporan.docx"]
    forced = run_kimsite("build", "--config", str(config), "--output", str(other), "--build-date", BUILD_DATE,
                         "--force")
    assert forced.returncode == 0, forced.stderr
    assert (other / "laporan.docx").read_bytes() == b"not kimsite's" and (other / "kim-a" / "index.html").is_file()
    config.write_text(config.read_text() + "output: content/kim-a\n")  # the same, written in sites.yaml
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 2


def test_a_rebuild_never_deletes_a_file_kimsite_did_not_make(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(1), "kim-b": good_posts(1)})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    output = tmp_path / "output"
    (output / "google1234.html").write_text("site verification")  # a host's own file
    (output / "unduhan").mkdir()
    (output / "unduhan" / "perdes.pdf").write_bytes(b"%PDF")
    config.write_text(config.read_text().replace("kim-b", "kim-c"))  # kim-b leaves the regency
    (tmp_path / "content" / "kim-b").rename(tmp_path / "content" / "kim-c")
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    assert (output / "google1234.html").read_text() == "site verification"
    assert (output / "unduhan" / "perdes.pdf").read_bytes() == b"%PDF"
    assert not (output / "kim-b").exists() and (output / "kim-c" / "index.html").is_file()  # kimsite's own went


BOMB = "".join(f"{a}: &{a} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
               for p, a in zip(["", *"abcdefgh"], "abcdefghi", strict=True))


def test_a_yaml_alias_bomb_is_refused_at_once_in_every_file(tmp_path: Path) -> None:
    import time

    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "posts/2025-03-01-bom.md": f"---\n{BOMB}---\n\nx\n"},
                                      "kim-b": {**good_posts(1), "profile.yaml": BOMB}})
    started = time.monotonic()
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert time.monotonic() - started < 30 and result.returncode == 1, result.stderr
    assert "content/kim-a/posts/2025-03-01-bom.md:2" in result.stderr and "alias" in result.stderr
    assert "content/kim-b/profile.yaml:1" in result.stderr
    assert (tmp_path / "output" / "kim-a" / "2025" / "01" / "berita-1" / "index.html").is_file()
    config.write_text(config.read_text() + BOMB.replace("a: &a", "zz: &a"))
    started = time.monotonic()
    result = run_kimsite("check", "--config", str(config))
    assert time.monotonic() - started < 30 and result.returncode == 2
    assert "anchor dan alias membuat isi terlalu besar" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_image_fails_only_the_file_that_uses_it(tmp_path: Path) -> None:
    big = tmp_path / "besar.png"
    Image.new("1", (30000, 30000)).save(big, "PNG", optimize=True)  # a 'decompression bomb': small file, 900 MP
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    config = write_regency(tmp_path, {
        "kim-a": {**good_posts(2), "logo.svg": svg,
                  "profile.yaml": "name: KIM A\nlogo: logo.svg\n",
                  "posts/besar.png": big.read_bytes(),
                  "posts/2025-03-01-foto-besar.md": "---\ntitle: Foto besar\ncategory: berita\nimage: besar.png\n"
                                                   "image_alt: x\n---\n\nIsi.\n"},
        "kim-b": good_posts(1),
    })
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    err = result.stderr
    assert result.returncode == 1 and "Traceback" not in err, err
    assert "gambar terlalu besar: 30000 × 30000 piksel, batas 40 MP" in err
    assert "content/kim-a/logo.svg" in err and "peringatan/warning" in err
    assert "PIL" not in err and "Error:" not in err and "kimsite." not in err  # no class names
    output = tmp_path / "output"
    assert (output / "kim-a" / "2025" / "02" / "berita-2" / "index.html").is_file()  # the KIM still builds
    assert not (output / "kim-a" / "2025" / "03" / "foto-besar").exists()
    assert not (output / "kim-a" / "logo.png").exists()
    home = BeautifulSoup((output / "kim-a" / "index.html").read_text(), "html.parser")
    assert "logo.png" not in str(home)
    assert home.select_one(".brand .badge").get_text() == "A"  # the initials badge stands in for the logo
    assert "/kim-a/2025/02/berita-2/" in (output / "index.html").read_text()  # and stays in the hub


def test_the_last_good_version_survives_a_move_of_the_project(tmp_path: Path) -> None:
    """A CI cache restored at another path: the post that broke keeps its page, photo included."""
    import shutil

    photo = _photo(tmp_path / "foto.jpg")
    first = tmp_path / "di-sini"
    post = "---\ntitle: Panen\ncategory: berita\nimage: sawah.jpg\nimage_alt: Sawah\n---\n\nIsi.\n"
    config = write_regency(first, {"kim-a": {**good_posts(1), "posts/sawah.jpg": photo,
                                             "posts/2025-03-01-panen.md": post}})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    moved = tmp_path / "ke-sana"
    shutil.move(first, moved)
    (moved / "content" / "kim-a" / "posts" / "2025-03-01-panen.md").write_text("---\ntitle: [rusak\n---\n")
    result = run_kimsite("build", "--config", str(moved / "sites.yaml"), "--build-date", BUILD_DATE)
    assert result.returncode == 1 and "2025-03-01-panen.md:2" in result.stderr
    page = moved / "output" / "kim-a" / "2025" / "03" / "panen" / "index.html"
    assert page.is_file() and "Panen" in page.read_text() and "<picture>" in page.read_text()


def test_a_nul_byte_in_a_kim_name_is_refused(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(1)})
    config.write_text(config.read_text().replace("name: KIM kim-a", 'name: "KIM\\0kim-a"', 1))
    result = run_kimsite("check", "--config", str(config))
    assert result.returncode == 2 and "[kims.0.name]" in result.stderr and "Traceback" not in result.stderr
    assert "karakter kontrol" in result.stderr


def _build_with_override(tmp_path: Path, rel: str, text: str):  # noqa: ANN202 - a CompletedProcess
    """Build one KIM with `theme_overrides: tampilan` holding `rel` (the default theme below it)."""
    override = tmp_path / "tampilan" / rel
    override.parent.mkdir(parents=True)
    override.write_text(text)
    config = write_regency(tmp_path, {"kim-a": good_posts(1)}, "theme_overrides: tampilan\n")
    config.write_text("\n".join(line for line in config.read_text().splitlines() if not line.startswith("theme:")))
    return run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)


def test_a_broken_hub_template_override_names_its_file_and_line(tmp_path: Path) -> None:
    """Diskominfo's `theme_overrides` with a hub template that does not compile: the file and the
    line, what to do, no traceback and no class name; the KIM sites are built all the same."""
    result = _build_with_override(tmp_path, "hub/base.html", "<html>\n<body>\n{% for x in %}\n</body></html>\n")
    assert result.returncode == 1
    assert "hub/base.html:3: galat/error: templat portal tidak bisa dipakai" in result.stderr
    assert "theme_overrides" in result.stderr and "Traceback" not in result.stderr
    assert "TemplateSyntaxError" not in result.stderr and "internal error" not in result.stderr
    assert (tmp_path / "output" / "kim-a" / "index.html").is_file()


def test_a_broken_kim_template_override_names_its_file_and_line(tmp_path: Path) -> None:
    """The same for a KIM site's template (Pelican renders it): each KIM fails with the file and
    the line, not with the template engine's class name and a request to report a bug."""
    result = _build_with_override(tmp_path, "templates/article.html",
                                  "{% extends 'base.html' %}\n{% block content %}\n{{ article.title | }}\n")
    assert result.returncode == 1
    assert "templates/article.html:3: galat/error: templat situs KIM tidak bisa dipakai" in result.stderr
    assert "TemplateSyntaxError" not in result.stderr and "laporkan ke tim kimsite" not in result.stderr
    assert "Traceback" not in result.stderr
