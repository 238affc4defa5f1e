"""Page weights of the sample regency: kimsite against the same posts built by plain Pelican
with its default theme (notmyidea), one `pelican` run per KIM.

    python bench/weights.py

What a phone downloads for a page, uncompressed and gzip-compressed: the HTML, its
stylesheets (with their @imports) and the photos on it (for kimsite, the 720 px WebP a
phone picks from the srcset; for Pelican, the image as written). Prints the median and
largest home page and article of each, and the ratios; results in bench/results/weights.json.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
IMPORT = re.compile(r"@import\s+url\(['\"]?([^'\")]+)")


def to_pelican(kim_dir: Path, out: Path) -> None:
    """The KIM's published posts in Pelican's Markdown metadata, photos under content/images."""
    content = out / "content"
    (content / "images").mkdir(parents=True)
    for post in sorted((kim_dir / "posts").glob("*.md")):
        meta, body = FRONT.match(post.read_text(encoding="utf-8")).groups()
        data = yaml.safe_load(meta)
        if data.get("draft") or str(data.get("date", post.name[:10])) > "2026-11-22":
            continue
        lines = [f"Title: {data['title']}", f"Date: {str(data.get('date') or post.name[:10])[:16]}",
                 f"Category: {data['category']}", f"Tags: {', '.join(data.get('tags') or [])}"]
        if data.get("image"):
            shutil.copy(post.parent / data["image"], content / "images" / Path(data["image"]).name)
            body = f"![{data.get('image_alt', '')}]({{static}}/images/{Path(data['image']).name})\n\n{body}"
        (content / post.name).write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    (out / "pelicanconf.py").write_text(f"SITENAME = {kim_dir.name!r}\nSITEURL = ''\nTIMEZONE = 'Asia/Jakarta'\n"
                                        "DEFAULT_LANG = 'id'\nSTATIC_PATHS = ['images']\n", encoding="utf-8")


def _local(site: Path, page: Path, href: str) -> Path | None:
    path = urlsplit(href).path
    if not path or urlsplit(href).netloc and not href.startswith("https://kim"):
        return None
    target = (site / path.lstrip("/").split("/", 1)[-1]) if href.startswith("http") else \
        (site / path.lstrip("/") if path.startswith("/") else page.parent / path)
    return target if target.is_file() else None


def _css(site: Path, page: Path, href: str, seen: set[Path]) -> list[bytes]:
    path = _local(site, page, href)
    if path is None or path in seen:
        return []
    seen.add(path)
    data = path.read_bytes()
    return [data] + [d for ref in IMPORT.findall(data.decode(errors="replace")) for d in _css(site, path, ref, seen)]


def weigh(site: Path, page: Path) -> tuple[int, int]:
    """(raw bytes, gzip bytes) of a page with its stylesheets and photos."""
    html = page.read_bytes()
    soup = BeautifulSoup(html, "html.parser")
    parts, seen = [html], set()
    for link in soup.find_all("link", rel="stylesheet"):
        parts += _css(site, page, link["href"], seen)
    photos = []
    for img in soup.find_all("img"):
        source = img.find_previous_sibling("source", type="image/webp")
        src = next((c.split()[0] for c in source["srcset"].split(", ") if "-720." in c), None) if source else None
        photos.append(_local(site, page, src or img.get("src", "")))
    raw_photos = sum(p.stat().st_size for p in photos if p)
    return sum(map(len, parts)) + raw_photos, sum(len(gzip.compress(p, 9)) for p in parts) + raw_photos


def summarise(sites: list[Path], articles_glob: str) -> dict[str, float]:
    homes = [weigh(s, s / "index.html") for s in sites]
    listings = {"index.html", "archives.html", "categories.html", "tags.html", "authors.html"}
    articles = [weigh(s, p) for s in sites for p in s.glob(articles_glob) if p.relative_to(s).as_posix() not in listings]
    return {"home_median_kb": statistics.median(h[1] for h in homes) / 1024,
            "article_median_kb": statistics.median(a[1] for a in articles) / 1024,
            "article_max_kb": max(a[1] for a in articles) / 1024,
            "article_median_raw_kb": statistics.median(a[0] for a in articles) / 1024, "articles": len(articles)}


def main() -> None:
    kims = sorted(p for p in (ROOT / "content").iterdir() if (p / "posts").is_dir())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, "-m", "kimsite", "build", "--output", str(work / "kimsite"),
                        "--build-date", "2026-11-22"], cwd=ROOT, check=True, capture_output=True)
        for kim in kims:
            to_pelican(kim, work / "pelican" / kim.name)
            subprocess.run([str(Path(sys.executable).parent / "pelican"), str(work / "pelican" / kim.name / "content"),
                            "-s", str(work / "pelican" / kim.name / "pelicanconf.py"), "-o",
                            str(work / "out-pelican" / kim.name), "-q"], check=True, capture_output=True)
        ours = summarise([work / "kimsite" / k.name for k in kims], "20*/*/*/index.html")
        theirs = summarise([work / "out-pelican" / k.name for k in kims], "*.html")
    print(f"{'gzip KB (photos as stored)':30}{'kimsite':>10}{'Pelican':>10}{'ratio':>8}")
    for key in ("home_median_kb", "article_median_kb", "article_max_kb", "article_median_raw_kb"):
        print(f"{key:30}{ours[key]:>10.1f}{theirs[key]:>10.1f}{ours[key] / theirs[key]:>8.2f}")
    out = ROOT / "bench" / "results" / "weights.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"kimsite": ours, "pelican": theirs}, indent=1) + "\n")


if __name__ == "__main__":
    main()
