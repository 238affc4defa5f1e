"""The target's record of what is live, in parts: a deploy reads and writes only what it touched.

    .kimsite/index.json.gz          {"format": 2, "parts": {key: [hash, files]}, "pending": [...],
                                     "sending": {path: hash}}
    .kimsite/record/<key>.json.gz   {path: [hash, size]} for the files of one part

A part holds the files of one top-level folder (a KIM, a hub section; `_` for the files at
the top), cut by a hash of each file's folder into 2**n buckets of about 512 files at
most, so a page and its twins, or the newest list page's files, share one part, and a KIM
that grows re-cuts its own parts once in a while and nothing else. The index says
each part's hash: a deploy downloads only the parts whose hash differs from the build's
(or that hold a path a killed deploy left pending), and uploads only those. File hashes
are kept to 64 bits (16 hex digits): enough to tell two versions of one file apart (a
record compares a path with itself, not every file with every other), a quarter of the
bytes of a full sha256. Every record file is gzip-compressed (mtime 0: deterministic).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass, field

from kimsite.deploy import journal
from kimsite.deploy.plan import MANIFEST, STATE_DIR, Manifest, dump_manifest, load_manifest

INDEX = f"{STATE_DIR}/index.json.gz"
PARTS = f"{STATE_DIR}/record"
FORMAT = 2
PER_PART = 512
DIGITS = 16  # hex digits of a file's sha256 kept in the record
UNKNOWN = ""  # a part's hash while a deploy is rewriting its files: read it again next time


def short(files: Manifest) -> Manifest:
    """Entries with their hash cut to the record's length (the build keeps full ones)."""
    return {rel: {"sha256": str(e["sha256"])[:DIGITS], "size": e["size"]} for rel, e in files.items()}


def folder(rel: str) -> str:
    return rel.split("/", 1)[0] if "/" in rel else "_"


def part_path(key: str) -> str:
    return f"{PARTS}/{key}.json.gz"


def split(files: Manifest) -> dict[str, Manifest]:
    """key → the files of that part; a key is `<folder>.<buckets>d.<bucket>` (`d`: cut by folder)."""
    by_folder: dict[str, list[str]] = {}
    for rel in files:
        by_folder.setdefault(folder(rel), []).append(rel)
    parts: dict[str, Manifest] = {}
    for name, rels in by_folder.items():
        count = 1
        while len(rels) > PER_PART * count:
            count *= 2
        for rel in rels:  # by the file's folder: a page and its twins, or a list page's folder, stay together
            key = f"{name}.{count}d.{zlib.crc32(rel.rpartition('/')[0].encode()) % count}"
            parts.setdefault(key, {})[rel] = files[rel]
    return parts


def part_bytes(files: Manifest) -> bytes:
    doc = {rel: [files[rel]["sha256"], files[rel]["size"]] for rel in sorted(files)}
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()


def part_hash(files: Manifest) -> str:
    return hashlib.sha256(part_bytes(files)).hexdigest()[:16]


def pack(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=6, mtime=0)


def load_part(data: bytes | None) -> Manifest:
    if not data:
        return {}
    doc = json.loads(gzip.decompress(data))
    return {rel: {"sha256": value[0], "size": value[1]} for rel, value in doc.items()}


@dataclass
class Index:
    parts: dict[str, tuple[str, int]] = field(default_factory=dict)  # key → (hash, files)
    pending: list[str] = field(default_factory=list)
    sending: dict[str, str] = field(default_factory=dict)

    @property
    def files(self) -> int:
        return sum(count for _hash, count in self.parts.values())

    def dump(self) -> bytes:
        doc = {"format": FORMAT, "parts": {k: list(v) for k, v in sorted(self.parts.items())},
               "pending": sorted(self.pending), "sending": dict(sorted(self.sending.items()))}
        return pack(json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode())


