"""Front matter as writers write it: YAML between `---` lines or TOML between `+++` lines,
in UTF-8 or (with a warning) Windows-1252, with the keys other tools use understood.

A post copied from Hugo, Jekyll or WordPress keeps its meaning: `categories`,
`description`, `featured_image`, `lastmod`, `status: publish`… are read as the kimsite
key they stand for, with a warning naming that key. Unknown keys are warnings too.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kimsite.errors import Problem, Severity, Text
from kimsite.read.yamlsrc import LineIndex, YamlProblem, parse_yaml

YAML_FENCE = re.compile(r"\A---[ \t]*\r?\n(?P<meta>.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)
TOML_FENCE = re.compile(r"\A\+\+\+[ \t]*\r?\n(?P<meta>.*?)^\+\+\+[ \t]*\r?$\n?", re.S | re.M)
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # control bytes no text file has

# alias → the kimsite key it stands for (the kimsite key wins when both are written)
ALIASES = {
    "description": "summary", "excerpt": "summary",
    "featured_image": "image", "cover": "image", "thumbnail": "image", "featuredImage": "image",
    "lastmod": "updated", "modified": "updated", "last_modified": "updated",
    "publishDate": "date", "pubDate": "date", "published": "date",
    "authors": "author", "keywords": "tags",
}
IGNORED = ("lang", "layout", "permalink", "aliases", "weight", "toc", "comments", "url", "showToc", "id")
DRAFT_STATUS = {"draft": True, "pending": True, "private": True, "future": False,
                "publish": False, "published": False, "publik": False, "terbit": False}
NEWS_TYPES = ("post", "posts", "news", "article", "artikel", "blog", "berita")

# the text `kimsite new` puts in a new file: not news until the writer replaces it
PLACEHOLDERS = (
    "Satu atau dua kalimat ringkasan untuk daftar berita dan pratinjau WhatsApp.",
    "Tulis isi berita di sini.",
    "Tulis klaim yang beredar dalam satu kalimat.",
    "Satu kalimat hasil pemeriksaan.",
    "Tulis bukti dan penjelasannya di sini.",
    "Nama penjual atau usaha",
    "Satu kalimat tentang produk ini.",
    "Keterangan produk: bahan, ukuran, cara memesan dan mengirim.",
    "Tempat acara",
    "Satu kalimat tentang acara ini.",
    "Keterangan acara.",
    "Isi halaman.",
)


@dataclass
class Source:
    """One writer's file, decoded and split: its front matter as data, the body, the notes."""

    data: dict[str, Any]
    index: LineIndex
    body: str
    body_line: int  # line of the body's first line
    text: str = ""  # the whole file as text (front matter and body)
    warnings: list[Problem] = field(default_factory=list)


def _error(shown: str, message: Text, hint: Text, line: int | None = 1) -> YamlProblem:
    return YamlProblem(Problem(shown, message, hint, line=line))


def warning(shown: str, message: Text, hint: Text | None, line: int | None, key: str | None = None) -> Problem:
    return Problem(shown, message, hint, line=line, key=key, severity=Severity.WARNING)


def decode_text(raw: bytes, shown: str) -> tuple[str, list[Problem]]:
    """UTF-8 text; Windows-1252 text with a warning; binary content is an error."""
    binary = _BINARY.search(raw)
    if binary:
        raise _error(shown, Text("berkas ini bukan teks (isinya biner)", "this file is not text (binary content)"),
                     Text("simpan tulisan sebagai teks biasa (.md), bukan dokumen Word atau gambar",
                          "save the post as plain text (.md), not a Word document or a picture"),
                     line=raw.count(b"\n", 0, binary.start()) + 1)
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise _error(shown, Text("berkas bukan teks UTF-8 (ada byte yang tidak dikenal)",
                                 "file is not UTF-8 text (unknown byte found)"),
                     Text("simpan ulang berkas sebagai UTF-8 di editor Anda",
                          "save the file again as UTF-8 in your editor"), line=line) from None
    return text, [warning(shown, Text("berkas disimpan sebagai Windows-1252, bukan UTF-8; tetap dibaca",
                                      "the file is saved as Windows-1252, not UTF-8; read anyway"),
                          Text("simpan ulang berkas sebagai UTF-8 di editor Anda",
                               "save the file again as UTF-8 in your editor"), line)]


