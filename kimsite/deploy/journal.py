"""The record's journal: a deploy writes what it changed, not the parts it touched.

    .kimsite/head.json.gz         {"format": 3, "index": hash, "logs": [[name, hash], ...],
                                   "pending": [name, hash] | null}
    .kimsite/log/<name>.json.gz   {path: [hash, size] | null}   (null: deleted)

The parts and their index (`record`) are a snapshot; each deploy since then adds one log of
the paths it changed, named in the head, so one new post costs a few kilobytes of record
instead of every part it touched. A deploy writes its log first and names it `pending` in
the head; a kill leaves that log pending (its paths are sent again, or found whole by the
resume), and a finished deploy moves it to `logs`. Once the logs grow past MAX_LOGS files or
MAX_LOGGED paths, a deploy rewrites the parts it has compared and a new index, and starts
the logs again (a compaction: today's cost of a record part, once in MAX_LOGS deploys).

Every record file is named in the head or the index by the hash of its bytes, so a local
copy (`Store`, in `.kimsite-cache/deploy/`) is used when its hash matches and the target is
asked only for what this machine has not seen: the head, then nothing else when the last
deploy to the target was made from here. A missing or stale copy costs a read, never a wrong
record.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from kimsite.deploy.plan import STATE_DIR, Manifest

HEAD = f"{STATE_DIR}/head.json.gz"
LOGS = f"{STATE_DIR}/log"
FORMAT = 3
MAX_LOGS = 16  # logs before a compaction: a machine without the local copy reads them all once
MAX_LOGGED = 4096  # paths across the logs before a compaction
STORE_DAYS = 30  # local copies unused this long are removed
Changes = dict[str, dict[str, object] | None]
Ref = tuple[str, str]  # (log name, hash of its bytes)


def digest(data: bytes) -> str:
    """The hash a record file is named by: of its content, before gzip (the record's part hashes)."""
    return hashlib.sha256(gzip.decompress(data)).hexdigest()[:16]


def pack(doc: object) -> bytes:
    raw = json.dumps(doc, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()
    return gzip.compress(raw, compresslevel=6, mtime=0)


def log_path(name: str) -> str:
    return f"{LOGS}/{name}.json.gz"


@dataclass
class Head:
    index: str  # the hash of the index file the logs continue
    logs: list[Ref] = field(default_factory=list)
    pending: Ref | None = None
    logged: int = 0  # paths across the logs

    def dump(self) -> bytes:
        return pack({"format": FORMAT, "index": self.index, "logs": [list(r) for r in self.logs],
                     "pending": list(self.pending) if self.pending else None, "logged": self.logged})

    def full(self) -> bool:
        """Whether the next deploy compacts (its own log counted)."""
        return len(self.logs) + 1 > MAX_LOGS or self.logged > MAX_LOGGED


def load_head(data: bytes | None) -> Head | None:
    """The head, or None for a target without one (deployed by an older kimsite, or never)."""
    if not data:
        return None
    doc = json.loads(gzip.decompress(data))
    pending = doc.get("pending")
    return Head(str(doc["index"]), [(str(n), str(h)) for n, h in doc.get("logs", [])],
                (str(pending[0]), str(pending[1])) if pending else None, int(doc.get("logged", 0)))


def new_name(head: Head | None) -> str:
    """A log name no other deploy uses: its number in the head, and a random token."""
    return f"{len(head.logs) + 1 if head else 1:04d}-{uuid.uuid4().hex[:8]}"


def dump_log(changes: Changes) -> bytes:
    return pack({rel: None if e is None else [e["sha256"], e["size"]] for rel, e in changes.items()})


def load_log(data: bytes | None) -> Changes:
    if not data:
        return {}
    doc = json.loads(gzip.decompress(data))
    return {rel: None if v is None else {"sha256": v[0], "size": v[1]} for rel, v in doc.items()}


def apply(files: Manifest, changes: Changes) -> None:
    for rel, entry in changes.items():
        if entry is None:
            files.pop(rel, None)
        else:
            files[rel] = entry


def changes_between(recorded: Manifest, built: Manifest, also: list[str]) -> Changes:
    """What a log says to turn `recorded` into `built`: changed and new files, deleted ones
    (None), and every path in `also` (a killed deploy's pending paths) as built."""
    out: Changes = {rel: e for rel, e in built.items() if recorded.get(rel) != e}
    out.update({rel: None for rel in recorded if rel not in built})
    out.update({rel: built.get(rel) for rel in also})
    return dict(sorted(out.items()))


class Store:
    """Record files this machine has read or written, by the hash of their bytes."""

    def __init__(self, root: Path | None):
        self.root = root

    def get(self, key: str) -> bytes | None:
        if self.root is None or not key:
            return None
        path = self.root / key
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            if digest(data) != key:  # a copy changed: ask the target
                return None
        except (OSError, EOFError):  # a copy cut short
            return None
        os.utime(path)
        return data

    def put(self, data: bytes) -> str:
        key = digest(data)
        if self.root is not None:
            self.root.mkdir(parents=True, exist_ok=True)
            temp = self.root / f".{key}.{os.getpid()}.tmp"
            temp.write_bytes(data)
            temp.replace(self.root / key)
        return key

    def prune(self) -> None:
        """Remove copies unused for STORE_DAYS (only files named as this store names them)."""
        if self.root is None or not self.root.is_dir():
            return
        cutoff = time.time() - STORE_DAYS * 86400
        for path in self.root.iterdir():
            if len(path.name) == 16 and path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