def load_index(data: bytes | None) -> Index | None:
    """The index, or None for a target without one (a first deploy, or one made by an older
    kimsite, whose single `manifest.json` is read once and replaced)."""
    if not data:
        return None
    doc = json.loads(gzip.decompress(data))
    return Index({k: (str(v[0]), int(v[1])) for k, v in doc.get("parts", {}).items()},
                 list(doc.get("pending", [])), dict(doc.get("sending", {})))


def index_of(parts: dict[str, Manifest]) -> dict[str, tuple[str, int]]:
    return {key: (part_hash(files), len(files)) for key, files in parts.items()}


def to_compare(local: dict[str, tuple[str, int]], index: Index, pending: list[str]) -> set[str]:
    """The part keys a deploy must look into: those whose hash differs from the target's, and
    every part of a folder that was re-cut or holds a pending or logged path."""
    keys = {k for k in local.keys() | index.parts.keys() if local.get(k, (None,))[0] != index.parts.get(k, (None,))[0]}
    whole = {folder(rel) for rel in pending}
    whole |= {k.rsplit(".", 2)[0] for k in keys if _cut(k, local) != _cut(k, index.parts)}
    return keys | {k for k in local.keys() | index.parts.keys() if k.rsplit(".", 2)[0] in whole}


def _cut(key: str, parts: dict[str, tuple[str, int]]) -> set[str]:
    """How a key's folder is cut on one side: the bucket counts its keys use."""
    name = key.rsplit(".", 2)[0]
    return {k.rsplit(".", 2)[1] for k in parts if k.rsplit(".", 2)[0] == name}


@dataclass
class View:
    """The part of the target's record a deploy looks into, beside the build's same part."""

    index: Index | None  # None: the target has no index yet (legacy manifest or first deploy)
    local: Manifest  # the build's files in the compared parts
    remote: Manifest  # the target's, as recorded (its logs applied)
    pending: list[str]
    sending: dict[str, str]
    keys: set[str]  # the compared part keys (the build's and the target's)
    local_parts: dict[str, Manifest]
    skipped: int  # files in parts that match: unchanged, not looked at
    head: journal.Head | None = None  # None: no journal yet (this deploy writes parts and an index)
    log: journal.Ref | None = None  # the log this deploy wrote (during)

    @property
    def remote_files(self) -> int:
        return len(self.remote) if self.index is None else self.index.files

    @property
    def changes(self) -> journal.Changes:
        """What this deploy's log says: the build against the record, the pending paths as built."""
        return journal.changes_between(self.remote, self.local, self.pending)

    @property
    def dirty(self) -> bool:
        """Whether the record must be written: always for a target without a journal when a
        part differs, else only when something changed or a killed deploy's log is pending."""
        if self.head is None:
            return bool(self.keys)
        return bool(self.changes) or self.head.pending is not None

    @property
    def written(self) -> str:
        """The record file a killed deploy wrote before sending (its time dates what it sent)."""
        if self.head is not None and self.head.pending is not None:
            return journal.log_path(self.head.pending[0])
        return INDEX if self.index is not None else MANIFEST


def view(local: Manifest, index: Index | None, legacy: tuple[Manifest, list[str], dict[str, str]] | None,
         read_parts, head: journal.Head | None = None, logs: list[journal.Changes] | None = None,
         pending: journal.Changes | None = None) -> View:
    """`read_parts(keys)` → {key: the target's part}; `legacy` is an old single manifest; `logs`
    are the head's committed logs, oldest first, and `pending` a killed deploy's log."""
    parts = split(local)
    if index is None:
        files, pend, sending = legacy or ({}, [], {})
        return View(None, local, short(files), pend, {k: v[:DIGITS] for k, v in sending.items()},
                    set(parts), parts, 0)
    if head is None:
        pend, sending = list(index.pending), index.sending
    else:
        pend = list(pending or {})
        sending = {rel: str(e["sha256"]) for rel, e in (pending or {}).items() if e is not None}
    logged = [rel for changes in logs or [] for rel in changes]
    keys = to_compare(index_of(parts), index, pend + logged)
    remote: Manifest = {}
    for part in read_parts(sorted(k for k in keys if k in index.parts)).values():
        remote.update(part)
    for changes in logs or []:  # every logged path's whole folder is compared (to_compare)
        journal.apply(remote, changes)
    mine = {rel: e for k in keys for rel, e in parts.get(k, {}).items()}
    # every pending path's whole folder is compared (to_compare), so each is planned again
    return View(index, mine, remote, pend, sending, keys, parts, len(local) - len(mine), head)


