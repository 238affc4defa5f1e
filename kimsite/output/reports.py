"""Reports for Diskominfo in `reports/` beside sites.yaml (never published): page weights
against the byte budgets, and what was held back as suspected spam, with the match."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from kimsite.errors import Problem
from kimsite.output import budgets


def write_budgets(path: Path, weights: Iterable[budgets.PageWeight]) -> None:
    """Per page: gzip bytes of HTML and CSS, the photos (lead photo or thumbnails) and the total (for Diskominfo); the
    downloads apart, in `<name>-unduh.csv` beside it: each file's whole size and its limit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(weights, key=lambda w: w.path)
    lines = ["page,html_gzip,css_gzip,photos,thumbnails,total"]  # photos: the lead photo, or a list's thumbnails
    lines += [f"{w.path},{w.html},{w.css},{w.images},{w.thumbs},{w.total}"
              for w in ordered if not budgets.is_download(w.path)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    downloads = ["file,bytes,limit"]
    downloads += [f"{w.path},{w.html},{budgets.DOWNLOAD_LIMITS[w.path[w.path.rfind('.'):]]}"
                  for w in ordered if budgets.is_download(w.path)]
    path.with_name(f"{path.stem}-unduh.csv").write_text("\n".join(downloads) + "\n", encoding="utf-8")


def write_spam(path: Path, problems: Iterable[Problem]) -> dict[str, int]:
    """What was held back as suspected spam, with the match (for Diskominfo's review: never
    published); returns the number of items held back per KIM, all the public dashboard shows."""
    held = sorted((p for p in problems if p.key == "spam"), key=lambda p: (p.site or "", p.path, p.line or 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["kim", "file", "line", "finding"])
        out.writerows([p.site or "", p.path, p.line or "", p.message.en] for p in held)
    counts: dict[str, int] = {}
    for site, _path in {(p.site or "", p.path) for p in held}:  # items held back, not findings
        counts[site] = counts.get(site, 0) + 1
    return counts
