"""Manifests and the deploy plan: pure data, no network.

A manifest maps each path to its sha256 and size. The target keeps the manifest of
its last deploy (plus the paths a deploy had started to touch, `pending`); the plan
is the difference, in a safe order: content-addressed assets, then pages, then index
pages, then feeds and sitemaps, then deletions. A file's .gz/.br twins go just
before it, so a compressed copy never points at a page that is not there yet.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kimsite.output.manifest import HASHES, SKIP_PREFIX, Entry, Manifest, entries_json, file_entry, scan  # noqa: F401 - re-exported

STATE_DIR = ".kimsite"  # on the target: manifest.json and lock
MANIFEST = f"{STATE_DIR}/manifest.json"
LOCK = f"{STATE_DIR}/lock"
BUILD_MANIFEST = ".kimsite-manifest.json"  # in the output folder, written by each build
BUILD_INFO = ".kimsite-build.json"  # in the output folder: the base URL the build was made for
FORMAT = 1

TWIN = re.compile(r"\.(gz|br)$")
FEEDS = re.compile(r"(\.xml|\.json|\.opml|\.ics|\.csv|\.txt)$")
INDEX_DIRS = {"halaman", "kategori", "topik", "arsip", "wilayah", "direktori", "cakupan", "dasbor", "produk"}
STAGES = ("aset/assets", "halaman/pages", "indeks/index pages", "umpan/feeds", "hapus/deletions")


def dump_manifest(files: Manifest, pending: list[str] | None = None, sending: dict[str, str] | None = None) -> bytes:
    """Compact JSON, sorted by path (json's C encoder: 200,000 files in a fraction of a second).
    `sending`: path → sha256 of what a deploy is about to upload, so a rerun after a kill can
    tell the files it finished from those it did not (deploy.resume)."""
    return _document(entries_json(files), pending or [], sending or {})


def join_manifest(chunks: list[tuple[str, str]]) -> bytes:
    """The same bytes as dump_manifest, from (key, entries as JSON text) chunks whose paths do
    not interleave: each chunk's key sorts where its paths do (a folder's key is `name/`)."""
    buffer = io.StringIO()
    _write_document(buffer, [text for _key, text in sorted(chunks)], [])
    return buffer.getvalue().encode()


def write_build_info(output: Path, base_url: str) -> None:
    path = output / BUILD_INFO
    text = json.dumps({"base_url": base_url}, sort_keys=True) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def built_for(output: Path) -> str | None:
    """The base URL the output was built for (None: not recorded, an older build)."""
    try:
        return json.loads((output / BUILD_INFO).read_text(encoding="utf-8")).get("base_url")
    except (OSError, ValueError, AttributeError):
        return None


def write_joined_manifest(path: Path, chunks: list[tuple[str, str]]) -> None:
    """join_manifest's bytes written into `path` chunk by chunk (a regency's manifest is tens
    of megabytes: never held whole in memory), under a temporary name renamed into place."""
    temp = path.with_name(f"{path.name}.tmp")
    with temp.open("w", encoding="utf-8", newline="\n") as handle:
        _write_document(handle, [text for _key, text in sorted(chunks)], [])
    temp.replace(path)


def _document(entries: str, pending: list[str], sending: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    _write_document(buffer, [entries], pending, sending)
    return buffer.getvalue().encode()


def _write_document(handle: TextIO, entries: list[str], pending: list[str],
                    sending: dict[str, str] | None = None) -> None:
    """The manifest document: entries (JSON text, without braces) written one after another."""
    pending_json = json.dumps(sorted(pending), separators=(",", ":"), ensure_ascii=False)
    if sending:
        pending_json += ',"sending":' + json.dumps(sending, separators=(",", ":"), ensure_ascii=False,
                                                   sort_keys=True)
    handle.write(f'{{"format":{FORMAT},"files":{{')
    first = True
    for text in entries:
        if text:
            if not first:
                handle.write(",")
            handle.write(text)
            first = False
    handle.write(f'}},"pending":{pending_json}}}\n')


@dataclass
class TargetState:
    """What a target's record says: the files live, the paths a deploy had started to touch,
    and the hash each of those was about to get (absent in records of older kimsite versions)."""

    files: Manifest = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    sending: dict[str, str] = field(default_factory=dict)


def load_state(data: bytes | None) -> TargetState:
    if not data:
        return TargetState()
    doc = json.loads(data)
    return TargetState(dict(doc.get("files", {})), list(doc.get("pending", [])), dict(doc.get("sending", {})))


def load_manifest(data: bytes | None) -> tuple[Manifest, list[str]]:
    """(files, pending) from a target's manifest; nothing known for a first deploy."""
    state = load_state(data)
    return state.files, state.pending


