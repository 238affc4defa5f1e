"""A writer at 360 px, for real: Debian's headless Chromium opens `<kim>/admin/` (Decap CMS,
the pinned bundle the build copied into the hub) against decap-server on 127.0.0.1, fills in
a news post with a photo, a product and an event through the forms and saves them; the
files land in `content/<kim>/`, and a build publishes the post's page, its feed entry and
its photo variants. Screenshots of the editor are kept under the test's tmp folder."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, sync_playwright

from tests.cmsfixture import NPM, cms_regency
from tests.conftest import run_kimsite
from tests.servers._common import free_ports, missing, port_open, running

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None and not os.environ.get("KIMSITE_REQUIRE_BROWSER"):  # CI sets it: there it must run
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
SERVER = NPM / "node_modules" / "decap-server" / "dist" / "index.js"
WIB = ZoneInfo("Asia/Jakarta")
PHONE = {"viewport": {"width": 360, "height": 780}, "timezone_id": "Asia/Jakarta", "locale": "id-ID"}


@dataclass
class Cms:
    root: Path  # the regency (the "repository" decap-server writes into)
    config: Path
    output: Path
    base: str  # where the output is served
    shots: Path

    def admin(self, kim: str = "kim-alpha") -> str:
        return f"{self.base}{kim}/admin/"

    def build(self, day: str) -> None:
        result = run_kimsite("build", "--config", str(self.config), "--output", str(self.output),
                             "--base-url", self.base, "--build-date", day)
        assert result.returncode == 0, result.stdout + result.stderr


def _decap_ready(port: int) -> bool:
    """decap-server listens before its API is there: in `git` mode it checks the repository first
    and answers 404 until then, so a 404 means "not yet", as a closed port does."""
    if not port_open(port):
        return False
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=b'{"action":"info"}',
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as answer:  # noqa: S310 - 127.0.0.1
            return "publish_modes" in json.load(answer)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


GIT = {"GIT_AUTHOR_NAME": "Penulis KIM", "GIT_AUTHOR_EMAIL": "penulis@kim.example",
       "GIT_COMMITTER_NAME": "Penulis KIM", "GIT_COMMITTER_EMAIL": "penulis@kim.example"}


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False,
                            env={**os.environ, **GIT})
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextlib.contextmanager
def _cms(tmp_path: Path, mode: str) -> Iterator[Cms]:
    """The regency built and served on 127.0.0.1, with decap-server writing into it: `fs` writes
    files as they are saved, `git` (the editorial workflow) keeps each post on a branch of its own
    until an editor publishes it, as a pull/merge request does on GitHub or GitLab."""
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        missing("decap-server", "make cms installs it with npm ci into .cms/")
    http_port, api_port = free_ports(2)
    base = f"http://127.0.0.1:{http_port}/"
    workflow = "  editorial_workflow: true\n" if mode == "git" else ""
    config = cms_regency(tmp_path, f"{workflow}  local_backend: http://127.0.0.1:{api_port}/api/v1\n")
    site = Cms(config.parent, config, tmp_path / "output", base, tmp_path / "screenshots")
    site.shots.mkdir()
    if mode == "git":  # the regency's repository, as `kimsite init` makes it (build state ignored)
        (site.root / ".gitignore").write_text(".kimsite-cache/\nreports/\n", encoding="utf-8")
        _git(site.root, "init", "-q", "-b", "main")
        _git(site.root, "add", "-A")
        _git(site.root, "commit", "-q", "-m", "Regency")
    site.build(datetime.now(WIB).date().isoformat())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", http_port), functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(site.output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, **GIT, "PORT": str(api_port), "BIND_HOST": "127.0.0.1", "MODE": mode,
           "GIT_REPO_DIRECTORY": str(site.root), "LOG_LEVEL": "info"}
    try:
        with running([node, str(SERVER)], log=tmp_path / "decap-server.log", ready=lambda: _decap_ready(api_port),
                     what="decap-server", env=env):
            yield site
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def cms(tmp_path: Path) -> Iterator[Cms]:
    with _cms(tmp_path, "fs") as site:
        yield site


@pytest.fixture
def cms_git(tmp_path: Path) -> Iterator[Cms]:
    with _cms(tmp_path, "git") as site:
        yield site


def _camera_photo(path: Path) -> Path:
    """A photo as big as a phone's (the build makes 360, 720 and 1080 px variants, never upscaled)."""
    from PIL import Image

    Image.new("RGB", (1600, 1200), (46, 125, 50)).save(path, quality=90)
    return path


