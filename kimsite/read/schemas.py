"""JSON Schemas of what people write (sites.yaml, profile.yaml, a post's front matter), made
from the same pydantic models that validate them, for editors to autocomplete and check."""

from __future__ import annotations

import json
from pathlib import Path

from kimsite.read.config import SitesSchema
from kimsite.read.postschema import PostSchema
from kimsite.read.profiles import ProfileSchema

SCHEMAS = {"kimsite-sites.schema.json": SitesSchema, "kimsite-profile.schema.json": ProfileSchema,
           "kimsite-post.schema.json": PostSchema}


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
        path = folder / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