def stage(path: str) -> int:
    """0 asset, 1 page, 2 index page, 3 feed or sitemap (twins share their file's stage)."""
    plain = TWIN.sub("", path)
    if FEEDS.search(plain) or plain.endswith("robots.txt"):
        return 3
    if not plain.endswith(".html"):
        return 0
    parts = plain.split("/")
    if len(parts) <= 2 or INDEX_DIRS & set(parts):  # a site's home, or a listing
        return 2
    return 1


def _order(path: str) -> tuple[int, str, int]:
    return stage(path), TWIN.sub("", path), 0 if TWIN.search(path) else 1


@dataclass
class Plan:
    uploads: list[str] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    upload_bytes: int = 0
    sending: dict[str, str] = field(default_factory=dict)  # upload path → its sha256 (the record's `sending`)

    @property
    def empty(self) -> bool:
        return not self.uploads and not self.deletes

    def by_stage(self, local: Manifest) -> list[tuple[str, int, int]]:
        """(stage, files, bytes) in upload order, then the deletions."""
        rows = [[name, 0, 0] for name in STAGES]
        for path in self.uploads:
            row = rows[stage(path)]
            row[1] += 1
            row[2] += int(local[path]["size"])  # type: ignore[call-overload]
        rows[4][1] = len(self.deletes)
        return [(str(n), int(f), int(b)) for n, f, b in rows]


def make_plan(local: Manifest, remote: Manifest, pending: list[str]) -> Plan:
    """What to upload and delete so the target holds exactly `local`."""
    plan = Plan()
    unsure = set(pending)
    for path, entry in local.items():
        before = remote.get(path)
        if before == entry and path not in unsure:
            plan.unchanged += 1
            continue
        plan.uploads.append(path)
        plan.sending[path] = str(entry["sha256"])
        plan.upload_bytes += int(entry["size"])  # type: ignore[call-overload]
        if before is None:
            plan.new += 1
        else:
            plan.changed += 1
    plan.uploads.sort(key=_order)
    plan.deletes = sorted((set(remote) | unsure) - set(local), key=_order, reverse=True)
    return plan


def stored_gzip(local: Manifest) -> tuple[Manifest, dict[str, str]]:
    """What a host that cannot choose between a file and its twins (S3 behind a CDN) holds:
    a file with a .gz twin is stored as the twin's bytes under the file's own name (sent with
    `Content-Encoding: gzip`), and no twin is stored. Returns that manifest and, for each file
    stored so, the build's file whose bytes are sent."""
    stored: Manifest = {}
    bodies: dict[str, str] = {}
    for path, entry in local.items():
        if TWIN.search(path):
            continue
        twin = local.get(f"{path}.gz")
        stored[path] = twin if twin is not None else entry
        if twin is not None:
            bodies[path] = f"{path}.gz"
    return stored, bodies


def too_many_deletes(plan: Plan, local: Manifest, remote_count: int, max_deletes: int, max_share: float) -> bool:
    """More deletions than the caps allow. A twin whose file stays is not counted: it held
    nothing the file does not (a target that now stores gzip drops every twin at once)."""
    count = sum(1 for rel in plan.deletes if not (TWIN.search(rel) and TWIN.sub("", rel) in local))
    if not count:
        return False
    return count > max_deletes or count > max_share * max(remote_count, 1)
