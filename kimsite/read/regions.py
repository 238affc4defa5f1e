"""Kemendagri region codes (province → village) and the local names of their levels.

Codes look like `PP.KK.CC.XDDD`; X is 1 for a kelurahan, 2 for a desa, 3 for a desa
adat. The table is a CSV with the header `code,name,level` (see data/README.md).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from kimsite.models import Region, RegionTable

VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")

# Daerah Istimewa Yogyakarta names its levels by its own regulation.
_DIY_REGENCIES = {"34.01", "34.02", "34.03", "34.04"}
_KOTA_YOGYAKARTA = "34.71"
_PAPUA_PROVINCES = {"91", "92", "93", "94", "95", "96", "97"}


def read_region_table(path: Path, prefixes: tuple[str, ...] = ()) -> RegionTable:
    """Read the CSV, keeping only codes under `prefixes` (all when empty)."""
    regions: dict[str, Region] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"]
            if prefixes and not any(code == p or code.startswith(p + ".") or p.startswith(code)
                                    for p in prefixes):
                continue
            regions[code] = Region(code, row["name"], row["level"])
    return RegionTable(regions)


def district_code(village_code: str) -> str:
    return village_code.rsplit(".", 1)[0]


def regency_code(code: str) -> str:
    return ".".join(code.split(".")[:2])


def district_title(regency: str) -> str:
    if regency in _DIY_REGENCIES:
        return "Kapanewon"
    if regency == _KOTA_YOGYAKARTA:
        return "Kemantren"
    if regency.split(".")[0] in _PAPUA_PROVINCES:
        return "Distrik"
    return "Kecamatan"


def village_title(village_code: str) -> str:
    kind = village_code.rsplit(".", 1)[-1][:1]
    if kind == "1":
        return "Kelurahan"
    if regency_code(village_code) in _DIY_REGENCIES:
        return "Kalurahan"
    if kind == "3":
        return "Desa Adat"
    if village_code.split(".")[0] in _PAPUA_PROVINCES:
        return "Kampung"
    return "Desa"