def during(v: View, touched: list[str], sending: dict[str, str]) -> list[tuple[str, bytes]]:
    """The record files written, in order, before any file changes: every path about to change
    pending, with its hash, so a kill leaves nothing claimed that was not finished. With a
    journal that is this deploy's log, named pending in the head; without one, an index with
    the compared parts' hashes unknown. A target still on an older kimsite's single manifest
    keeps that manifest until the deploy is done (then the parts and the index replace it)."""
    if v.index is None and v.remote:
        changing = set(touched)
        kept = {rel: e for rel, e in v.remote.items() if rel not in changing}
        return [(MANIFEST, dump_manifest(kept, touched, sending))]
    if v.head is not None:
        log = journal.dump_log(v.changes)
        v.log = (journal.new_name(v.head), journal.digest(log))
        head = journal.Head(v.head.index, v.head.logs, v.log, v.head.logged)
        return [(journal.log_path(v.log[0]), log), (journal.HEAD, head.dump())]
    parts = dict(v.index.parts) if v.index is not None else {}
    for key in v.keys & parts.keys():
        parts[key] = (UNKNOWN, parts[key][1])
    return [(INDEX, Index(parts, touched, sending).dump())]


@dataclass
class Finish:
    """What a finished deploy writes: `parts` (in any order), then `last` in order, then it
    deletes `gone`."""

    parts: dict[str, bytes]
    last: list[tuple[str, bytes]]
    gone: list[str]


def after(v: View) -> Finish:
    """The record writes once the target holds the build: the head with this deploy's log
    moved to the logs, or, without a journal or with a full one, the compared parts, a new
    index and an empty journal (a compaction)."""
    old_logs = [journal.log_path(n) for n, _h in (v.head.logs if v.head else [])]
    killed = [journal.log_path(v.head.pending[0])] if v.head and v.head.pending and v.head.pending != v.log else []
    if v.head is not None and v.log is not None and not v.head.full():
        head = journal.Head(v.head.index, [*v.head.logs, v.log], None, v.head.logged + len(v.changes))
        return Finish({}, [(journal.HEAD, head.dump())], killed)
    writes = {part_path(k): pack(part_bytes(v.local_parts[k])) for k in sorted(v.keys) if k in v.local_parts}
    gone = [part_path(k) for k in sorted(v.keys) if k not in v.local_parts and v.index and k in v.index.parts]
    index = Index(index_of(v.local_parts)).dump()
    head = journal.Head(journal.digest(index)).dump()
    ours = [journal.log_path(v.log[0])] if v.log else []
    return Finish(writes, [(INDEX, index), (journal.HEAD, head)], gone + old_logs + killed + ours)


def read_all(read) -> tuple[Manifest, list[str]]:
    """(every file recorded, the pending paths) through `read(path) → bytes | None`: for tests
    and tools that want the whole record (a deploy never reads it all)."""
    index = load_index(read(INDEX))
    if index is None:
        return load_manifest(read(MANIFEST))
    files: Manifest = {}
    for key in index.parts:
        files.update(load_part(read(part_path(key))))
    head = journal.load_head(read(journal.HEAD))
    if head is None:
        return files, index.pending
    for name, _hash in head.logs:
        journal.apply(files, journal.load_log(read(journal.log_path(name))))
    return files, list(journal.load_log(read(journal.log_path(head.pending[0])))) if head.pending else []
