"""Byte budgets: measured on a real build; an over-budget page warns and --strict fails."""

from __future__ import annotations

import csv
from pathlib import Path

from PIL import Image

from kimsite.output import budgets
from tests.conftest import BUILD_DATE, run_kimsite
from tests.regency import good_posts, write_regency


def test_sample_pages_are_within_budget(sample_output: Path) -> None:
    weights = [w for site in sorted(sample_output.glob("kim-*")) for w in budgets.weigh(site, sample_output)]
    assert len(weights) > 300
    assert budgets.check(weights) == []
    assert max(w.text for w in weights) <= budgets.PAGE_LIMIT
    assert any(w.images > 0 and not w.thumbs for w in weights)  # articles count their lead photo


def test_a_heavy_page_warns_naming_its_largest_item_and_strict_fails(tmp_path: Path) -> None:
    noisy = Image.effect_noise((1600, 1200), 120).convert("RGB")  # incompressible: a heavy photo
    noisy.save(tmp_path / "berat.jpg", quality=95)
    heavy = "---\ntitle: Berat\ncategory: berita\nimage: berat.jpg\nimage_alt: derau\n---\n\n" + "Kata acak. " * 20
    config = write_regency(tmp_path, {"kim-a": {**good_posts(1), "posts/2025-03-01-berat.md": heavy,
                                                "posts/berat.jpg": (tmp_path / "berat.jpg").read_bytes()}})
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    warning = next(line for line in result.stderr.splitlines() if "2025/03/berat/index.html" in line)
    assert "peringatan/warning" in warning and "foto utama/lead photo" in warning
    with (tmp_path / "reports" / "budgets.csv").open() as handle:
        rows = {r["page"]: r for r in csv.DictReader(handle)}
    assert int(rows["kim-a/2025/03/berat/index.html"]["total"]) > budgets.ARTICLE_LIMIT
    strict = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE, "--strict")
    assert strict.returncode == 1
