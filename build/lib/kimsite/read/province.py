"""A province config: several regencies, each with its own sites.yaml, under one hub.

```yaml
province:
  name: Daerah Istimewa Yogyakarta
  code: "34"
  base_url: https://kim.jogjaprov.example/
regencies:
  - slug: kulon-progo
    config: kulon-progo/sites.yaml
```

Each regency is built into `<output>/<slug>/` and served under `<base_url><slug>/`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from kimsite.errors import ConfigError, Problem, Text
from kimsite.models import ProvinceConfig, SiteConfig
from kimsite.read.config import RESERVED_SLUGS, SLUG, URL, config_from, read_config_yaml, with_base_url
from kimsite.read.schema import Strict, validate
from kimsite.read.yamlsrc import LineIndex


class ProvinceSchema(Strict):
    name: str = Field(description="Province name, e.g. 'Kalimantan Barat'")
    code: str = Field(pattern=r"^\d{2}$", description="Kemendagri province code PP")
    base_url: str = Field(pattern=URL, description="Public URL of the province hub")
    language: Literal["id", "en"] = "id"


class RegencyRefSchema(Strict):
    slug: str = Field(pattern=SLUG, description="Folder and path of the regency under the province hub")
    config: str = Field(description="Path of the regency's sites.yaml, relative to this file")


class ProvinceFileSchema(Strict):
    province: ProvinceSchema
    regencies: list[RegencyRefSchema] = Field(min_length=1)
    output: str = "output"


def is_province(data: Any) -> bool:
    return isinstance(data, dict) and "province" in data


def _regency(ref: RegencyRefSchema, position: int, schema: ProvinceFileSchema, root: Path, shown: str,
             index: LineIndex) -> tuple[SiteConfig | None, list[Problem]]:
    path = root / ref.config
    try:
        data, sub_index, sub_shown = read_config_yaml(path)
        config = config_from(data, sub_index, sub_shown, path.resolve())
    except ConfigError as err:
        return None, err.problems
    if not config.regency.code.startswith(schema.province.code + "."):
        return None, [Problem(shown, Text(f"{config.regency.name} ({config.regency.code}) bukan bagian provinsi "
                                          f"{schema.province.code}", f"{config.regency.name} is not in province "
                                          f"{schema.province.code}"),
                              Text("periksa kode kabupaten/kota di berkas itu", "check the regency code in that file"),
                              line=index.line_of(("regencies", position, "config")), key="config")]
    base = schema.province.base_url.rstrip("/") + f"/{ref.slug}/"
    return with_base_url(config, base, keep_own_domains=True), []


def load_province(data: Any, index: LineIndex, shown: str, path: Path) -> ProvinceConfig:
    schema, problems = validate(ProvinceFileSchema, data, index, shown)
    if schema is None:
        raise ConfigError(problems)
    regencies: list[tuple[str, SiteConfig]] = []
    for position, ref in enumerate(schema.regencies):
        config, found = _regency(ref, position, schema, path.parent, shown, index)
        problems += found
        if config is not None:
            regencies.append((ref.slug, config))
    slugs = [slug for slug, _ in regencies]
    problems += [Problem(shown, Text(f"slug '{s}' dipakai oleh portal", f"slug '{s}' is used by the hub"),
                         Text("pakai slug lain", "use another slug"), key="slug") for s in slugs if s in RESERVED_SLUGS]
    if len(set(slugs)) != len(slugs):
        problems.append(Problem(shown, Text("slug kabupaten/kota ganda", "a regency slug is used twice"),
                                Text("beri setiap kabupaten/kota slug sendiri", "give each regency its own slug"),
                                line=index.line_of(("regencies",)), key="regencies"))
    if problems:
        raise ConfigError(problems)
    p = schema.province
    return ProvinceConfig(path=path.resolve(), name=p.name, code=p.code,
                          base_url=p.base_url.rstrip("/") + "/", language=p.language,
                          output_dir=path.parent.resolve() / schema.output, regencies=tuple(regencies))


def load_any(path: Path) -> SiteConfig | ProvinceConfig:
    """A regency's sites.yaml or a province file, told apart by its `province:` key."""
    data, index, shown = read_config_yaml(path)
    if is_province(data):
        return load_province(data, index, shown, path)
    return config_from(data, index, shown, path)


def province_with_base_url(province: ProvinceConfig, base_url: str) -> ProvinceConfig:
    """The whole province under another address (a local preview)."""
    base = base_url.rstrip("/") + "/"
    regencies = tuple((slug, with_base_url(config, f"{base}{slug}/")) for slug, config in province.regencies)
    return replace(province, base_url=base, regencies=regencies)
