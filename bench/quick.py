"""`make bench`: a cold kimsite build against plain Pelican (one `pelican` run per site).

    python bench/quick.py [--kims 50] [--posts 100] [--workdir DIR]

Generates a synthetic regency (same posts in kimsite's and in Pelican's own format),
times both in this run and prints seconds, peak memory (max RSS of the children) and
the ratio. The goal of the foundation issue: kimsite <= 0.5 x plain Pelican.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ["desa", "warga", "kerja", "bakti", "panen", "padi", "posyandu", "balita", "sekolah", "jalan", "irigasi", "pasar", "umkm", "gula", "kelapa", "kopi", "durian", "wisata", "bukit", "teh", "pantai", "bandara", "gotong", "royong", "musyawarah", "karang", "taruna"]
CATEGORIES = {"berita": "Berita Desa", "pertanian": "Pertanian", "umkm": "UMKM & Ekonomi",
              "kesehatan": "Kesehatan", "pendidikan": "Pendidikan"}
PELICANCONF = """SITENAME = {name!r}
SITEURL = 'https://kim.example.go.id/{slug}'
TIMEZONE = 'Asia/Jakarta'
DEFAULT_LANG = 'id'
DEFAULT_PAGINATION = 10
RELATIVE_URLS = False
PLUGINS = []
LOAD_CONTENT_CACHE = False
"""


def _post(rng: random.Random, day: int) -> tuple[dict[str, str], str]:
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(55)) for _ in range(5)]
    body = (f"{paragraphs[0]}\n\n## Bagian dua\n\n{paragraphs[1]}\n\n- {rng.choice(WORDS)}\n- {rng.choice(WORDS)}\n\n"
            f"| RT | Warga |\n|----|------:|\n| 01 | {rng.randint(10, 90)} |\n\n" + "\n\n".join(paragraphs[2:]))
    month, dom = 1 + day // 28 % 12, 1 + day % 28
    meta = {"title": f"Kabar {rng.choice(WORDS)} {rng.choice(WORDS)} {day}", "date": f"2025-{month:02d}-{dom:02d} 08:30",
            "category": rng.choice(list(CATEGORIES)), "tags": f"{rng.choice(WORDS)}, {rng.choice(WORDS)}",
            "slug": f"kabar-{day}"}
    return meta, body


def generate(root: Path, kims: int, posts: int) -> None:
    rng = random.Random(2026)
    lines = ["regency:", "  name: Kabupaten Sintetis", '  code: "34.01"', "  base_url: https://kim.example.go.id/",
             "  timezone: WIB", f"theme: {Path(__file__).resolve().parent.parent / 'themes' / 'kim'}", "kims:"]
    for k in range(kims):
        slug = f"kim-{k:03d}"
        lines += [f"  - slug: {slug}", f"    name: KIM {k:03d}", f'    village_code: "34.01.{k // 100 + 1:02d}.{2001 + k % 100}"']
        ours, theirs = root / "content" / slug / "posts", root / "pelican" / slug / "content"
        ours.mkdir(parents=True)
        theirs.mkdir(parents=True)
        (ours.parent / "profile.yaml").write_text(f"name: KIM {k:03d}\n")
        (theirs.parent / "pelicanconf.py").write_text(PELICANCONF.format(name=f"KIM {k:03d}", slug=slug))
        for day in range(posts):
            meta, body = _post(rng, day)
            name = f"{meta['date'][:10]}-{meta['slug']}.md"
            (ours / name).write_text(f"---\ntitle: {meta['title']}\ndate: {meta['date']}\ncategory: {meta['category']}\n"
                                     f"tags: [{meta['tags']}]\n---\n\n{body}\n")
            (theirs / name).write_text(f"Title: {meta['title']}\nDate: {meta['date']}\n"
                                       f"Category: {CATEGORIES[meta['category']]}\nTags: {meta['tags']}\n"
                                       f"Slug: {meta['slug']}\n\n{body}\n")
    (root / "sites.yaml").write_text("\n".join(lines) + "\n")


def timed(commands: list[list[str]]) -> tuple[float, float]:
    """Wall seconds for running the commands one after another, and peak child RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kims", type=int, default=50)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="kimsite-bench-"))
    generate(root, args.kims, args.posts)
    bindir = Path(sys.executable).parent
    pelican = [[str(bindir / "pelican"), str(root / "pelican" / k.name / "content"), "-s",
                str(root / "pelican" / k.name / "pelicanconf.py"), "-o", str(root / "out-pelican" / k.name), "-q"]
               for k in sorted((root / "pelican").iterdir())]
    kimsite = [[sys.executable, "-m", "kimsite", "build", "--config", str(root / "sites.yaml"),
                "--output", str(root / "out-kimsite"), "--build-date", "2026-11-22"]]
    # kimsite first: its children's peak RSS is then not masked by Pelican's
    k_seconds, k_peak = timed(kimsite)
    p_seconds, _ = timed(pelican)
    pages = {name: sum(1 for _ in (root / name).rglob("*.html")) for name in ("out-kimsite", "out-pelican")}
    print(f"synthetic regency: {args.kims} KIMs x {args.posts} posts ({root})")
    print(f"kimsite build (cold): {k_seconds:7.1f} s  peak {k_peak:6.0f} MB  {pages['out-kimsite']} pages")
    print(f"plain Pelican, {args.kims} runs: {p_seconds:7.1f} s  {pages['out-pelican']} pages")
    ratio = k_seconds / p_seconds
    print(f"ratio kimsite / Pelican: {ratio:.2f}  (goal <= 0.50: {'PASS' if ratio <= 0.5 else 'FAIL'})")


if __name__ == "__main__":
    main()
