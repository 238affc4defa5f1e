"""The front matter of a post, as kimsite's keys: the schema that validates it (after the
aliases of other tools are mapped by `read.frontmatter`), and the fix hints of its keys."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from kimsite.errors import Text
from kimsite.models import VERDICTS
from kimsite.read.schema import Strict


class PostSchema(Strict):
    model_config = ConfigDict(**Strict.model_config, coerce_numbers_to_str=True)  # `title: 2024` is a title

    title: str = Field(min_length=1)
    date: Any = None
    author: str | None = None
    category: str | None = None  # none: the regency's default; a cek-fakta post: cek-fakta
    slug: str | None = None  # the URL's last part; else from the file name
    updated: Any = None
    ralat: str | None = None  # a correction: what was wrong and what is right now
    tags: list[str] = []
    summary: str | None = None
    image: str | None = None
    image_alt: str | None = None
    draft: bool = False
    type: Literal["berita", "cek-fakta"] = "berita"
    claim: str | None = None
    verdict: str | None = None
    sources: list[str] = []
    old_url: str | None = None  # the address on the blog it was imported from (`kimsite import`): redirected
    old_id: str | None = None  # that blog's id of it (WordPress GUID `?p=123`, Blogger's id): not imported twice

    @model_validator(mode="before")
    @classmethod
    def _fact_check_category(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("type") == "cek-fakta" and data.get("category") is None:
            return {**data, "category": "cek-fakta"}
        return data

    @field_validator("verdict")
    @classmethod
    def _verdict(cls, value: str | None) -> str | None:
        if value is not None and " ".join(value.upper().split()) not in VERDICTS:
            raise ValueError(f"harus salah satu dari / must be one of: {', '.join(VERDICTS)}")
        return None if value is None else " ".join(value.upper().split())

    @field_validator("sources")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(r"^https?://\S+$", v)]
        if bad:
            raise ValueError(f"bukan alamat web / not a web address: {bad[0]}")
        return value

    @field_validator("tags", mode="before")
    @classmethod
    def _comma_tags(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [t.strip() for t in value.split(",") if t.strip()]
        return [str(v) for v in value] if isinstance(value, list) else value


HINTS = {
    "title": Text("tambahkan judul: 'title: Judul Berita'", "add a title: 'title: News headline'"),
    "type": Text("tulis 'type: cek-fakta' untuk cek fakta, atau hapus baris ini",
                 "write 'type: cek-fakta' for a fact check, or remove this line"),
    "verdict": Text(f"pilih salah satu: {', '.join(VERDICTS)}", f"choose one of: {', '.join(VERDICTS)}"),
    "sources": Text("daftar alamat web sumber, misalnya [https://www.komdigi.go.id/...]",
                    "a list of source web addresses, e.g. [https://www.komdigi.go.id/...]"),
}
