"""Kemendagri region codes (province → village) and the local names of their levels.

Codes look like `PP.KK.CC.XDDD`; X is 1 for a kelurahan, 2 for a desa, 3 for a desa
adat. The table is a CSV with the header `code,name,level`. kimsite ships the national
table (Kepmendagri, province to village: `kimsite/data/SOURCE.md`), the default of
`regions:`; a regency's own CSV (plain or .gz) overrides it.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from kimsite.models import Region, RegionTable

VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")

# Daerah Istimewa Yogyakarta names its levels by its own regulation.
_DIY_REGENCIES = {"34.01", "34.02", "34.03", "34.04"}
_KOTA_YOGYAKARTA = "34.71"
_PAPUA_PROVINCES = {"91", "92", "93", "94", "95", "96", "97"}


NATIONAL = Path(__file__).resolve().parent.parent / "data" / "wilayah.csv.gz"  # sorted by code


@contextlib.contextmanager
def _rows(path: Path) -> Iterator[Iterator[dict[str, str]]]:
    with path.open("rb") as raw, (gzip.open(raw) if path.suffix == ".gz" else contextlib.nullcontext(raw)) as data, \
            io.TextIOWrapper(data, encoding="utf-8", newline="") as handle:
        yield csv.DictReader(handle)


def _wanted(code: str, prefixes: tuple[str, ...]) -> bool:
    return not prefixes or any(code == p or code.startswith(p + ".") or p.startswith(code) for p in prefixes)


def read_region_table(path: Path = NATIONAL, prefixes: tuple[str, ...] = ()) -> RegionTable:
    """Read the CSV, keeping only codes under `prefixes` (all when empty). The national table is
    sorted by code, so a reading for one regency stops once past it."""
    regions: dict[str, Region] = {}
    past = max(prefixes) + "/" if prefixes and path == NATIONAL else None  # '/' sorts after '.' and digits
    with _rows(path) as rows:
        for row in rows:
            code = row["code"]
            if past is not None and code > past:
                break
            if _wanted(code, prefixes):
                regions[code] = Region(code, row["name"], row["level"])
    return RegionTable(regions)


def folded(text: str) -> str:
    """For matching names: lower case, no accents, single spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace("-", " ").split())


def find(text: str, table: RegionTable,
         levels: tuple[str, ...] = ("regency", "district", "village")) -> list[Region]:
    """Regions whose name has a word starting with each word of `text` (or whose code starts
    with it), by level, then code."""
    words, wanted = folded(text).split(), text.strip()

    def matches(region: Region) -> bool:
        if wanted and region.code.startswith(wanted):
            return True
        names = folded(region.name).split()
        return bool(words) and all(any(n.startswith(w) for n in names) for w in words)

    found = [r for r in table.regions.values() if r.level in levels and matches(r)]
    return sorted(found, key=lambda r: (levels.index(r.level), r.code))


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
