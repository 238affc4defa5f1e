"""Cost of one printable bulletin with photos: fpdf2 (what kimsite uses) against WeasyPrint.

The same content both ways: 6 headlines, each with its 360 px JPEG from the photo pipeline,
a summary and a QR code, plus the site's QR, an agenda of 3 events and a cek-fakta box.
fpdf2 draws it (kimsite.site.bulletin); WeasyPrint lays out the equivalent HTML and CSS
(QR codes as inline SVG). Each library is imported and run once before timing.

    .venv/bin/pip install weasyprint   # not a kimsite dependency; needs Debian's libpango
    .venv/bin/python bench/bulletin.py [--runs 20] [--photos DIR]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kimsite.site import bulletin  # noqa: E402

SITE = "https://kim.kulonprogokab.go.id/kim-jangkaran/"
SUMMARY = ("Warga Kalurahan Jangkaran bergotong royong menanam bibit mangrove di muara Bogowonto. Kegiatan ini "
           "diikuti kelompok tani, pelajar dan pengurus KIM, dan akan dilanjutkan setiap bulan sampai musim hujan.")


def photos(folder: Path | None) -> list[Path]:
    if folder is None:
        out = Path(tempfile.mkdtemp()) / "output"
        import subprocess

        subprocess.run([sys.executable, "-m", "kimsite", "-q", "build", "--config", str(ROOT / "sites.yaml"),
                        "--output", str(out), "--build-date", "2026-11-22"], check=True)
        folder = out / "kim-jangkaran" / "foto"
    found = sorted(p for p in folder.glob("*-360.jpg"))
    if not found:
        raise SystemExit(f"no *-360.jpg photos in {folder}")
    return found


def spec(found: list[Path]) -> bulletin.BulletinSpec:
    items = tuple(bulletin.BulletinItem(f"Berita ke-{i + 1}: penanaman mangrove di muara", "KIM Jangkaran · "
                                        f"{16 + i} November 2026", SUMMARY, f"{SITE}2026/11/berita-{i + 1}/",
                                        found[i % len(found)]) for i in range(6))
    events = tuple(bulletin.BulletinEvent(f"Kerja bakti {n}", "Sabtu, 28 November 2026 07.00–10.00", "Balai kalurahan")
                   for n in (1, 2, 3))
    box = bulletin.FactBox("HOAKS", "Ada buaya muara di Bogowonto yang memangsa ternak.", "Buaya muara Bogowonto",
                           f"{SITE}2026/04/cek-fakta-buaya/")
    return bulletin.BulletinSpec("Buletin KIM Jangkaran", "Kalurahan Jangkaran, Kapanewon Temon, Kabupaten Kulon Progo",
                                 "Pekan 16 – 22 November 2026", "Dibuat 22 November 2026", SITE, "#1d6b4f", "id",
                                 datetime(2026, 11, 22, tzinfo=UTC), items, events, box)


def _svg(url: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make_qr(url, error="m", boost_error=False, mask=2).save(out, kind="svg", scale=3, border=4, xmldecl=False)
    return out.getvalue().decode()


def weasy_html(s: bulletin.BulletinSpec) -> str:
    rows = "".join(
        f'<div class="item"><img src="{i.photo.as_uri()}"><div class="t"><h3>{escape(i.title)}</h3>'
        f'<p class="m">{escape(i.meta)}</p><p>{escape(i.summary)}</p></div><div class="q">{_svg(i.url)}</div></div>'
        for i in s.items)
    events = "".join(f"<li><b>{escape(e.title)}</b><br>{escape(e.when)} · {escape(e.place)}</li>" for e in s.events)
    box = s.fact_check
    css = ("@page{size:A4;margin:14mm}body{font:9.5pt sans-serif}header{background:#1d6b4f;color:#fff;padding:6mm}"
           "h1{margin:0;font-size:20pt}.item{display:flex;gap:4mm;margin:3mm 0;break-inside:avoid}"
           ".item img{width:44mm;height:29mm;object-fit:cover}.t{flex:1}.q svg{width:24mm;height:24mm}"
           "h3{margin:0;font-size:11.5pt}.m{color:#555;font-size:8pt;margin:0}.box{border:.8mm solid #a11;padding:3mm}")
    return (f"<html lang=id><style>{css}</style><header><h1>{escape(s.title)}</h1><p>{escape(s.place)}</p>"
            f"<div class=q>{_svg(s.site_url)}</div></header><div class=box><b>Cek fakta: {box.verdict}</b> "
            f"{escape(box.claim)}{_svg(box.url)}</div><h2>Berita pekan ini</h2>{rows}<h2>Agenda</h2><ul>{events}</ul>")


def timed(make, runs: int) -> tuple[float, float, int]:  # noqa: ANN001
    """CPU time of this process (both libraries run on one thread): on a machine shared with
    other work, wall time measures the neighbours too."""
    started = time.process_time()
    size = len(make())  # the first run: imports and caches
    first = time.process_time() - started
    times = []
    for _ in range(runs):
        started = time.process_time()
        make()
        times.append(time.process_time() - started)
    return first * 1000, statistics.median(times) * 1000, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--photos", type=Path, help="a site's foto/ folder (default: build the sample)")
    args = parser.parse_args()
    s = spec(photos(args.photos))
    first, median, size = timed(lambda: bulletin.render_bulletin(s), args.runs)
    print(f"fpdf2       first {first:7.1f} ms  median {median:6.1f} ms CPU per bulletin  {size // 1024} KB")
    try:
        import weasyprint
    except ImportError:
        print("weasyprint  not installed (.venv/bin/pip install weasyprint)")
        return
    html = weasy_html(s)
    first, median, size = timed(lambda: weasyprint.HTML(string=html).write_pdf(), args.runs)
    print(f"weasyprint  first {first:7.1f} ms  median {median:6.1f} ms CPU per bulletin  {size // 1024} KB")


if __name__ == "__main__":
    main()
