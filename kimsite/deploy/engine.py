"""Run one deploy: lock the target, plan from manifests, upload in order, delete, record.

Crash safety: before touching any file the target's manifest is rewritten without the
paths about to change and with them listed as `pending`; only a finished deploy writes
the full manifest. A deploy that dies half-way therefore leaves a manifest that claims
nothing it did not finish, and the next run re-sends (or deletes) every pending path:
it converges to the exact build. Pages themselves are never half-written: each file is
sent under a temporary name and renamed into place.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kimsite.deploy import journal, record, resume
from kimsite.deploy import plan as planning
from kimsite.deploy.base import Connection, DeployFailure, Kind, RemoteFile, Source, part_name
from kimsite.errors import Text
from kimsite.targets import DeployOptions, DeployTarget

MODULES = {"local": "local", "ftp": "ftp", "ftps": "ftp", "sftp": "ssh", "rsync": "ssh", "s3": "s3"}
EXTRAS = {"ssh": ("ssh", ("paramiko",)), "s3": ("s3", ("boto3", "botocore"))}  # module → (extra, its libraries)
Progress = Callable[[int, int, str], None]


@dataclass
class DeployReport:
    target: str
    plan: planning.Plan
    stages: list[tuple[str, int, int]] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0
    retries: int = 0
    took_over_lock: bool = False
    resumed: int = 0  # files a killed deploy had sent, found whole on the target: not sent again
    record_bytes: int = 0  # of the record (.kimsite/) and the lock, read from and written to the target


@dataclass(frozen=True)
class RunOptions:
    dry_run: bool = False
    force: bool = False  # allow more deletions than the caps
    backoff: float = 1.0  # seconds before the first retry; doubles each time


def connector(target: DeployTarget) -> Callable[[DeployTarget], Connection]:
    """The target module's `connect`; a module (and its library) is imported only when used."""
    try:
        module = importlib.import_module(f"kimsite.deploy.{MODULES[target.type]}")
    except ModuleNotFoundError as err:  # a deploy extra not installed: say which
        extra = EXTRAS.get(MODULES[target.type])
        if extra is None or err.name not in extra[1]:
            raise
        raise DeployFailure(Kind.CONFIG, Text(f"target {target.type} perlu pustaka {err.name}, yang belum terpasang",
                                              f"a {target.type} target needs {err.name}, which is not installed"),
                            Text(f"pasang dengan: pip install 'kimsite[{extra[0]}]'",
                                 f"install it with: pip install 'kimsite[{extra[0]}]'")) from None
    return module.connect


class Session:
    """A connection that reconnects and retries when the link drops."""

    def __init__(self, target: DeployTarget, retries: int, backoff: float):
        self.target, self.retries, self.backoff = target, retries, backoff
        self.connect = connector(target)
        self.conn: Connection | None = None
        self.retried = 0
        self.record_bytes, self._counting = 0, threading.Lock()

    def counted(self, data: bytes | None) -> bytes | None:
        """`data`, a record or lock file read from or written to the target, added to record_bytes."""
        with self._counting:
            self.record_bytes += len(data or b"")
        return data

    def call(self, op: Callable[[Connection], Any]) -> Any:
        for attempt in range(self.retries + 1):
            try:
                if self.conn is None:
                    self.conn = self.connect(self.target)
                return op(self.conn)
            except DeployFailure as failure:
                if failure.retryable:
                    self.close()  # a dropped link is not reused, not even to release the lock
                if not failure.retryable or attempt == self.retries:
                    raise
            self.close()
            self.retried += 1
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):  # closing a dead link must not hide the real error
                self.conn.close()
            self.conn = None


def _owner() -> bytes:
    return json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "token": uuid.uuid4().hex,
                       "since": datetime.now(UTC).isoformat(timespec="seconds")}).encode()


