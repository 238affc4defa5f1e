"""Small commands through the real command line."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BUILD_DATE, run_kimsite
from tests.regency import good_posts, write_regency


def test_new_post_is_ready_to_edit_and_valid(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(1)})
    result = run_kimsite("new", "post", "--config", str(config), "--kim", "kim-a", "Panen Raya di Glagah")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == tmp_path / "content" / "kim-a" / "posts"
    assert path.name.endswith("-panen-raya-di-glagah.md")
    assert 'title: "Panen Raya di Glagah"' in path.read_text()
    assert run_kimsite("check", "--config", str(config)).returncode == 0  # a valid draft
    again = run_kimsite("new", "post", "--config", str(config), "--kim", "kim-a", "Panen Raya di Glagah")
    assert again.returncode == 1 and "sudah ada" in again.stderr


def test_new_post_for_an_unknown_kim(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(1)})
    result = run_kimsite("new", "post", "--config", str(config), "--kim", "kim-x", "Judul")
    assert result.returncode == 1
    assert "kim-x" in result.stderr and "kim-a" in result.stderr and "Traceback" not in result.stderr


def test_build_reports_progress_and_summary(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(2), "kim-b": good_posts(1)})
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    assert "] kim-a: 2 berita/posts" in result.stderr and "] kim-b: 1 berita/posts" in result.stderr
    assert "2 KIM ok (0 tidak berubah/unchanged), 0 gagal/failed; 3 berita/posts" in result.stderr


def test_a_missing_config_is_a_clear_error(tmp_path: Path) -> None:
    result = run_kimsite("build", "--config", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "berkas konfigurasi tidak ada" in result.stderr and "Traceback" not in result.stderr
