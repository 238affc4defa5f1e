"""`kimsite serve`: a real preview server on 127.0.0.1 that rebuilds on save."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.regency import good_posts, write_regency


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode()
            if text in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never appeared at {url}; last body: {body[:300]}")


def test_serve_previews_and_rebuilds_on_save(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": good_posts(2)})
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "kimsite", "serve", "--config", str(config), "--port", str(port)],
                              stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}/"
        home = _wait_for(base + "kim-a/", "Berita 2")
        assert f"href={base}kim-a/2025/02/berita-2/" in home  # links point at the preview (minified HTML)
        post = tmp_path / "content" / "kim-a" / "posts" / "2025-02-10-berita-2.md"
        post.write_text(post.read_text().replace("title: Berita 2", "title: Judul Baru"))
        _wait_for(base + "kim-a/", "Judul Baru")
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_serve_never_touches_output_and_previews_drafts(tmp_path: Path) -> None:
    config = write_regency(tmp_path, {"kim-a": {
        **good_posts(1),
        "posts/2025-03-01-draf.md": "---\ntitle: Masih Draf\ncategory: berita\ndraft: true\n---\n\nIsi.\n",
        "posts/2099-01-01-nanti.md": "---\ntitle: Terbit Nanti\ncategory: berita\n---\n\nIsi.\n",
    }})
    output = tmp_path / "output"
    output.mkdir()
    (output / "milik-saya.txt").write_text("not kimsite's")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "kimsite", "serve", "--config", str(config), "--port", str(port),
                               "--bind", "127.0.0.1", "--drafts"], stdout=log, stderr=log)
    try:
        home = _wait_for(f"http://127.0.0.1:{port}/kim-a/", "Masih Draf")
        assert "Terbit Nanti" in home and "Berita 1" in home
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    assert sorted(p.name for p in output.iterdir()) == ["milik-saya.txt"]  # output/ untouched
    assert (tmp_path / ".kimsite-preview" / "kim-a" / "index.html").is_file()


def test_deploy_refuses_an_output_built_for_another_base_url(tmp_path: Path) -> None:
    from tests.conftest import BUILD_DATE, run_kimsite

    deploy = "deploy:\n  targets:\n    - name: web\n      type: local\n      path: public\n"
    config = write_regency(tmp_path, {"kim-a": good_posts(1)}, deploy)
    built = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE,
                        "--base-url", "http://127.0.0.1:8000/")
    assert built.returncode == 0, built.stderr
    refused = run_kimsite("deploy", "--config", str(config))
    assert refused.returncode == 2 and "http://127.0.0.1:8000/" in refused.stderr and "--base-url" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "public").exists()
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    assert run_kimsite("deploy", "--config", str(config)).returncode == 0
    assert (tmp_path / "public" / "kim-a" / "index.html").is_file()