def _new(page: Page, cms: Cms, collection: str, label: str) -> None:
    """A new entry's form, in a fresh load of the page (as a writer opening a link): moving from
    one entry to another by the address's #part alone can leave the last form in place."""
    page.goto("about:blank")
    page.goto(cms.admin() + f"#/collections/{collection}/new")
    page.get_by_text(f"Menulis di {label}").wait_for()


def _fits(page: Page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{what}: {width}px wide at a 360px viewport"


def _photo(page: Page, button: str, path: Path, shot: Path | None = None) -> None:
    page.get_by_role("button", name=button).click()
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(path.name).first.wait_for()
    if shot:
        page.screenshot(path=str(shot))
    page.get_by_role("button", name="Pakai yang dipilih").click()


def _shot(page: Page, label: str, path: Path) -> None:
    """The editor scrolled to a field (the form scrolls inside the page)."""
    page.get_by_label(label).first.scroll_into_view_if_needed()
    page.screenshot(path=str(path))


def _body(page: Page, text: str) -> None:
    page.locator("[data-slate-editor=true]").click()
    page.keyboard.type(text)


def _choose(page: Page, field: str, option: str) -> None:
    page.locator(f"[id^={field}-field]").click()
    page.get_by_text(option, exact=True).click()


def _publish(page: Page, shot: Path | None = None, menu: Path | None = None) -> None:
    page.get_by_role("button", name="Terbitkan").first.click()
    if menu:
        page.screenshot(path=str(menu))
    page.get_by_text("Terbitkan sekarang").click()
    page.wait_for_url("**/entries/**", timeout=30_000)  # saved: the CMS opens the entry, only then go elsewhere
    page.get_by_role("button", name="Sudah terbit", exact=True).wait_for(timeout=30_000)
    if shot:
        page.screenshot(path=str(shot))


def _write_post(page: Page, cms: Cms, photo: Path) -> None:
    _new(page, cms, "berita", "Berita")
    page.get_by_label("Judul").fill("Panen Raya Padi di Bulak Kidul")
    _choose(page, "category", "Pertanian")
    page.get_by_label("Topik").fill("panen, padi")
    page.get_by_label("Ringkasan").fill("Gapoktan Sido Makmur memanen 12 hektare padi.")
    _shot(page, "Judul", cms.shots / "2-berita-judul.png")
    _photo(page, "Pilih foto", photo, cms.shots / "3-unggah-foto.png")
    page.get_by_label("Keterangan foto").fill("Petani memanen padi di sawah yang menguning")
    _shot(page, "Keterangan foto", cms.shots / "4-berita-foto.png")
    _body(page, "Gapoktan Sido Makmur memanen padi varietas Inpari 32 pada Sabtu pagi.")
    _fits(page, "the news form")
    page.screenshot(path=str(cms.shots / "5-berita-isi.png"))
    _publish(page, cms.shots / "7-tersimpan.png", cms.shots / "6-terbitkan.png")


def _write_product(page: Page, cms: Cms, photo: Path) -> None:
    _new(page, cms, "produk", "Produk UMKM")
    page.get_by_label("Nama produk").fill("Gula Semut Kelapa")
    _choose(page, "category", "Makanan & Minuman")
    page.get_by_label("Harga (rupiah)").fill("25000")
    page.get_by_label("Satuan").fill("per 500 gram")
    page.get_by_label("Penjual atau usaha").fill("KWT Manggar Sari")
    page.get_by_label("Nomor WhatsApp penjual").fill("0812-2700-0501")
    page.get_by_role("button", name="Tambah foto produk").click()
    _photo(page, "Pilih foto", photo)
    _body(page, "Gula semut dari nira kelapa warga, tanpa campuran gula pasir.")
    _fits(page, "the product form")
    _shot(page, "Harga (rupiah)", cms.shots / "8-produk.png")
    _publish(page)


def _write_event(page: Page, cms: Cms, start: datetime) -> None:
    _new(page, cms, "agenda", "Agenda")
    page.get_by_label("Nama acara").fill("Posyandu Lansia")
    page.get_by_label("Mulai (WIB)").fill(f"{start:%Y-%m-%dT%H:%M}")
    page.get_by_label("Tempat").fill("Balai Kalurahan")
    _body(page, "Pemeriksaan tekanan darah gratis untuk warga lanjut usia.")
    _fits(page, "the event form")
    _shot(page, "Nama acara", cms.shots / "9-agenda.png")
    _publish(page)


def test_a_writer_publishes_a_post_a_product_and_an_event_from_a_phone(cms: Cms, tmp_path: Path) -> None:
    photo = _camera_photo(tmp_path / "panen-raya.jpg")
    start = (datetime.now(WIB) + timedelta(days=7)).replace(hour=8, minute=0, second=0, microsecond=0)
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(**PHONE).new_page()
        page.goto(cms.admin())
        page.get_by_role("button", name="Masuk").click()  # the local backend needs no account
        page.get_by_text("Jenis tulisan").wait_for()
        _fits(page, "the collections")
        page.screenshot(path=str(cms.shots / "1-daftar-tulisan.png"))
        _write_post(page, cms, photo)
        _write_product(page, cms, _camera_photo(tmp_path / "gula-semut.jpg"))
        _write_event(page, cms, start)
        browser.close()
    kim = cms.root / "content" / "kim-alpha"
    today = datetime.now(WIB).date()
    post = kim / "posts" / f"{today:%Y-%m-%d}-panen-raya-padi-di-bulak-kidul.md"
    assert post.is_file() and (kim / "posts" / "panen-raya.jpg").is_file()  # the photo beside the post
    product = kim / "products" / "gula-semut-kelapa.md"
    assert product.is_file() and (kim / "products" / "gula-semut.jpg").is_file()
    event = kim / "agenda" / "posyandu-lansia.md"
    assert f"start: {start:%Y-%m-%d %H:%M}" in event.read_text(encoding="utf-8")
    check = run_kimsite("check", "--config", str(cms.config), "--build-date", today.isoformat())
    assert "0 galat/errors, 0 peringatan/warnings" in check.stdout + check.stderr, check.stdout + check.stderr
    cms.build(today.isoformat())
    _published(cms, today)


def _published(cms: Cms, today: object) -> None:
    site = cms.output / "kim-alpha"
    page = site / f"{today:%Y/%m}" / "panen-raya-padi-di-bulak-kidul" / "index.html"
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert html.find("h1").get_text(strip=True) == "Panen Raya Padi di Bulak Kidul"
    variants = [part.split()[0] for source in html.find_all("source") for part in source["srcset"].split(", ")]
    assert [v.rsplit("-", 1)[1] for v in variants] == ["360.webp", "720.webp", "1080.webp"]
    assert all((site / v.removeprefix(cms.base + "kim-alpha/")).is_file() for v in variants)
    feed = feedparser.parse((site / "rss.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Panen Raya Padi di Bulak Kidul")
    assert entry.link == f"{cms.base}kim-alpha/{today:%Y/%m}/panen-raya-padi-di-bulak-kidul/"
    assert (site / "produk" / "gula-semut-kelapa" / "index.html").is_file()
    assert "Posyandu Lansia" in (site / "agenda.ics").read_text(encoding="utf-8")


def _status(page: Page, now: str, new: str) -> None:
    page.get_by_role("button", name=f"Status: {now}").click()
    page.get_by_text(new, exact=True).click()
    page.get_by_role("button", name=f"Status: {new}").wait_for()


def test_with_the_editorial_workflow_a_post_waits_for_an_editor(cms_git: Cms) -> None:
    cms, today = cms_git, datetime.now(WIB).date()
    name = f"{today:%Y-%m-%d}-kerja-bakti-jumat-bersih"
    post = cms.root / "content" / "kim-alpha" / "posts" / f"{name}.md"
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(**PHONE).new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "Yakin ingin menerbitkan tulisan ini?"
        page.goto(cms.admin())
        page.get_by_role("button", name="Masuk").click()
        page.get_by_text("Jenis tulisan").wait_for()
        _new(page, cms, "berita", "Berita")  # the writer
        page.get_by_label("Judul").fill("Kerja Bakti Jumat Bersih")
        _body(page, "Warga RW 03 membersihkan saluran air menjelang musim hujan.")
        page.get_by_role("button", name="Simpan").first.click()
        page.get_by_role("button", name="Status: Draf").wait_for(timeout=30_000)
        _status(page, "Draf", "Ditinjau")  # sent for review
        branch = f"cms/berita/{name}"
        assert branch in _git(cms.root, "branch", "--list", "cms/*") and not post.exists()  # not on main yet
        changed = _git(cms.root, "diff", "--name-only", f"main...{branch}")
        assert changed.split() == [f"content/kim-alpha/posts/{name}.md"], changed
        check = subprocess.run([sys.executable, "-m", "kimsite", "check", "--config", str(cms.config),
                                "--changed-files", "-"], input=changed, capture_output=True, text=True, check=False)
        assert "0 galat/errors, 0 peringatan/warnings" in check.stdout + check.stderr, check.stdout + check.stderr
        page.goto("about:blank")
        page.goto(cms.admin() + "#/workflow")  # the editor's board: drafts, in review, ready
        page.get_by_text("Kerja Bakti Jumat Bersih").first.wait_for()
        _fits(page, "the review board")
        page.screenshot(path=str(cms.shots / "10-tinjauan.png"), full_page=True)
        page.get_by_text("Kerja Bakti Jumat Bersih").first.click()
        _status(page, "Ditinjau", "Siap")  # approved
        page.get_by_role("button", name="Terbitkan").first.click()
        page.get_by_text("Terbitkan sekarang").click()
        page.get_by_role("button", name="Sudah terbit", exact=True).wait_for(timeout=30_000)
        browser.close()
    assert post.is_file() and not _git(cms.root, "branch", "--list", "cms/*").strip()  # merged into main
    assert _git(cms.root, "log", "--format=%s", "main", "--", str(post.relative_to(cms.root))).strip()


def _write_fact_check(page: Page, cms: Cms) -> None:
    _new(page, cms, "cek-fakta", "Cek Fakta")
    page.get_by_label("Judul").fill("Cek Fakta: Tautan Bansos Lewat WhatsApp Itu Penipuan")
    page.get_by_label("Klaim yang diperiksa").fill("Pendaftaran bansos dibuka lewat tautan WhatsApp.")
    _choose(page, "verdict", "HOAKS")
    page.get_by_label("Sumber (alamat web)").fill("https://www.komdigi.go.id/berita")
    _body(page, "Kementerian Sosial tidak membuka pendaftaran lewat tautan WhatsApp.")
    _fits(page, "the fact-check form")
    _publish(page)


def _write_page(page: Page, cms: Cms) -> None:
    _new(page, cms, "halaman", "Halaman")
    page.get_by_label("Judul halaman").fill("Sejarah Desa")
    _body(page, "Desa ini berdiri sejak zaman Mataram.")
    _fits(page, "the page form")
    _publish(page)


def _add_aspiration(page: Page, cms: Cms) -> None:
    page.goto("about:blank")
    page.goto(cms.admin() + "#/collections/aspirasi/entries/aspirasi")
    page.get_by_role("button", name="Tambah aspirasi").click()
    page.locator("[id^=summary-field]").last.fill("Lampu jalan di RT 02 mati.")
    page.locator("[id^=rw-field]").last.fill("02")
    _fits(page, "the aspirasi log")
    page.get_by_role("button", name="Terbitkan").first.click()
    page.get_by_text("Terbitkan sekarang").click()
    page.get_by_role("button", name="Sudah terbit", exact=True).wait_for(timeout=30_000)


def test_a_fact_check_a_page_and_an_aspiration_through_the_real_forms_pass_check(cms: Cms) -> None:
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(**PHONE).new_page()
        page.goto(cms.admin())
        page.get_by_role("button", name="Masuk").click()
        page.get_by_text("Jenis tulisan").wait_for()
        _write_fact_check(page, cms)
        _write_page(page, cms)
        _add_aspiration(page, cms)
        browser.close()
    kim, today = cms.root / "content" / "kim-alpha", datetime.now(WIB).date()
    fact = kim / "posts" / f"{today:%Y-%m-%d}-cek-fakta-tautan-bansos-lewat-whatsapp-itu-penipuan.md"
    assert "verdict: HOAKS" in fact.read_text(encoding="utf-8") and (kim / "pages" / "sejarah-desa.md").is_file()
    assert "Lampu jalan di RT 02 mati." in (kim / "aspirasi.yaml").read_text(encoding="utf-8")
    check = run_kimsite("check", "--config", str(cms.config), "--build-date", today.isoformat())
    assert "0 galat/errors, 0 peringatan/warnings" in check.stdout + check.stderr, check.stdout + check.stderr