def _toml_index(meta: str) -> LineIndex:
    index = LineIndex(offset=1)
    table: tuple[str, ...] = ()
    for number, line in enumerate(meta.splitlines(), start=1):
        header = re.match(r"^\s*\[([^\]]+)\]", line)
        key = re.match(r"^\s*([A-Za-z0-9_-]+)\s*=", line)
        if header:
            table = tuple(header[1].strip().split("."))
            index.lines[table] = number
        elif key:
            index.lines[(*table, key[1])] = number
    return index


def _toml(meta: str, shown: str) -> tuple[Any, LineIndex]:
    try:
        data = tomllib.loads(meta)
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"line (\d+)", str(err))
        raise _error(shown, Text(f"TOML tidak valid: {err}", f"invalid TOML: {err}"),
                     Text("periksa tanda kutip dan tanda '=' di baris ini",
                          "check the quotes and the '=' on this line"),
                     line=int(line[1]) + 1 if line else 1) from None
    return data, _toml_index(meta)


def split(text: str, shown: str) -> tuple[Any, LineIndex, str, int]:
    """(front matter data, its line index, body, line of the body's first line)."""
    fence = YAML_FENCE.match(text) or TOML_FENCE.match(text)
    if not fence:
        raise _error(shown, Text("front matter YAML tidak ditemukan", "no YAML front matter found"),
                     Text("awali berkas dengan baris '---', isi judul dll., lalu '---' lagi",
                          "start the file with a '---' line, the title etc., then '---' again"))
    meta = fence["meta"]
    data, index = _toml(meta, shown) if text.startswith("+++") else parse_yaml(meta, shown, line_offset=1)
    return data, index, text[fence.end():], text[: fence.end()].count("\n") + 1


def read_source(raw: bytes, shown: str) -> Source:
    text, warnings = decode_text(raw, shown)
    data, index, body, body_line = split(text, shown)
    if data is not None and not isinstance(data, dict):
        raise _error(shown, Text("isi front matter harus berupa daftar 'kunci: nilai'",
                                 "the front matter must be a 'key: value' mapping"),
                     Text("lihat contoh di docs/content-format.md", "see the example in docs/content-format.md"))
    return Source(dict(data or {}), index, body, body_line, text, warnings)


def _key_line(index: LineIndex, key: str) -> int | None:
    return index.line_of((key,))


def _cover(value: Any) -> tuple[Any, Any]:
    """Hugo themes write `cover: {image: x.jpg, alt: ...}`."""
    if isinstance(value, dict):
        return value.get("image") or value.get("src"), value.get("alt")
    return value, None


def _alias(source: Source, shown: str, alias: str, target: str) -> None:
    data = source.data
    value = data.pop(alias)
    line = _key_line(source.index, alias)
    if target in data:
        source.warnings.append(warning(shown, Text(f"'{alias}' diabaikan: '{target}' sudah ditulis",
                                                   f"'{alias}' is ignored: '{target}' is written already"),
                                       Text(f"hapus baris '{alias}'", f"remove the '{alias}' line"), line, alias))
        return
    if target == "image":
        value, alt = _cover(value)
        if alt and "image_alt" not in data:
            data["image_alt"] = alt
    if target == "author" and isinstance(value, list):
        value = value[0] if value else None
    data[target] = value
    source.warnings.append(warning(shown, Text(f"'{alias}' dibaca sebagai '{target}'",
                                               f"'{alias}' is read as '{target}'"),
                                   Text(f"ganti '{alias}:' dengan '{target}:'",
                                        f"write '{target}:' instead of '{alias}:'"),
                                   line, alias))


