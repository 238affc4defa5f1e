"""Validate YAML data against pydantic models; turn every error into a `Problem`.

The only importer of pydantic. All errors of one document are reported at once,
each with its line, key and an Indonesian-first message; unknown keys get a
"did you mean" hint.
"""

from __future__ import annotations

import difflib
import functools
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

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
    shown = _shown(value)
    detail = _detail(error)
    return (
        Text(f"nilai {shown} untuk '{key}' tidak valid: {detail.id}",
             f"invalid value {shown} for '{key}': {detail.en}"),
        hints.get(key) or Text(f"ubah nilai '{key}' di baris ini: {detail.id}",
                               f"change the value of '{key}' on this line: {detail.en}"),
    )


# pydantic's error types in words a writer knows (never its English messages)
_DETAILS = {
    "string_type": Text("harus berupa teks", "must be text"),
    "string_too_short": Text("tidak boleh kosong", "must not be empty"),
    "string_too_long": Text("terlalu panjang", "is too long"),
    "string_pattern_mismatch": Text("bentuknya tidak sesuai", "has the wrong form"),
    "int_type": Text("harus berupa bilangan bulat", "must be a whole number"),
    "int_parsing": Text("harus berupa bilangan bulat", "must be a whole number"),
    "int_from_float": Text("harus berupa bilangan bulat", "must be a whole number"),
    "float_type": Text("harus berupa angka", "must be a number"),
    "float_parsing": Text("harus berupa angka", "must be a number"),
    "bool_type": Text("harus true atau false", "must be true or false"),
    "bool_parsing": Text("harus true atau false", "must be true or false"),
    "list_type": Text("harus berupa daftar, misalnya [satu, dua]", "must be a list, e.g. [one, two]"),
    "dict_type": Text("harus berupa kumpulan 'kunci: nilai'", "must be a set of 'key: value' lines"),
    "model_type": Text("harus berupa kumpulan 'kunci: nilai'", "must be a set of 'key: value' lines"),
    "model_attributes_type": Text("harus berupa kumpulan 'kunci: nilai'", "must be a set of 'key: value' lines"),
    "greater_than": Text("terlalu kecil", "is too small"),
    "greater_than_equal": Text("terlalu kecil", "is too small"),
    "less_than": Text("terlalu besar", "is too large"),
    "less_than_equal": Text("terlalu besar", "is too large"),
    "too_short": Text("isinya kurang", "has too few items"),
    "too_long": Text("isinya terlalu banyak", "has too many items"),
    "date_type": Text("harus berupa tanggal, misalnya 2025-03-14", "must be a date, e.g. 2025-03-14"),
    "date_parsing": Text("harus berupa tanggal, misalnya 2025-03-14", "must be a date, e.g. 2025-03-14"),
    "date_from_datetime_parsing": Text("harus berupa tanggal, misalnya 2025-03-14", "must be a date, e.g. 2025-03-14"),
    "datetime_parsing": Text("harus berupa tanggal dan jam, misalnya 2025-03-14 09:30",
                             "must be a date and time, e.g. 2025-03-14 09:30"),
    "datetime_type": Text("harus berupa tanggal dan jam, misalnya 2025-03-14 09:30",
                          "must be a date and time, e.g. 2025-03-14 09:30"),
    "url_parsing": Text("harus berupa alamat web lengkap (https://…)", "must be a full web address (https://…)"),
    "url_scheme": Text("harus berupa alamat web lengkap (https://…)", "must be a full web address (https://…)"),
}


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "(kunci: nilai)"
    if isinstance(value, list):
        return "(daftar)"
    return repr(value) if not isinstance(value, str) else f"'{value}'"


def _detail(error: Any) -> Text:
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "literal_error" or kind == "enum":
        expected = str(context.get("expected", "")).replace("'", "")
        return Text(f"pilih salah satu: {expected}", f"choose one of: {expected}")
    if kind == "value_error":  # kimsite's own validators speak both languages already
        message = str(context.get("error", error["msg"]))
        return Text(message, message)
    return _DETAILS.get(kind, Text("bentuk nilainya tidak sesuai", "the value has the wrong form"))


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


@functools.cache
def _adapter(kind: type) -> TypeAdapter:
    return TypeAdapter(kind)


def to_json(value: Any, kind: type) -> bytes:  # noqa: ANN401 - any model kimsite keeps
    """A frozen model (dataclasses, datetimes, paths, tuples) as JSON: portable between machines
    and Python versions, unlike a pickle, and never code when read back."""
    return _adapter(kind).dump_json(value)


def from_json(data: bytes, kind: type) -> Any:  # noqa: ANN401 - the model asked for
    """`to_json`'s value back, validated; ValueError when the JSON is not one."""
    try:
        return _adapter(kind).validate_json(data)
    except ValidationError as err:
        raise ValueError(f"{err.error_count()} field(s) do not fit") from None
