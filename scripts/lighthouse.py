"""Lighthouse (npm) mobile audit of the sample regency: `make lighthouse`.

Builds the sample under a 127.0.0.1 address, serves it, audits a KIM home, an article,
a profile, the hub home, the hub's two table pages (coverage, dashboard), its search and a
product list in Debian's Chromium, and prints the four scores of each page against the goals (performance >= 95,
accessibility 100, best practices >= 95, SEO 100).
Lighthouse itself is installed by the Makefile into .lighthouse/ (npm registry).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
# a KIM home, an article, a profile, the hub home, two table pages, the search, a product list
PAGES = ["kim-wates/", "(an article)", "kim-glagah/profil/", "", "cakupan/", "dasbor/", "cari/", "kim-wates/produk/"]
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
         "--disable-sync --no-first-run --disable-quic")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # no request log between the scores
        pass


def audit(url: str, report: Path) -> dict[str, int]:
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                    "--only-categories=" + ",".join(GOALS), f"--chrome-flags={FLAGS}"],
                   env=os.environ | {"CHROME_PATH": "/usr/bin/chromium"}, check=True, timeout=300)
    categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in GOALS}


def first_article(output: Path, site: str) -> str:
    articles = sorted((output / site).glob("20*/*/*/index.html"))
    return articles[-1].parent.relative_to(output).as_posix() + "/"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "output"
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(output)))
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        subprocess.run([sys.executable, "-m", "kimsite", "build", "--output", str(output), "--base-url", base,
                        "--build-date", "2026-11-22"], cwd=ROOT, check=True, capture_output=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        pages = [PAGES[0], first_article(output, "kim-wates"), *PAGES[2:]]
        failed = False
        print(f"{'page':44}" + "".join(f"{name:>16}" for name in GOALS))
        for page in pages:
            scores = audit(base + page, Path(tmp) / "report.json")
            marks = {n: s if s >= GOALS[n] else f"{s} (< {GOALS[n]})" for n, s in scores.items()}
            failed |= any(s < GOALS[n] for n, s in scores.items())
            print(f"{'/' + page:44}" + "".join(f"{marks[n]!s:>16}" for n in GOALS))
        server.shutdown()
    print("FAIL" if failed else "PASS: every page meets the goals")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
