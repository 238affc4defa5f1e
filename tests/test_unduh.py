"""The downloads (issue 22): the offline pack in a real Chromium with the network blocked, the
bulletin through poppler (pdfinfo, pdftotext, pdftoppm) and a real QR decoder (zbarimg), the
Unduh pages, the digest's links, the budgets and the incremental rebuild.

Screenshots (the pack at 360 px, the bulletin's first page) are kept under the test's tmp
folder for a human look.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kimsite.site import i18n
from tests.conftest import BUILD_DATE, run_kimsite
from tests.regency import write_regency

TOOLS = {name: shutil.which(name) for name in ("pdfinfo", "pdftotext", "pdftoppm", "zbarimg")}
REQUIRED = bool(os.environ.get("KIMSITE_REQUIRE_BROWSER") or os.environ.get("KIMSITE_REQUIRE_SERVERS"))
CHROMIUM = shutil.which("chromium")
LIMIT = 600 * 1024
SITE = "https://kim.example.go.id/kim-a/"


def need(*names: str) -> None:
    """Skip when a tool is missing, except in CI (which installs them: .ci/run)."""
    missing = [n for n in names if (TOOLS.get(n) if n in TOOLS else shutil.which(n)) is None]
    if missing and not REQUIRED:
        pytest.skip(f"not installed: {', '.join(missing)} (apt-get install poppler-utils zbar-tools chromium)")
    assert not missing, f"CI must have {missing}: see .ci/run"


def photo(colour: tuple[int, int, int], size: tuple[int, int] = (1600, 1067)) -> bytes:
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 80):
        draw.rectangle((x, size[1] // 3, x + 40, size[1] // 2), fill=(255 - colour[0], 200, 90))
    out = BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def post(title: str, day: str, extra: str = "", image: str = "") -> str:
    lead = f"image: {image}\nimage_alt: Foto {title}\n" if image else ""
    return (f"---\ntitle: {title}\ndate: {day} 09:00\ncategory: berita\nsummary: Ringkasan {title}.\n{lead}{extra}"
            f"---\n\nIsi {title} dengan tautan_yang_sangat_panjang_sekali_tanpa_spasi_untuk_layar_kecil_360_piksel"
            f" dan satu tabel.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")


# what the pack must take out of a post's text: an inline photo (a <picture> with srcsets on the
# site) and a video embed; the browser test proves that nothing is requested
MEDIA = ('\n![Pos ronda RW 02](pos-ronda.jpg)\n\n'
         '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Video ronda"></iframe>\n')
FACT = ('type: cek-fakta\nclaim: "Bantuan dibagikan lewat tautan WhatsApp."\nverdict: HOAKS\n'
        "sources:\n  - https://komdigi.go.id/\n")


def week_regency(root: Path, pack_posts: int = 15) -> Path:
    """KIM A: three posts this week (build date Sunday 22 November 2026), one a cek fakta, two
    with photos, older posts, an event; KIM B in another district with one post this week."""
    files: dict[str, str | bytes] = {
        "posts/2026-11-17-panen.md": post("Panen Cabai Lahan Pasir", "2026-11-17", image="panen.jpg"),
        "posts/panen.jpg": photo((40, 120, 60)),
        "posts/2026-11-19-hoaks.md": post("Cek Fakta Tautan Bantuan", "2026-11-19", FACT, image="hoaks.jpg"),
        "posts/hoaks.jpg": photo((150, 40, 40)),
        "posts/2026-11-21-ronda.md": post("Jadwal Ronda Malam", "2026-11-21") + MEDIA,
        "posts/pos-ronda.jpg": photo((60, 60, 140), (900, 600)),
        "agenda/2026-11-28-posyandu.md": ("---\ntitle: Posyandu Lansia\nstart: 2026-11-28 08:00\n"
                                          "end: 2026-11-28 11:00\nplace: Balai Kalurahan\n---\n\nCek tensi.\n"),
        "profile.yaml": 'name: KIM A\ncolor: "#8b1e4f"\ncontacts:\n  whatsapp: "081227000303"\n',
    }
    files.update({f"posts/2026-10-{10 + n}-lama-{n}.md": post(f"Berita Lama {n}", f"2026-10-{10 + n}")
                  for n in range(4)})
    kims = {"kim-a": files, "kim-b": {}, "kim-c": {"posts/2026-11-20-pasar.md": post("Pasar Kalurahan", "2026-11-20")}}
    extra = f"build:\n  pack_posts: {pack_posts}\n" if pack_posts != 15 else ""
    return write_regency(root, kims, config_extra=extra)


@pytest.fixture(scope="module")
def week_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unduh")
    config = week_regency(root)
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    return root / "output"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def feed_items(site: Path) -> list[dict[str, object]]:
    return json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]


def packs(output: Path) -> list[Path]:
    return sorted(output.glob("kim-*/unduh/kabar-*.html")) + sorted(output.glob("unduh/kabar-*.html"))


def test_every_site_and_the_hub_have_packs_within_the_limit(sample_output: Path) -> None:
    kims = sorted(p.name for p in sample_output.glob("kim-*") if p.is_dir())
    assert [p.parent.parent.name for p in sorted(sample_output.glob("kim-*/unduh/kabar-*.html"))] == kims
    for kim in kims:
        assert (sample_output / kim / "unduh" / f"buletin-{kim}.pdf").is_file()
    districts = sorted(p.name for p in sample_output.glob("wilayah/*") if p.is_dir())
    assert sorted(p.name for p in sample_output.glob("unduh/kabar-*.html")) == sorted(
        ["kabar-kabupaten.html", *(f"kabar-{d}.html" for d in districts)])
    assert sorted(p.name for p in sample_output.glob("unduh/buletin-*.pdf")) == [f"buletin-{d}.pdf" for d in districts]
    for pack in packs(sample_output):
        html = pack.read_text(encoding="utf-8")
        assert pack.stat().st_size <= LIMIT, pack
        assert not any(pack.with_name(f"{pack.name}.{s}").exists() for s in ("gz", "br"))  # sent as it is
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find("script") is None and soup.find("iframe") is None
        assert all(link["rel"] == ["canonical"] or link["href"] == "data:," for link in soup.find_all("link"))
        assert all(img["src"].startswith("data:image/webp;base64,") for img in soup.find_all("img"))
        assert soup.find("style") is not None and "default-src 'none'" in html
        assert soup.select_one("header a")["href"].startswith("https://")  # the online site
        assert "Dibuat dari kabar hingga" in soup.get_text()


def _open_offline(page, pack: Path) -> tuple[list[str], list[str]]:  # noqa: ANN001 - playwright's Page
    """Open the pack from disk with every network request refused; (requests out, failures)."""
    outside: list[str] = []
    failed: list[str] = []

    def refuse(route) -> None:  # noqa: ANN001
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", refuse)
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(pack.as_uri())
    page.wait_for_load_state("load")
    return outside, failed


def test_packs_load_offline_with_every_title_and_photo_at_360px(sample_output: Path, week_output: Path,
                                                                 shots: Path) -> None:
    need("chromium")
    from playwright.sync_api import sync_playwright

    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run"]
    cases = [(sample_output / kim / "unduh" / f"kabar-{kim}.html", sample_output / kim)
             for kim in ("kim-jangkaran", "kim-wates")]
    cases += [(week_output / "kim-a" / "unduh" / "kabar-kim-a.html", week_output / "kim-a"),
              (sample_output / "unduh" / "kabar-kabupaten.html", None)]
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=flags)
        context = browser.new_context(viewport={"width": 360, "height": 740}, offline=True)
        for pack, site in cases:
            page = context.new_page()
            outside, failed = _open_offline(page, pack)
            assert outside == [] and failed == [], pack
            titles = page.locator("article h3").all_inner_texts()
            if site is not None:  # every post of the KIM (each has fewer than 15) is in it, newest first
                items = feed_items(site)
                assert titles == [i["title"] for i in items][:15]
                assert page.locator("article img").count() == sum(1 for i in items if i.get("image"))
            images = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
            assert images and all(images), pack
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{pack.name} overflows: {width}px at 360px"
            assert page.evaluate("document.scripts.length") == 0
            page.screenshot(path=str(shots / f"{pack.stem}.png"), full_page=True)
            page.close()
        browser.close()


def _pdf_text(pdf: Path) -> str:
    return subprocess.run([TOOLS["pdftotext"], "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run([TOOLS["pdfinfo"], str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def _qr_urls(pdf: Path, folder: Path) -> list[str]:
    """Every page at 150 dpi, as a printer would give it, read by zbar."""
    subprocess.run([TOOLS["pdftoppm"], "-r", "150", "-png", str(pdf), str(folder / pdf.stem)], check=True)
    found = []
    for png in sorted(folder.glob(f"{pdf.stem}*.png")):
        done = subprocess.run([TOOLS["zbarimg"], "-q", "--raw", str(png)], capture_output=True, text=True, check=False)
        found += done.stdout.split()
    return found


def test_the_kim_bulletin_has_the_week_the_agenda_the_fact_check_and_qr_codes(week_output: Path, shots: Path) -> None:
    need("pdfinfo", "pdftotext", "pdftoppm", "zbarimg")
    pdf = week_output / "kim-a" / "unduh" / "buletin-kim-a.pdf"
    info = _pdf_info(pdf)
    assert 1 <= int(info["Pages"]) <= 2 and "A4" in info["Page size"]
    assert info["Title"] == "Buletin KIM A" and info["CreationDate"].startswith("Sat Nov 21")  # the newest post's day
    text = " ".join(_pdf_text(pdf).split())
    week = [i for i in feed_items(week_output / "kim-a") if str(i["date_published"]) >= "2026-11-16"]
    assert len(week) == 3
    for item in week:
        assert item["title"] in text
    assert "Berita Lama" not in text  # older news stays on the site
    assert "Pekan 16 November 2026 – 22 November 2026" in text
    for day in ("17 November 2026", "19 November 2026", "21 November 2026"):
        assert day in text
    assert "Cek fakta: HOAKS - Cek Fakta Tautan Bantuan" in text and "Bantuan dibagikan lewat tautan WhatsApp." in text
    assert "Posyandu Lansia" in text and "Balai Kalurahan" in text
    urls = _qr_urls(pdf, shots)
    assert sorted(urls) == sorted([SITE, *(str(i["url"]) for i in week), SITE + "2026/11/hoaks/"])
    assert (shots / "buletin-kim-a-1.png").is_file()  # kept for a human look


def test_the_district_bulletins_of_the_hub(week_output: Path, shots: Path) -> None:
    need("pdfinfo", "pdftotext", "pdftoppm", "zbarimg")
    bulletins = sorted((week_output / "unduh").glob("buletin-*.pdf"))
    districts = sorted(p.name for p in (week_output / "wilayah").iterdir() if p.is_dir())
    assert [p.stem.removeprefix("buletin-") for p in bulletins] == districts
    everything = ""
    for pdf in bulletins:
        assert 1 <= int(_pdf_info(pdf)["Pages"]) <= 2
        text = " ".join(_pdf_text(pdf).split())
        everything += text
        district = pdf.stem.removeprefix("buletin-")
        assert f"https://kim.example.go.id/wilayah/{district}/" in _qr_urls(pdf, shots)
    for title in ("Panen Cabai Lahan Pasir", "Cek Fakta Tautan Bantuan", "Jadwal Ronda Malam", "Pasar Kalurahan"):
        assert title in everything


def test_two_builds_with_the_same_date_give_the_same_downloads(tmp_path: Path) -> None:
    made = []
    for run in ("a", "b"):
        config = week_regency(tmp_path / run)
        assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
        output = tmp_path / run / "output"
        made.append({p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("unduh/*.*")})
    assert made[0] == made[1] and any(name.endswith(".pdf") for name in made[0])


def _shown_size(page: Path, link_id: str) -> tuple[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    link = soup.find("a", id=link_id)
    return link["href"], link.find_next("span", class_="size").get_text().strip("()")


def test_the_unduh_pages_show_each_file_with_its_size(week_output: Path) -> None:
    page = week_output / "kim-a" / "unduh" / "index.html"
    for link_id, name in (("unduh-kabar", "kabar-kim-a.html"), ("unduh-buletin", "buletin-kim-a.pdf")):
        href, size = _shown_size(page, link_id)
        assert href == SITE + "unduh/" + name
        assert size == i18n.file_size((week_output / "kim-a" / "unduh" / name).stat().st_size, "id")
        assert size.endswith(" KB")
    home = BeautifulSoup((week_output / "kim-a" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.find("a", href=SITE + "unduh/")  # every page's footer links it
    hub = BeautifulSoup((week_output / "unduh" / "index.html").read_text(encoding="utf-8"), "html.parser")
    for link in hub.select("a[download]"):
        file = week_output / link["href"].removeprefix("https://kim.example.go.id/")
        assert i18n.file_size(file.stat().st_size, "id") in link.parent.get_text()


def test_the_weekly_digest_links_the_pack_and_the_bulletin(week_output: Path) -> None:
    regency = (week_output / "kabar-pekan-ini" / "kabupaten.txt").read_text(encoding="utf-8")
    size = i18n.file_size((week_output / "unduh" / "kabar-kabupaten.html").stat().st_size, "id")
    assert f"Kabar offline ({size}): https://kim.example.go.id/unduh/kabar-kabupaten.html" in regency
    district = next(p for p in sorted((week_output / "kabar-pekan-ini").glob("*.txt")) if p.stem != "kabupaten")
    text = district.read_text(encoding="utf-8")
    assert f"https://kim.example.go.id/unduh/kabar-{district.stem}.html" in text
    assert "Buletin PDF (" in text and f"https://kim.example.go.id/unduh/buletin-{district.stem}.pdf" in text


def test_the_budgets_list_the_downloads_apart(week_output: Path) -> None:
    root = week_output.parent / "reports"
    with (root / "budgets.csv").open() as handle:
        pages = [r["page"] for r in csv.DictReader(handle)]
    assert pages and not any("/unduh/kabar-" in p or p.endswith(".pdf") for p in pages)
    with (root / "budgets-unduh.csv").open() as handle:
        rows = {r["file"]: r for r in csv.DictReader(handle)}
    assert int(rows["kim-a/unduh/kabar-kim-a.html"]["bytes"]) == (week_output / "kim-a/unduh/kabar-kim-a.html").stat(
    ).st_size
    assert rows["kim-a/unduh/kabar-kim-a.html"]["limit"] == str(LIMIT)
    assert "unduh/kabar-kabupaten.html" in rows and "kim-a/unduh/buletin-kim-a.pdf" in rows


def test_downloads_are_made_again_only_when_what_they_show_changes(tmp_path: Path) -> None:
    config = week_regency(tmp_path, pack_posts=3)
    build = ["build", "--config", str(config), "--build-date", BUILD_DATE]
    assert run_kimsite(*build).returncode == 0
    output = tmp_path / "output"
    files = [output / "kim-a/unduh/kabar-kim-a.html", output / "kim-a/unduh/buletin-kim-a.pdf",
             output / "unduh/kabar-kabupaten.html"]
    before = {f: (f.read_bytes(), f.stat().st_ino, f.stat().st_mtime_ns) for f in files}
    old = tmp_path / "content/kim-a/posts/2026-10-10-lama-0.md"  # not in the pack (3 posts) nor this week
    old.write_text(old.read_text().replace("Berita Lama 0", "Berita Lama Nol"))
    assert run_kimsite(*build).returncode == 0
    assert "Berita Lama Nol" in (output / "kim-a/arsip/2026/index.html").read_text()  # the site was built again
    for f in files:  # the same files: not written again
        assert (f.read_bytes(), f.stat().st_ino, f.stat().st_mtime_ns) == before[f], f
    (tmp_path / "content/kim-a/posts/2026-11-22-baru.md").write_text(post("Berita Paling Baru", "2026-11-22"))
    assert run_kimsite(*build).returncode == 0
    for f in files[:2]:  # the KIM's own pack and bulletin show a post at once
        assert f.read_bytes() != before[f][0], f
    assert "Berita Paling Baru" in files[0].read_text()
    if TOOLS["pdftotext"] or REQUIRED:  # the bulletin's text, where poppler is (always in CI)
        need("pdftotext")
        assert "Berita Paling Baru" in " ".join(_pdf_text(files[1]).split())
    # the regency's and districts' run through yesterday: a same-day post rewrites none of them
    assert files[2].read_bytes() == before[files[2]][0]
    (tmp_path / "content/kim-a/posts/2026-11-21-kemarin.md").write_text(post("Berita Kemarin", "2026-11-21"))
    assert run_kimsite(*build).returncode == 0
    assert "Berita Kemarin" in files[2].read_text() and "Berita Paling Baru" not in files[2].read_text()
    tomorrow = ["build", "--config", str(config), "--build-date", "2026-11-23"]
    assert run_kimsite(*tomorrow).returncode == 0
    assert "Berita Paling Baru" in files[2].read_text()


def test_a_pack_over_its_limit_leaves_out_the_oldest_photos_with_a_warning(tmp_path: Path) -> None:
    from PIL import Image

    noisy = Image.effect_noise((1600, 1200), 120).convert("RGB")  # incompressible photos
    files: dict[str, str | bytes] = {}
    for n in range(15):
        noisy.rotate(n * 7).save(tmp_path / f"{n}.jpg", quality=95)
        files[f"posts/2026-11-{n + 1:02d}-foto-{n}.md"] = post(f"Foto {n}", f"2026-11-{n + 1:02d}", image=f"f{n}.jpg")
        files[f"posts/f{n}.jpg"] = (tmp_path / f"{n}.jpg").read_bytes()
    config = write_regency(tmp_path, {"kim-a": files})
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    pack = tmp_path / "output/kim-a/unduh/kabar-kim-a.html"
    assert pack.stat().st_size <= LIMIT
    soup = BeautifulSoup(pack.read_text(encoding="utf-8"), "html.parser")
    shown = [a.find("img") is not None for a in soup.find_all("article")]
    assert len(shown) == 15 and shown[0] and not shown[-1]
    assert shown == sorted(shown, reverse=True)  # the newest keep theirs
    warning = next(line for line in result.stderr.splitlines() if "kabar-kim-a.html" in line)
    assert "peringatan/warning" in warning and "600 KB" in warning


def test_the_week_turning_rebuilds_only_the_kims_whose_bulletin_had_this_weeks_news(tmp_path: Path) -> None:
    need("pdftotext")
    config = week_regency(tmp_path)  # kim-a and kim-c have news this week, kim-b has none
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    pdf = tmp_path / "output/kim-a/unduh/buletin-kim-a.pdf"
    assert "Pekan 16 November 2026" in _pdf_text(pdf)
    monday = run_kimsite("build", "--config", str(config), "--build-date", "2026-11-23")
    assert monday.returncode == 0 and "(1 tidak berubah/unchanged)" in monday.stderr + monday.stdout
    text = " ".join(_pdf_text(pdf).split())
    assert "Berita terbaru" in text and "Pekan" not in text and "Jadwal Ronda Malam" in text


def test_the_pack_takes_photos_and_embeds_out_of_the_text(week_output: Path) -> None:
    online = (week_output / "kim-a" / "2026" / "11" / "ronda" / "index.html").read_text(encoding="utf-8")
    assert "<iframe" in online and "pos-ronda" in online  # the site shows them
    pack = (week_output / "kim-a" / "unduh" / "kabar-kim-a.html").read_text(encoding="utf-8")
    assert "<iframe" not in pack and "pos-ronda" not in pack and "youtube" not in pack
    assert "Isi Jadwal Ronda Malam" in pack  # the text stays


def test_a_full_week_stays_within_two_a4_pages(tmp_path: Path) -> None:
    need("pdfinfo", "pdftotext")
    long = "Warga bergotong royong memperbaiki saluran dan jalan usaha tani sepanjang dua kilometer. " * 4
    files: dict[str, str | bytes] = {}
    for n in range(12):
        day = f"2026-11-{16 + n % 7:02d}"
        files[f"posts/{day}-kabar-{n}.md"] = post(f"Kabar Pekan Ini Nomor {n}", day, f"summary: {long}\n",
                                                  image=f"k{n}.jpg").replace(f"summary: Ringkasan Kabar Pekan Ini "
                                                                              f"Nomor {n}.\n", "")
        files[f"posts/k{n}.jpg"] = photo((30 + 15 * n, 90, 120), (800, 533))
    for n in range(6):
        files[f"agenda/2026-12-0{n + 1}-acara.md"] = (f"---\ntitle: Acara {n}\nstart: 2026-12-0{n + 1} 08:00\n"
                                                      f"end: 2026-12-0{n + 1} 10:00\nplace: Balai\n---\n\nAcara.\n")
    config = write_regency(tmp_path, {"kim-a": files})
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "output/kim-a/unduh/buletin-kim-a.pdf"
    assert int(_pdf_info(pdf)["Pages"]) == 2
    text = " ".join(_pdf_text(pdf).split())
    shown = [n for n in range(12) if f"Kabar Pekan Ini Nomor {n} " in text + " "]
    assert len(shown) >= 4 and "Agenda" in text and "Acara 0" in text  # the agenda has its room
    assert "Halaman 2 dari 2" in text


def test_a_regency_can_leave_the_downloads_out(tmp_path: Path) -> None:
    """`build.downloads: false`: no pack, bulletin or Unduh page anywhere, and no link to one."""
    config = week_regency(tmp_path)
    config.write_text(config.read_text() + "build:\n  downloads: false\n")
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    output = tmp_path / "output"
    assert not [p for p in output.rglob("*") if "unduh" in p.relative_to(output).parts]
    for page in (output / "index.html", output / "kim-a" / "index.html", output / "kabar-pekan-ini" / "index.html"):
        assert not BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href*='/unduh/']"), page
    digest = (output / "kabar-pekan-ini" / "kabupaten.txt").read_text()
    assert "Panen Cabai Lahan Pasir" in digest and "Kabar offline" not in digest
    assert "unduh/" not in (output / "sitemap.xml").read_text()
