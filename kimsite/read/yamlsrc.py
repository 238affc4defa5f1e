"""YAML with line numbers: the only importer of PyYAML.

`load_yaml` returns the data plus a `LineIndex` mapping each key path (such as
`("kims", 2, "slug")`) to the line it is written on, so that validation errors can
point at the exact line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kimsite.errors import Problem, Text

KeyPath = tuple[str | int, ...]
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser when PyYAML was built with it (the wheels are: ~5x faster, same marks),
    with YAML 1.2's booleans: only true/false. YAML 1.1 also reads yes/no/on/off as booleans,
    which eats writers' text (`title: Off`, `tags: [on, yes]`); a key that wants a boolean
    still accepts those words, through pydantic."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass
class LineIndex:
    lines: dict[KeyPath, int] = field(default_factory=dict)
    offset: int = 0  # added to every line (front matter starts below the `---`)

    def line_of(self, path: KeyPath) -> int | None:
        """Line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line + self.offset
        return None


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.render())
        self.problem = problem


def decode_utf8(raw: bytes, path: str) -> str:
    """Decode text, naming the line of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise YamlProblem(
            Problem(
                path,
                Text(
                    "berkas bukan teks UTF-8 (ada byte yang tidak dikenal)",
                    "file is not UTF-8 text (unknown byte found)",
                ),
                Text(
                    "simpan ulang berkas sebagai UTF-8 di editor Anda",
                    "save the file again as UTF-8 in your editor",
                ),
                line=line,
            )
        ) from None


def read_text(path: Path, shown: str) -> str:
    return decode_utf8(path.read_bytes(), shown)


def _walk(node: yaml.Node, path: KeyPath, index: LineIndex, problems: list[str]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(f"{key}@{key_node.start_mark.line + 1}")
            seen.add(key)
            index.lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), index, problems)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            index.lines[(*path, position)] = item.start_mark.line + 1
            _walk(item, (*path, position), index, problems)


def _bad_scalar_line(text: str, line_offset: int) -> int | None:
    """The line of the first timestamp-looking value that is not a real date."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        stack = [node] if node is not None else []
        while stack:
            current = stack.pop(0)
            if isinstance(current, yaml.ScalarNode) and current.tag.endswith(":timestamp"):
                try:
                    loader.construct_yaml_timestamp(current)
                except ValueError:
                    return current.start_mark.line + 1 + line_offset
            elif isinstance(current, yaml.MappingNode):
                stack += [v for _k, v in current.value]
            elif isinstance(current, yaml.SequenceNode):
                stack += list(current.value)
    finally:
        loader.dispose()
    return None


def _syntax_problem(err: yaml.YAMLError, text: str, path: str, line_offset: int) -> YamlProblem:
    # the context mark points at where the broken construct starts (the writer's line)
    mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
    last_line = text.rstrip("\n").count("\n") + 1 + line_offset  # not past the document's end
    line = min(mark.line + 1 + line_offset, last_line) if mark is not None else None
    detail = getattr(err, "problem", None) or str(err)
    hint = Text("periksa titik dua, tanda kutip dan spasi di awal baris ini",
                "check the colons, quotes and indentation on this line")
    problem_line = getattr(err, "problem_mark", None)
    if str(detail).startswith("mapping values are not allowed") and problem_line is not None:
        written = text.splitlines()[problem_line.line] if problem_line.line < len(text.splitlines()) else ""
        quoted = _quoted(written)
        if quoted:  # `title: Rapat: hasilnya` — the second colon starts a mapping
            line = problem_line.line + 1 + line_offset
            return YamlProblem(Problem(
                path, Text("ada titik dua di dalam nilai tanpa tanda kutip", "a colon inside a value without quotes"),
                Text(f"beri tanda kutip: {quoted}", f"put it in quotes: {quoted}"), line=line))
    return YamlProblem(Problem(path, Text(f"YAML tidak valid: {detail}", f"invalid YAML: {detail}"), hint, line=line))


def _quoted(line: str) -> str | None:
    """`key: text: more` written as `key: "text: more"`, or None when the line is not like that."""
    match = re.match(r"^(?P<indent>\s*)(?P<key>[A-Za-z_][\w-]*):\s+(?P<value>[^'\"\s].*?)\s*$", line)
    if not match or ": " not in match["value"]:
        return None
    value = match["value"].replace("\\", "\\\\").replace('"', '\\"')
    return f'{match["indent"]}{match["key"]}: "{value}"'


