"""The sample regency in content/: what the issue asks of it, checked on a real build."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml
from PIL import Image

from tests.conftest import ROOT
from tests.invariants import soup

REGIONS = ROOT / "data" / "wilayah-3401-kulon-progo.csv"


def _config() -> dict:
    return yaml.safe_load((ROOT / "sites.yaml").read_text())


def test_sample_regency_uses_real_villages_across_districts() -> None:
    with REGIONS.open() as handle:
        names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    kims = _config()["kims"]
    assert len(kims) >= 6
    assert all(k["village_code"] in names for k in kims)
    districts = {k["village_code"].rsplit(".", 1)[0] for k in kims}
    assert len(districts) >= 3


def test_sample_build_is_clean(sample_build) -> None:
    output, result = sample_build
    assert result.returncode == 0, result.stderr
    assert "0 galat/errors, 0 peringatan/warnings" in result.stderr


def test_every_sample_kim_has_enough_posts_with_photos(sample_output: Path) -> None:
    for kim in _config()["kims"]:
        site = sample_output / kim["slug"]
        posts = sorted(site.glob("20[0-9][0-9]/[01][0-9]/*/index.html"))
        assert len(posts) >= 8, kim["slug"]
        for post in posts:
            lead = soup(post).select_one("figure.lead img")
            assert lead is not None and lead["alt"], post  # that the file exists: invariants.check_links


def test_sample_has_scheduled_and_draft_posts(sample_build) -> None:
    _output, result = sample_build
    summary = result.stderr.strip().splitlines()[-1]
    drafts = int(summary.split(" draf/drafts")[0].rsplit(" ", 1)[-1])
    scheduled = int(summary.split(" terjadwal/scheduled")[0].rsplit(" ", 1)[-1])
    assert drafts >= 1 and scheduled >= 1


def test_published_photos_carry_no_metadata(sample_output: Path) -> None:
    photos = sorted(sample_output.glob("*/foto/*.jpg"))
    assert photos
    for photo in photos:
        with Image.open(photo) as image:
            exif = image.getexif()
            assert 0x8825 not in exif and not exif.get_ifd(0x8825), photo  # no GPS
            assert 0x010F not in exif, photo  # no camera make
            assert "exif" not in image.info and "xmp" not in image.info


def test_sources_with_gps_exist_so_stripping_is_tested() -> None:
    def has_gps(path: Path) -> bool:
        with Image.open(path) as image:
            return bool(image.getexif().get_ifd(0x8825))

    sources = [p for p in (ROOT / "content").rglob("*.jpg") if has_gps(p)]
    assert sources, "the sample should include a photo with GPS metadata"
