"""A regency with writing pages: the tiny fixture plus a `cms:` section, built for real; and
the file Decap CMS writes for an entry of a collection, made from the generated config."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, copy_fixture

NPM = ROOT / ".cms"
PHOTO = ROOT / "tests" / "fixtures" / "tiny" / "content" / "kim-alpha" / "posts" / "kerja-bakti.jpg"
# what a writer types into a field, by name; a field with a pattern must accept it (checked)
EXAMPLES: dict[str, Any] = {
    "price": "25000", "whatsapp": "0812-2700-0501", "sources": ["https://www.komdigi.go.id/berita"],
    "rw": "05", "tags": ["gotong royong", "desa"], "order": 3,
}


def cms_regency(tmp: Path, extra: str = "", npm: Path = NPM) -> Path:
    """A copy of the tiny fixture with writing pages; returns its sites.yaml."""
    root = copy_fixture("tiny", tmp)
    config = root / "sites.yaml"
    text = config.read_text(encoding="utf-8").replace("../../../", f"{ROOT}/")  # the copy sits elsewhere
    config.write_text(text + (
        "cms:\n  backend: github\n  repo: diskominfo-contoh/kim\n"
        f"  base_url: https://oauth.example.go.id\n  npm_folder: {npm}\n{extra}"), encoding="utf-8")
    return config


def field_value(field: dict[str, Any], when: date, photo: str) -> Any:  # noqa: ANN401 - any field's value
    """The value a writer would give a field through its widget."""
    widget, name = field["widget"], field["name"]
    if name in EXAMPLES:
        value = EXAMPLES[name]
        if "pattern" in field:
            assert re.match(field["pattern"][0], str(value)), (name, field["pattern"])
        return value
    if widget in ("hidden", "number"):
        return field.get("default")
    if widget == "select":
        first = field["options"][0]
        return first["value"] if isinstance(first, dict) else first
    if widget == "datetime":
        fmt = field["format"].replace("YYYY", "%Y").replace("MM", "%m").replace("DD", "%d")
        fmt = fmt.replace("HH", "%H").replace("mm", "%M")
        hour = 10 if field["name"] == "end" else 8
        return date.strftime(when, fmt.replace("%H", f"{hour:02d}").replace("%M", "00"))
    if widget == "boolean":
        return False
    if widget == "image":
        return photo
    if widget == "list" and "field" in field:
        return [field_value(field["field"], when, photo)]
    if widget == "list" and "fields" in field:
        return [{f["name"]: field_value(f, when, photo) for f in field["fields"]}]
    return f"Contoh {field['label'].lower()} dari penulis KIM"


def entry_text(collection: dict[str, Any], when: date, photo: str, required_only: bool) -> str:
    """The file Decap writes: YAML front matter (or a whole YAML file) of the fields filled in."""
    fields = [f for f in _fields(collection) if f["required"] or not required_only or f["widget"] == "hidden"]
    data = {f["name"]: field_value(f, when, photo) for f in fields if f["name"] != "body"}
    if "files" in collection:
        return "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in data.items())
    body = "Isi tulisan yang diketik penulis di ponsel.\n"
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in data.items()) + "---\n" + body


def _fields(collection: dict[str, Any]) -> list[dict[str, Any]]:
    return collection["files"][0]["fields"] if "files" in collection else collection["fields"]


def entry_path(collection: dict[str, Any], when: date, root: Path) -> Path:
    """Where Decap saves a new entry titled 'Contoh …' of this collection (its slug template)."""
    if "files" in collection:
        return root / collection["files"][0]["file"]
    slug = collection["slug"].replace("{{fields.date | date('YYYY-MM-DD')}}", f"{when:%Y-%m-%d}")
    slug = slug.replace("{{slug}}", f"contoh-{collection['name']}")
    assert "{{" not in slug, slug  # a template this stand-in does not know: say so, not a wrong name
    return root / collection["folder"] / f"{slug}.md"


def write_entry(collection: dict[str, Any], when: date, root: Path, required_only: bool) -> Path:
    path = entry_path(collection, when, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    photo = ""
    if not required_only or any(f["widget"] == "image" and f["required"] for f in _deep(collection)):
        photo = f"foto-{collection['name']}.jpg"  # media_folder "": beside the entry
        shutil.copy(PHOTO, path.parent / photo)
    path.write_text(entry_text(collection, when, photo, required_only), encoding="utf-8")
    return path


def _deep(collection: dict[str, Any]) -> list[dict[str, Any]]:
    fields = _fields(collection)
    return fields + [f["field"] for f in fields if "field" in f]
