"""Small commands through the real command line."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BUILD_DATE, ROOT, run_kimsite
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


def test_a_crash_log_is_a_new_private_file_never_through_a_symlink(tmp_path: Path) -> None:
    import os
    import stat
    import subprocess
    import sys

    cache = tmp_path / "cache"
    (cache / "kimsite").mkdir(parents=True)
    target = tmp_path / "korban.txt"
    target.write_text("jangan ditimpa")
    (cache / "kimsite" / "kimsite-crash.log").symlink_to(target)  # the old fixed name, planted
    crash = "import sys; sys.argv=['kimsite','build']; import kimsite.build.pipeline as p\n" \
            "def boom(*a, **k): raise RuntimeError('boom')\np.build = boom\nfrom kimsite import cli\n" \
            "cli.STEPS['build'] = boom\ncli.main()"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    logs = []
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", crash], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=120, check=False)
        assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr
        logs.append(Path(result.stderr.split("rincian/details: ", 1)[1].split(" ")[0]))
    assert logs[0] != logs[1] and all(log.parent == cache / "kimsite" for log in logs)
    assert all(stat.S_IMODE(log.stat().st_mode) == 0o600 and "RuntimeError: boom" in log.read_text() for log in logs)
    assert target.read_text() == "jangan ditimpa"


def test_cli_conventions_usage_errors_quiet_and_help_indonesian_first(tmp_path: Path) -> None:
    import json

    usage = run_kimsite("buildd")
    assert usage.returncode == 4 and "Traceback" not in usage.stderr  # not 2: sites.yaml is fine
    config = write_regency(tmp_path, {"kim-a": good_posts(1)})
    quiet = run_kimsite("-q", "build", "--config", str(config), "--build-date", BUILD_DATE)
    assert quiet.returncode == 0 and "[1/1]" not in quiet.stderr and "Selesai/Done" in quiet.stderr
    for command in ("build", "check", "deploy", "serve", "init", "new", "regions", "schema"):
        text = run_kimsite(command, "--help").stdout
        summary = next(line for line in text.splitlines()[2:] if line.strip())
        assert " / " in summary, (command, summary)  # "Bangun ... / build ...": Indonesian first, English beside
    written = run_kimsite("schema", str(tmp_path / "schema"))
    assert written.returncode == 0
    sites = json.loads((tmp_path / "schema" / "kimsite-sites.schema.json").read_text())
    assert {"regency", "kims", "default_category", "theme_overrides"} <= set(sites["properties"])
    post = json.loads((tmp_path / "schema" / "kimsite-post.schema.json").read_text())
    assert {"title", "date", "category", "slug", "updated"} <= set(post["properties"])


def test_serve_on_a_port_in_use_says_which_port_to_take(tmp_path: Path) -> None:
    import socket

    config = write_regency(tmp_path, {"kim-a": good_posts(1)})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_kimsite("serve", "--config", str(config), "--port", str(port))
    assert result.returncode == 2 and f"--port {port + 1}" in result.stderr and "Traceback" not in result.stderr
    assert "internal error" not in result.stderr


def test_init_refuses_bad_codes_and_a_folder_in_use_and_new_kim_refuses_others(tmp_path: Path) -> None:
    unknown = run_kimsite("init", str(tmp_path / "a"), "--regency", "35.7")
    assert unknown.returncode == 2 and "35.73 Kota Malang" not in unknown.stderr and "35.01" in unknown.stderr
    province = run_kimsite("init", str(tmp_path / "a"), "--regency", "35")
    assert province.returncode == 2 and "kode provinsi" in province.stderr
    assert "35.07 Kabupaten Malang" in province.stderr
    district = run_kimsite("init", str(tmp_path / "a"), "--regency", "35.73.01")
    assert district.returncode == 2 and "kode kecamatan" in district.stderr and "35.73 Kota Malang" in district.stderr
    assert not (tmp_path / "a").exists()
    made = run_kimsite("init", str(tmp_path / "malang"), "--regency", "35.73")
    assert made.returncode == 0, made.stderr
    sites = tmp_path / "malang" / "sites.yaml"
    text = sites.read_text()
    assert "name: Kota Malang" in text and "timezone: WIB" in text and "district_title: Kecamatan" in text
    assert "village_title" in text and "# kimsite configuration of Kota Malang" in text
    again = run_kimsite("init", str(tmp_path / "malang"), "--regency", "35.73")
    assert again.returncode == 2 and "tidak kosong" not in again.stderr and "sudah berisi berkas" in again.stderr
    outside = run_kimsite("new", "kim", "--config", str(sites), "--village", "34.01.01.2004")
    assert outside.returncode == 2 and "bukan bagian dari 35.73" in outside.stderr
    added = run_kimsite("new", "kim", "--config", str(sites), "--village", "35.73.02.1001", "--slug", "kim-klojen")
    assert added.returncode == 0, added.stderr
    taken = run_kimsite("new", "kim", "--config", str(sites), "--village", "35.73.02.1002", "--slug", "kim-klojen")
    assert taken.returncode == 2 and "sudah dipakai" in taken.stderr
    after = sites.read_text()
    assert after.startswith(text.split("kims:")[0])  # comments and order above the list kept as written
    assert '  - slug: kim-klojen\n    name: KIM Klojen\n    village_code: "35.73.02.1001"' in after
    profile = (tmp_path / "malang" / "content" / "kim-klojen" / "profile.yaml").read_text()
    assert "village: Klojen" in profile and "district: Klojen" in profile
    found = run_kimsite("regions", "find", "klojen")
    assert found.returncode == 0 and "35.73.02\tdistrict\tKlojen" in found.stdout


def test_a_progress_bar_on_a_terminal_and_plain_lines_when_piped(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    import pytest

    if shutil.which("script") is None:
        pytest.skip("script (util-linux) is not installed")
    config = write_regency(tmp_path, {"kim-a": good_posts(1), "kim-b": good_posts(1)})
    piped = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert "[1/2]" in piped.stderr and "━" not in piped.stderr
    command = f"{sys.executable} -m kimsite build --config {config} --build-date {BUILD_DATE} --output {tmp_path / 'b'}"
    terminal = subprocess.run(["script", "-qc", command, "/dev/null"], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, check=False)
    assert terminal.returncode == 0 and "2/2" in terminal.stdout and "━" in terminal.stdout
    assert "[1/2]" not in terminal.stdout and "Selesai/Done" in terminal.stdout


def test_verbose_build_says_where_the_time_went(tmp_path: Path) -> None:
    import re

    config = write_regency(tmp_path, {"kim-a": good_posts(2), "kim-b": good_posts(1)})
    result = run_kimsite("-v", "build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stderr.splitlines() if x.startswith("Waktu/Time: "))
    stages = re.findall(r"(\S+) ([\d.]+) s \(([\d.]+) core-s\)", line)
    assert [name for name, _w, _c in stages] == ["baca/read", "situs/sites", "portal/hub"]
    assert float(stages[1][2]) > 0  # the workers' CPU time is counted, once they are done
    again = run_kimsite("-v", "build", "--config", str(config), "--build-date", BUILD_DATE)
    assert "portal/hub" not in again.stderr.splitlines()[-1]  # nothing changed: the hub stands
    assert "Waktu/Time" not in run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).stderr