def _line_index(node: yaml.Node | None, path: str, line_offset: int) -> LineIndex:
    """Line of every key path; a key written twice is a problem (PyYAML keeps the last silently)."""
    index = LineIndex(offset=line_offset)
    duplicates: list[str] = []
    if node is not None:
        index.lines[()] = node.start_mark.line + 1
        _walk(node, (), index, duplicates)
    if duplicates:
        key, line = duplicates[0].rsplit("@", 1)
        raise YamlProblem(Problem(
            path, Text(f"kunci '{key}' ditulis dua kali", f"key '{key}' is written twice"),
            Text("hapus salah satunya", "remove one of them"), line=int(line) + line_offset, key=key))
    return index


MAX_CHARS = 2_000_000  # a sites.yaml of 1,000 KIMs is about 100 KB
MAX_DEPTH = 40
MAX_ALIASES = 100
MAX_NODES = 200_000  # nodes as the document unfolds, every alias followed


def _too_big(path: str, what: Text, line: int | None) -> YamlProblem:
    return YamlProblem(Problem(path, what, Text("sederhanakan berkas ini: tulis nilainya langsung, tanpa '&' dan '*'",
                                                "simplify this file: write the values out, without '&' and '*'"),
                               line=line))


def _check_bounds(text: str, path: str, line_offset: int) -> None:
    """Hostile YAML is refused at once: size, nesting depth and anchors/aliases are bounded
    (nine nested anchors of 600 bytes unfold into hundreds of millions of nodes)."""
    if len(text) > MAX_CHARS:
        raise _too_big(path, Text(f"berkas terlalu besar ({len(text):,} karakter, batas {MAX_CHARS:,})",
                                  f"file too large ({len(text):,} characters, limit {MAX_CHARS:,})"), None)
    depth = aliases = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_big(path, Text(f"isi bersarang terlalu dalam (batas {MAX_DEPTH} tingkat)",
                                              f"nested too deeply (limit {MAX_DEPTH} levels)"),
                                   event.start_mark.line + 1 + line_offset)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise _too_big(path, Text(f"terlalu banyak alias '*' (batas {MAX_ALIASES})",
                                              f"too many '*' aliases (limit {MAX_ALIASES})"),
                                   event.start_mark.line + 1 + line_offset)
    except yaml.YAMLError as err:
        raise _syntax_problem(err, text, path, line_offset) from None


def _unfolded(node: yaml.Node | None, path: str, line_offset: int) -> None:
    """Count the nodes as the document unfolds, each shared node as often as it is reached."""
    sizes: dict[int, int] = {}

    def size(current: yaml.Node) -> int:
        key = id(current)
        if key not in sizes:
            sizes[key] = 1  # a cycle counts once
            children = ([n for pair in current.value for n in pair] if isinstance(current, yaml.MappingNode)
                        else current.value if isinstance(current, yaml.SequenceNode) else [])
            sizes[key] = 1 + sum(size(child) for child in children)
        return sizes[key]

    if node is not None and size(node) > MAX_NODES:
        raise _too_big(path, Text(f"anchor dan alias membuat isi terlalu besar (lebih dari {MAX_NODES:,} nilai)",
                                  f"anchors and aliases unfold too far (more than {MAX_NODES:,} values)"),
                       node.start_mark.line + 1 + line_offset)


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, LineIndex]:
    """Parse one YAML document; raise `YamlProblem` naming the line on bad syntax or on a
    document too large, too deep or unfolding too far."""
    _check_bounds(text, path, line_offset)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        _unfolded(node, path, line_offset)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        raise _syntax_problem(err, text, path, line_offset) from None
    except ValueError as err:  # e.g. date: 2025-02-30 — a timestamp that is not a calendar date
        raise YamlProblem(Problem(
            path, Text(f"nilai tidak valid: {err}", f"invalid value: {err}"),
            Text("periksa tanggal: bulan 1-12, hari sesuai bulannya",
                 "check the date: month 1-12, a day the month has"),
            line=_bad_scalar_line(text, line_offset))) from None
    finally:
        loader.dispose()
    return data, _line_index(node, path, line_offset)


def load_yaml(path: Path, shown: str) -> tuple[Any, LineIndex]:
    return parse_yaml(read_text(path, shown), shown)


def dump_front_matter(data: dict[str, Any]) -> str:
    """A post's front matter as YAML a writer can read and edit (keys in the order given;
    strings that YAML would read as something else, like dates or `on`, are quoted)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
