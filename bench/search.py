"""What a first search costs a reader: bytes on the wire and requests, in Chromium.

    python bench/search.py [--workdir DIR] [--kims 150] [--posts 100] [--term pelatihan]
    python bench/search.py --output OUT --port PORT   # an output built for http://127.0.0.1:PORT/

Without --output it generates the bench regency (bench/generate.py) and builds it for
http://127.0.0.1:PORT/ (a cold build). With --same-day-post it then adds one post dated the
build date to the first KIM, rebuilds, and lists the files of the search bundles that changed
(the output's folder must hold the regency: OUT/../sites.yaml). The output is served by a small HTTP server on
127.0.0.1 that sends the `.gz` twin of a file to a browser that accepts gzip (as nginx's
`gzip_static` does); Debian's chromium (through Playwright, a fresh profile, no cache)
opens the hub's `cari/`, types the term and waits for the results. Every response is
counted as Chromium received it (headers and body, `Network.loadingFinished`), from the
page's own HTML to the last index fragment. It prints one line per search page measured
and exits 1 when the hub's search is over --max-kb or --max-requests."""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

BUILD_DATE = "2026-11-22"
VERBOSE = "-v" in sys.argv
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


class GzipStatic(http.server.SimpleHTTPRequestHandler):
    """Serves `x.gz` for `x` with `Content-Encoding: gzip` when the browser accepts gzip."""

    def send_head(self):  # noqa: ANN201 - the base class's contract
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        twin = path.with_name(path.name + ".gz")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not twin.is_file():
            return super().send_head()
        data = twin.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(twin.stat().st_size))
        self.end_headers()
        return data

    def log_message(self, *args: object) -> None:
        pass


def serve(root: Path, port: int) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipStatic, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def first_search(url: str, term: str, results: str) -> tuple[int, int, int]:
    """(bytes, requests, results shown) for one search typed on the page at `url`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_context().new_page()
        done: list = []  # the requests of the page and of its web worker
        page.context.on("requestfinished", lambda request: done.append(request))
        page.goto(url, wait_until="networkidle")
        page.fill("input[type=search], input", term)
        page.wait_for_selector(results, timeout=60_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)  # fragments of the results shown, loaded as they appear
        shown = page.locator(results).count()
        sizes = [r.sizes() for r in done]
        if VERBOSE:
            for r, s in zip(done, sizes, strict=True):
                print(f"  {s['responseBodySize'] + s['responseHeadersSize']:>8} {r.url}")
        browser.close()
    return sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes), len(sizes), shown


def build(root: Path, port: int, kims: int, posts: int) -> Path:
    generate(root, kims, posts, False)
    config = root / "sites.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://kim.example.go.id/", f"http://127.0.0.1:{port}/"), encoding="utf-8")
    return rebuild(root)


def rebuild(root: Path) -> Path:
    out = root / "out"
    subprocess.run([sys.executable, "-m", "kimsite", "-v", "build", "--config", str(root / "sites.yaml"),
                    "--output", str(out), "--build-date", BUILD_DATE], check=True)
    return out


def search_files(out: Path) -> dict[str, str]:
    """Every file of the hub's search bundles (twins included), by its digest."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("pagefind", "pagefind-baru") for p in sorted((out / folder).rglob("*")) if p.is_file()}


SAME_DAY_POST = f"""---
title: Pelatihan Pengolahan Sampah Hari Ini
date: {BUILD_DATE} 08:00
author: Bench
category: {{category}}
summary: Warga mengikuti pelatihan pengolahan sampah di balai desa.
---

Warga mengikuti pelatihan pengolahan sampah di balai desa.
"""


def same_day_post(root: Path) -> list[str]:
    """Add one post dated the build date to the first KIM, rebuild: the search files that changed."""
    out = root / "out"
    before = search_files(out)
    posts = sorted((root / "content").glob("*/posts"))[0]
    category = next(line.split(":", 1)[1].strip() for line in next(posts.glob("*.md")).read_text().splitlines()
                    if line.startswith("category:"))
    (posts / f"{BUILD_DATE}-bench-hari-ini.md").write_text(SAME_DAY_POST.replace("{category}", category))
    after = search_files(rebuild(root))
    return sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, help="a built output (made for http://127.0.0.1:PORT/)")
    parser.add_argument("--port", type=int, default=8718)
    parser.add_argument("--workdir", type=Path, help="generate and build here (kept afterwards)")
    parser.add_argument("--kims", type=int, default=150)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--term", default="pelatihan")
    parser.add_argument("--page", default="cari/", help="the hub search page")
    parser.add_argument("--kim", default="kim-001", help="also measure this KIM's own search")
    parser.add_argument("--results", default="#cari-hasil a", help="CSS selector of a shown result")
    parser.add_argument("--max-kb", type=float, default=200)
    parser.add_argument("--max-requests", type=int, default=20)
    parser.add_argument("-v", action="store_true", help="list every request")
    parser.add_argument("--same-day-post", action="store_true",
                        help="then add a post dated the build date, rebuild, list the search files that changed")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kimsite-bench-search-"))
    output = args.output or build(workdir, args.port, args.kims, args.posts)
    server = serve(output, args.port)
    try:
        base = f"http://127.0.0.1:{args.port}/"
        hub = first_search(base + args.page, args.term, args.results)
        print(f"hub cari/ '{args.term}': {hub[0] / 1000:.1f} KB in {hub[1]} requests, {hub[2]} results shown")
        if args.kim and (output / args.kim / "cari").is_dir():
            kim = first_search(f"{base}{args.kim}/cari/", args.term, args.results)
            print(f"{args.kim}/cari/ '{args.term}': {kim[0] / 1000:.1f} KB in {kim[1]} requests, {kim[2]} results shown")
        if args.same_day_post:
            changed = same_day_post(output.parent)
            print(f"search files changed after one same-day post: {len(changed)}")
            for rel in changed:
                print(f"  {rel}")
    finally:
        server.shutdown()
        if not args.workdir and not args.output:
            shutil.rmtree(workdir, ignore_errors=True)
    over = hub[0] > args.max_kb * 1000 or hub[1] > args.max_requests
    if over:
        print(f"over budget: at most {args.max_kb:g} KB in {args.max_requests} requests", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