def _stale(raw: bytes | None, minutes: int) -> bool:
    """A lock left by a dead process on this machine, or older than `minutes`."""
    try:
        owner = json.loads(raw or b"{}")
        since = datetime.fromisoformat(owner["since"])
    except (ValueError, KeyError, TypeError):
        return True  # a lock without readable owner: a deploy died while taking it
    if owner.get("host") == socket.gethostname():
        try:
            os.kill(int(owner["pid"]), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return (datetime.now(UTC) - since).total_seconds() > minutes * 60


def _holder(raw: bytes | None) -> tuple[str, str]:
    """(who holds a lock: host and process, since when), as its owner file says."""
    owner = json.loads(raw or b"{}")
    return f"{owner.get('host', '?')} pid {owner.get('pid', '?')}", str(owner.get("since", "?"))


def _take_lock(session: Session, minutes: int) -> bool:
    """Lock the target; returns whether a stale lock was taken over."""
    if session.call(lambda c: c.lock(session.counted(_owner()))):
        return False
    held = session.call(lambda c: c.lock_owner())
    if not _stale(held, minutes):
        who, since = _holder(held)
        raise DeployFailure(
            Kind.LOCKED,
            Text(f"target '{session.target.name}' sedang dipakai deploy lain ({who}, sejak {since})",
                 f"target '{session.target.name}' is locked by another deploy ({who}, since {since})"),
            Text(f"tunggu sampai selesai; kunci lebih tua dari {minutes} menit (deploy.lock_minutes) diambil alih "
                 f"otomatis", f"wait for it to finish; a lock older than {minutes} minutes (deploy.lock_minutes) "
                 f"is taken over"))
    session.call(lambda c: c.unlock())
    if not session.call(lambda c: c.lock(_owner())):
        raise DeployFailure(Kind.LOCKED, Text(f"target '{session.target.name}' baru saja dikunci deploy lain",
                                              f"target '{session.target.name}' was just locked by another deploy"))
    return True


def _refuse_deletes(target: DeployTarget, count: int, remote: int) -> DeployFailure:
    return DeployFailure(
        Kind.CONFIG,
        Text(f"target '{target.name}': deploy ini akan menghapus {count} dari {remote} berkas; dibatalkan",
             f"target '{target.name}': this deploy would delete {count} of {remote} files; refused"),
        Text("periksa apakah build lengkap; jika memang benar, ulangi dengan --force",
             "check that the build is complete; if this is intended, run again with --force"))


class Parallel:
    """Sends files over several connections (latency, not bandwidth, is what a TLS handshake
    per FTPS file costs). Groups run one after the other, so the upload order holds between
    stages; within a group, files go in any order."""

    def __init__(self, first: Session, count: int, total: int, progress: Progress | None):
        self.sessions = [first] + [Session(first.target, first.retries, first.backoff) for _ in range(count - 1)]
        self.total, self.progress, self.done = total, progress, 0
        self.mutex, self.failed = threading.Lock(), threading.Event()

    def run(self, rels: list[str], op: Callable[[Connection, str], None]) -> None:
        used = self.sessions[: max(1, min(len(self.sessions), len(rels)))]
        chunks = [rels[i::len(used)] for i in range(len(used))]
        with ThreadPoolExecutor(len(used)) as pool:
            futures = [pool.submit(self._send, s, chunk, op) for s, chunk in zip(used, chunks, strict=True)]
        errors = [f.exception() for f in futures if f.exception() is not None]
        if errors:
            raise errors[0]  # type: ignore[misc]

    def _send(self, session: Session, rels: list[str], op: Callable[[Connection, str], None]) -> None:
        for rel in rels:
            if self.failed.is_set():
                return
            try:
                session.call(lambda c, rel=rel: op(c, rel))
            except BaseException:
                self.failed.set()
                raise
            with self.mutex:
                self.done += 1
                if self.progress:
                    self.progress(self.done, self.total, rel)

    def close(self) -> int:
        for extra in self.sessions[1:]:
            extra.close()
        return sum(s.retried for s in self.sessions[1:])


def _groups(uploads: list[str]) -> list[list[str]]:
    """Upload groups in order: per stage, the .gz/.br twins first, then the files themselves."""
    groups: dict[tuple[int, bool], list[str]] = {}
    for rel in uploads:
        groups.setdefault((planning.stage(rel), not planning.TWIN.search(rel)), []).append(rel)
    return [groups[key] for key in sorted(groups)]


def _each(session: Session, connections: int, items: list[str], op: Callable[[Connection, str], None]) -> None:
    """`op` for every item, over up to `connections` connections (record parts, resume checks)."""
    if not items:
        return
    parallel = Parallel(session, connections, len(items), None)
    try:
        parallel.run(items, op)
    finally:
        session.retried += parallel.close()


def _cached(session: Session, store: journal.Store, key: str, rel: str, conn: Connection | None = None) -> bytes | None:
    """A record file: the local copy when its hash is `key`, else read from the target (and kept)."""
    data = store.get(key)
    if data is None:
        data = session.counted(conn.read(rel) if conn is not None else session.call(lambda c: c.read(rel)))
        if data:
            store.put(data)
    return data


def _keep(store: journal.Store, path: str, data: bytes | None) -> None:
    """A record file this deploy writes, kept here by its hash (not the head: it is read each time)."""
    if data and path != journal.HEAD:
        store.put(data)


def _read_view(session: Session, store: journal.Store, local: planning.Manifest, connections: int) -> record.View:
    """The parts of the target's record that differ from the build's, and its logs, read in
    parallel where this machine has no copy of them."""
    head = journal.load_head(session.counted(session.call(lambda c: c.read(journal.HEAD))))
    raw = _cached(session, store, head.index, record.INDEX) if head else \
        session.counted(session.call(lambda c: c.read(record.INDEX)))
    index = record.load_index(raw)
    legacy = None
    if index is None:  # a first deploy, or a target an older kimsite deployed (one manifest.json)
        state = planning.load_state(session.counted(session.call(lambda c: c.read(planning.MANIFEST))))
        legacy = (state.files, state.pending, state.sending)
    refs = [*(head.logs if head else []), *([head.pending] if head and head.pending else [])]
    found: dict[str, bytes | None] = {}
    _each(session, connections, [n for n, _h in refs], lambda c, name: found.__setitem__(
        name, _cached(session, store, dict(refs)[name], journal.log_path(name), c)))
    logs = [journal.load_log(found[n]) for n, _h in refs]
    pending = logs.pop() if head and head.pending else None

    def read_parts(keys: list[str]) -> dict[str, planning.Manifest]:
        parts: dict[str, planning.Manifest] = {}
        _each(session, connections, keys, lambda c, key: parts.__setitem__(key, record.load_part(
            _cached(session, store, index.parts[key][0], record.part_path(key), c))))
        return parts

    return record.view(local, index, legacy, read_parts, head, logs, pending)


def _execute(session: Session, store: journal.Store, source: Source, plan: planning.Plan, view: record.View,
             connections: int, progress: Progress | None) -> None:
    touched = sorted(set(plan.uploads) | set(plan.deletes))
    if touched or view.head is not None:
        for path, data in record.during(view, touched, plan.sending):
            _keep(store, path, session.counted(data))
            session.call(lambda c, path=path, data=data: c.write(path, data))
    pending = set(view.pending)
    stale_parts = [part_name(rel) for rel in plan.deletes if rel in pending]  # left by a killed deploy
    # the counter counts what is done: uploads, deletes and the cleaned parts (it never passes its total)
    parallel = Parallel(session, connections, len(plan.uploads) + len(plan.deletes) + len(stale_parts), progress)
    try:
        if session.call(lambda c: hasattr(c, "upload_all")):  # rsync: one run sends every file
            session.call(lambda c: c.upload_all(plan.uploads, source.root))
        else:
            for group in _groups(plan.uploads):
                parallel.run(group, lambda c, rel: c.upload(rel, source.file(rel)))
        parallel.run(plan.deletes + stale_parts, lambda c, rel: c.delete(rel))
    finally:
        session.retried += parallel.close()
    finish = record.after(view)
    for path, data in [*finish.parts.items(), *finish.last]:
        _keep(store, path, session.counted(data))
    _each(session, connections, list(finish.parts), lambda c, rel: c.write(rel, finish.parts[rel]))
    for path, data in finish.last:
        session.call(lambda c, path=path, data=data: c.write(path, data))
    _each(session, connections, finish.gone + ([planning.MANIFEST] if view.index is None else []),
          lambda c, rel: c.delete(rel))


RESUME_BATCH = 256  # pending files asked about at once; a batch with none found ends the asking


def _resume(session: Session, source: Source, view: record.View, state: planning.TargetState, connections: int) -> int:
    """Move the pending files a killed deploy finished into the record's files (deploy.resume);
    returns how many. A deploy sends its files in plan order, so what it finished is the start
    of that order: files are asked about in that order, a batch at a time, and the first batch
    with none of them found ends it (one short request per file sent, plus one batch)."""
    asked = sorted(resume.candidates(view.local, state), key=_sent_order)
    if not asked:
        return 0
    written = view.written  # the killed deploy's record
    since: dict[str, RemoteFile | None] = {}
    _each(session, 1, [written], lambda c, rel: since.__setitem__(rel, c.stat(rel)))
    done: planning.Manifest = {}
    for start in range(0, len(asked), RESUME_BATCH):
        stats: dict[str, RemoteFile | None] = {}
        _each(session, connections, asked[start:start + RESUME_BATCH],
              lambda c, rel, into=stats: into.__setitem__(rel, c.stat(rel)))
        found = resume.confirmed(view.local, source.file, since[written], stats)
        if not found:
            break
        done.update(found)
    state.files.update(done)
    state.pending = [rel for rel in state.pending if rel not in done]
    return len(done)


def _sent_order(rel: str) -> tuple[int, bool, str]:
    """The order _groups sends files in: by stage, a stage's twins first, then by path."""
    return planning.stage(rel), not planning.TWIN.search(rel), rel


def deploy(target: DeployTarget, source: Source, options: DeployOptions, run: RunOptions,
           progress: Progress | None = None) -> DeployReport:
    started = time.perf_counter()
    local = record.short(planning.scan(source.root, source.skip_dirs))
    if target.stores_gzip:
        local, bodies = planning.stored_gzip(local)
        source = dataclasses.replace(source, bodies=bodies)
    session = Session(target, options.retries, run.backoff)
    locked = False
    try:
        report = DeployReport(target.name, planning.Plan(), dry_run=run.dry_run)
        if not run.dry_run:
            report.took_over_lock = _take_lock(session, options.lock_minutes)
            locked = True
        store = journal.Store(source.cache)
        view = _read_view(session, store, local, options.connections)
        state = planning.TargetState(view.remote, view.pending, view.sending)
        report.resumed = _resume(session, source, view, state, options.connections)
        report.plan = planning.make_plan(view.local, state.files, state.pending)
        report.plan.unchanged += view.skipped
        report.stages = report.plan.by_stage(local)
        if not run.force and planning.too_many_deletes(report.plan, local, view.remote_files, options.max_deletes,
                                                       options.max_delete_share):
            raise _refuse_deletes(target, len(report.plan.deletes), view.remote_files)
        if not run.dry_run and view.dirty:
            _execute(session, store, source, report.plan, view, options.connections, progress)
            store.prune()
        if locked:
            session.call(lambda c: c.unlock())
            locked = False
        report.retries += session.retried
        report.record_bytes = session.record_bytes
        report.seconds = time.perf_counter() - started
        return report
    finally:
        if locked:
            with contextlib.suppress(DeployFailure):  # else the lock expires; the next run takes it over
                session.call(lambda c: c.unlock())
        session.close()