def _categories(source: Source, shown: str) -> None:
    value = source.data.pop("categories")
    names = [value] if isinstance(value, str) else [str(v) for v in value or []]
    line = _key_line(source.index, "categories")
    if "category" not in source.data and names:
        source.data["category"] = names[0]
        names = names[1:]
    tags = source.data.get("tags") or []
    tags = [t.strip() for t in tags.split(",")] if isinstance(tags, str) else list(tags)
    source.data["tags"] = tags + [n for n in names if n not in tags]
    source.warnings.append(warning(
        shown, Text("'categories' dibaca: yang pertama jadi kategori, sisanya jadi tag",
                    "'categories' is read: the first is the category, the rest become tags"),
        Text("tulis 'category: nama' dan 'tags: [lainnya]'", "write 'category: name' and 'tags: [others]'"), line,
        "categories"))


def _status(source: Source, shown: str) -> None:
    value = str(source.data.pop("status")).strip().lower()
    line = _key_line(source.index, "status")
    draft = DRAFT_STATUS.get(value)
    if draft is None:
        source.warnings.append(warning(shown, Text(f"status '{value}' tidak dikenal; tulisan diterbitkan",
                                                   f"unknown status '{value}'; the post is published"),
                                       Text("tulis 'draft: true' untuk menahan tulisan",
                                            "write 'draft: true' to hold it"),
                                       line, "status"))
        return
    source.data.setdefault("draft", draft)
    source.warnings.append(warning(shown, Text(f"'status: {value}' dibaca sebagai 'draft: {str(draft).lower()}'",
                                               f"'status: {value}' is read as 'draft: {str(draft).lower()}'"),
                                   Text(f"tulis 'draft: {str(draft).lower()}'", f"write 'draft: {str(draft).lower()}'"),
                                   line, "status"))


def _news_type(source: Source, shown: str) -> None:
    value = source.data.get("type")
    if isinstance(value, str) and value.strip().lower() in NEWS_TYPES and value != "berita":
        source.data["type"] = "berita"
        source.warnings.append(warning(shown, Text(f"'type: {value}' dibaca sebagai berita",
                                                   f"'type: {value}' is read as news"),
                                       Text("hapus baris 'type' (atau 'type: cek-fakta' untuk cek fakta)",
                                            "remove the 'type' line (or 'type: cek-fakta' for a fact check)"),
                                       _key_line(source.index, "type"), "type"))


def normalise(source: Source, shown: str, known: Iterable[str]) -> Source:
    """The front matter in kimsite's keys: aliases mapped, ignored keys noted, unknown keys warned."""
    known = sorted(known)
    for key in list(source.data):
        if key in known:
            continue
        if key == "categories":
            _categories(source, shown)
        elif key == "status":
            _status(source, shown)
        elif key in ALIASES:
            _alias(source, shown, key, ALIASES[key])
        elif key in IGNORED:
            source.data.pop(key)
            source.warnings.append(warning(shown, Text(f"'{key}' tidak dipakai kimsite; diabaikan",
                                                       f"'{key}' is not used by kimsite; ignored"),
                                           Text(f"baris '{key}' boleh dihapus", f"the '{key}' line can go"),
                                           _key_line(source.index, key), key))
        else:
            source.data.pop(key)
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = (Text(f"mungkin maksud Anda '{close[0]}'?", f"did you mean '{close[0]}'?") if close
                    else Text(f"kunci yang dikenal: {', '.join(known)}", f"known keys: {', '.join(known)}"))
            source.warnings.append(warning(shown, Text(f"kunci '{key}' tidak dikenal; diabaikan",
                                                       f"unknown key '{key}'; ignored"), hint,
                                           _key_line(source.index, key), str(key)))
    _news_type(source, shown)
    return source


def placeholder_in(fields: Iterable[Any], body: str) -> str | None:
    """The first placeholder text of `kimsite new` still in the file: a field that is exactly
    one, or a body that still holds one."""
    for value in fields:
        if isinstance(value, str) and value.strip() in PLACEHOLDERS:
            return value.strip()
    return next((p for p in PLACEHOLDERS if p in body and p.endswith(".")), None)
