"""Every configuration key is documented in the README (a new key fails this test)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from kimsite.config import SitesSchema
from kimsite.schema import _model_in

README = Path(__file__).resolve().parent.parent / "README.md"


def config_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        nested = _model_in(field.annotation)
        is_list = "list" in str(field.annotation)
        key = f"{prefix}{name}"
        keys.append(key)
        if nested is not None:
            keys += config_keys(nested, f"{key}[]." if is_list else f"{key}.")
    return keys


def test_every_config_key_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    keys = config_keys(SitesSchema)
    assert "kims[].village_code" in keys and "build.workers" in keys
    missing = [key for key in keys if f"`{key}`" not in text]
    assert missing == []


def test_every_province_key_is_in_the_readme() -> None:
    from kimsite.province import ProvinceFileSchema

    text = README.read_text(encoding="utf-8")
    keys = {key.rsplit(".", 1)[-1].removesuffix("[]") for key in config_keys(ProvinceFileSchema)}
    missing = [key for key in sorted(keys) if f"{key}:" not in text]
    assert missing == []
