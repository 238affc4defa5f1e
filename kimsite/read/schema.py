"""Validate YAML data against pydantic models; turn every error into a `Problem`.

The only importer of pydantic. All errors of one document are reported at once,
each with its line, key and an Indonesian-first message; unknown keys get a
"did you mean" hint.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from kimsite.errors import Problem, Text
from kimsite.read.yamlsrc import KeyPath, LineIndex

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Base of every schema: unknown keys are errors, objects are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def known_keys(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys allowed at `loc` (the mapping that holds the unknown key)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        current = _model_in(field.annotation) if field else None
    return sorted(current.model_fields) if current else []


def _did_you_mean(model: type[BaseModel], loc: KeyPath) -> Text:
    allowed = known_keys(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    if close:
        return Text(f"mungkin maksud Anda '{close[0]}'?", f"did you mean '{close[0]}'?")
    listed = ", ".join(allowed)
    return Text(f"kunci yang dikenal: {listed}", f"known keys: {listed}")


def _message(error: Any, model: type[BaseModel], hints: dict[str, Text]) -> tuple[Text, Text | None]:
    loc: KeyPath = tuple(error["loc"])
    key = str(loc[-1]) if loc else "(dokumen)"
    kind = error["type"]
    if kind == "missing":
        return (
            Text(f"kunci '{key}' wajib diisi", f"key '{key}' is required"),
            hints.get(key) or Text(f"tambahkan baris '{key}: ...'", f"add a line '{key}: ...'"),
        )
    if kind == "extra_forbidden":
        return Text(f"kunci '{key}' tidak dikenal", f"unknown key '{key}'"), _did_you_mean(model, loc)
    value = error.get("input")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    detail = error["msg"]
    return (
        Text(f"nilai {shown} untuk '{key}' tidak valid ({detail})", f"invalid value {shown} for '{key}': {detail}"),
        hints.get(key),
    )


def problems_from(err: ValidationError, model: type[BaseModel], index: LineIndex, path: str,
                  hints: dict[str, Text]) -> list[Problem]:
    problems = []
    for error in err.errors():
        loc: KeyPath = tuple(error["loc"])
        message, hint = _message(error, model, hints)
        dotted = ".".join(str(p) for p in loc) or None
        problems.append(Problem(path, message, hint, line=index.line_of(loc), key=dotted))
    return sorted(problems, key=lambda p: p.line or 0)


def validate(model: type[M], data: Any, index: LineIndex, path: str,
             hints: dict[str, Text] | None = None) -> tuple[M | None, list[Problem]]:
    """Return the validated model, or None and every problem found."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [
            Problem(
                path,
                Text("isi berkas harus berupa daftar 'kunci: nilai'", "the file must be a 'key: value' mapping"),
                Text("lihat contoh di docs/content-format.md", "see the example in docs/content-format.md"),
                line=index.line_of(()) or 1,
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as err:
        return None, problems_from(err, model, index, path, hints or {})
