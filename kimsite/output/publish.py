"""Publish the hub's files into the output folder, touching only what changed.

A new post changes a handful of hub files; most of the others (one short-link page per post, old archive
months, the older numbered pages) come out as before. So the hub is published page by page as it renders
(`PublishingWriter`): a page whose render key (its template and data) is the one recorded last time, within
the same generation, is not rendered at all (`Memo`), and a group of files made from one key (a district's
pages and feeds, one KIM's short links) is kept whole without being looked at one by one; a rendered file is
minified and hashed and written, with its .gz/.br twins, each by an atomic rename, only when its bytes
differ from the last publish. Files the hub no longer writes are removed at the end. The record of the last
publish lives beside the output (`.kimsite-hub`), with the build manifest's text per folder
(`Published.chunks`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kimsite import cachefile
from kimsite.output import budgets, compress, forked, manifest
from kimsite.output.files import Folders, GuardedWriter, UnsafePath, normal_path, safe_path

STATE = ".kimsite-hub"
STATE_FORMAT = 3  # a record in another format is no record: everything is published afresh
Files = compress.Files
Done = tuple[str, Files, budgets.PageWeight | None]  # a file published: digest, files, weight


@dataclass
class Published:
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    weights: list[budgets.PageWeight] = field(default_factory=list)
    chunks: dict[str, str] = field(default_factory=dict)  # the manifest's entries as JSON text, by folder


class Part(NamedTuple):  # what a publisher in a forked process published, for its parent to take over
    current: dict[str, Entry]
    groups: dict[str, str]
    changed: list[str]
    weights: list[budgets.PageWeight]
    written: set[str]  # the paths claimed there


class Entry(NamedTuple):  # a tuple: the record holds one per hub file, saved as a plain one
    digest: str  # sha256 of the formats and the bytes
    key: str = ""  # what it was rendered from (PublishingWriter.reuse), "" unknown
    weight: budgets.PageWeight | None = None
    files: Files = ()  # the file and its twins as published
    group: str = ""  # published as part of this group (PublishingWriter.group)


class Memo:
    """The last publish into `output`: for each file its digest, its render key and its weight.
    Render keys count only within one `generation` (code, theme and config)."""

    def __init__(self, output: Path, generation: str = ""):
        self.output, self.generation = output, generation
        self.root = str(output)
        state = _load(output / STATE)
        self.entries: dict[str, Entry] = state.get("files", {})
        self.groups: dict[str, str] = state.get("groups", {})  # group → the key it was made from
        self.chunks: dict[str, tuple[int, str]] = state.get("chunks", {})  # folder → (files, JSON text)
        self.same_generation = bool(generation) and state.get("generation") == generation
        self._members: dict[str, list[str]] | None = None
        self._whole: set[str] | None = None  # the groups found on disk, when checked ahead

    def reusable(self, rel: str, key: str) -> bool:
        entry = self.entries.get(rel)
        return (self.same_generation and entry is not None and entry.key == key
                and os.path.isfile(os.path.join(self.root, rel)))

    def group_files(self, group: str, key: str | None) -> list[str] | None:
        """The files of `group` when it was published from `key` within this generation and
        it is still there (its first file: an output or folder deleted by hand is written
        again; a single file deleted by hand inside a kept group is not, until the group
        changes or the hub is built cold); else None."""
        if not key or not self.same_generation or self.groups.get(group) != key:
            return None
        files = self.members().get(group, [])
        if self._whole is not None:
            return files if group in self._whole else None
        return files if self._on_disk(files) else None

    def members(self) -> dict[str, list[str]]:
        if self._members is None:
            self._members = {}
            for rel, entry in self.entries.items():
                if entry.group:
                    self._members.setdefault(entry.group, []).append(rel)
        return self._members

    def check_ahead(self) -> None:
        """Find the groups still on disk now (while sites build), so that keeping a group later
        costs no look at the disk."""
        if self.same_generation:
            self._whole = {group for group, files in self.members().items() if self._on_disk(files)}

    def _on_disk(self, files: list[str]) -> bool:
        """One look per group, not one per file: with the file system's cache cold (a build
        hours after the last), 17,000 lookups take seconds."""
        return not files or os.path.isfile(os.path.join(self.root, files[0]))

    def save(self, current: dict[str, Entry], groups: dict[str, str], chunks: dict[str, tuple[int, str]]) -> None:
        rows = {rel: (e.digest, e.key, e.weight and tuple(e.weight), e.files, e.group)  # plain: pickled in C
                for rel, e in current.items()}  # (pickle calls Python per named tuple: half a save's time)
        state = dict(format=STATE_FORMAT, generation=self.generation, files=rows, groups=groups, chunks=chunks)
        cachefile.write(self.output / STATE, state, fast=True)  # the record has no shared or cyclic objects


def _load(path: Path) -> dict:
    """The record, its entries made named tuples again; none when of another format or broken."""
    state = cachefile.read(path)
    if not (isinstance(state, dict) and state.get("format") == STATE_FORMAT):
        return {}
    try:
        return {**state, "files": {rel: Entry(digest, key, weight and budgets.PageWeight(*weight), files, group)
                                   for rel, (digest, key, weight, files, group) in state["files"].items()}}
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}


def _remove(output: Path, rel: str) -> None:
    target = safe_path(output, rel)
    for path in [target, *(target.with_name(f"{target.name}.{f}") for f in compress.ENCODERS)]:
        path.unlink(missing_ok=True)
    for parent in target.parents:
        if parent == output:
            break
        try:
            parent.rmdir()
        except OSError:
            break


def _prune_top(output: Path, names: set[str], keep: frozenset[str]) -> None:
    """KIM site folders neither written now nor kept go (a KIM taken out of sites.yaml): only
    folders kimsite made, which hold its manifest part. Nothing else is touched: the hub's own
    files are removed by the record, and kimsite never deletes what it did not make."""
    for item in sorted(output.iterdir()):
        if (item.name not in names | keep and item.is_dir() and not item.is_symlink()
                and (item / manifest.PART).is_file()):
            shutil.rmtree(item)


class Publisher:
    """Writes hub files into the memo's output as they come, only those that changed (with their
    twins, each by an atomic rename); a file kept by the writer stays as it is. `weigh` sees
    every HTML page once its twins are in place. `finish` removes what was not published now.

    Compressing and writing run on two threads (zlib and brotli release the GIL) while the
    main thread renders the next pages; at most `AHEAD` files wait, so memory stays bounded."""

    AHEAD = 256
    BATCH = 128

    def __init__(self, memo: Memo, formats: tuple[str, ...],
                 weigh: Callable[[str, bytes], budgets.PageWeight | None] | None = None):
        self.memo, self.formats, self.weigh = memo, formats, weigh
        self.tag = ",".join(formats).encode()
        self.current: dict[str, Entry] = {}
        self.group = ""  # the group being written
        self.groups: dict[str, str] = {}  # the groups written or kept, with their keys
        self.result = Published()
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="publish")
        self.folders = Folders(memo.output)
        self.waiting: deque[tuple[list[str], str, str, Future[list[Done]]]] = deque()
        self.ahead = 0  # files handed to the threads and not yet recorded

    def keep(self, rel: str) -> None:
        entry = self.memo.entries[rel]
        self._record(rel, entry if entry.group == self.group else entry._replace(group=self.group))

    def keep_group(self, group: str, key: str | None) -> list[str] | None:
        """Keep every file of `group` as published, if it was made from `key`; None: write it."""
        files = self.memo.group_files(group, key)
        if files is not None:
            entries = self.memo.entries
            for rel in files:
                self._record(rel, entries[rel])
            self.groups[group] = key  # type: ignore[assignment] - not None when files were found
        return files

    @contextlib.contextmanager
    def writing_group(self, group: str, key: str | None) -> Iterator[None]:
        """The files published in the body make up `group` (recorded with `key`, if known)."""
        self.group = group
        try:
            yield
        finally:
            self.group = ""
        if key:
            self.groups[group] = key

    def file(self, rel: str, data: bytes, key: str = "") -> None:
        self.files([(rel, data)], key)

    def files(self, items: list[tuple[str, bytes]], key: str = "") -> None:
        """Files that changed go to the writer threads, up to BATCH in one task (a search
        bundle's 15,000 fragments are not 15,000 tasks); the others are kept as published."""
        for start in range(0, len(items), self.BATCH):
            changed = []
            for rel, data in items[start:start + self.BATCH]:
                known = self.memo.entries.get(rel)
                digest = "" if known is None else self._digest(data)  # a new file: hashed on a writer thread
                if known is None or known.digest != digest or not known.files or not os.path.isfile(
                        os.path.join(self.memo.root, rel)):
                    changed.append((rel, data, digest))
                else:
                    self._record(rel, Entry(digest, key, self._weight(rel, data), known.files, self.group))
            if changed:
                rels = [rel for rel, _data, _digest in changed]
                self.result.changed += rels
                self.waiting.append((rels, key, self.group, self.pool.submit(self._publish, changed)))
                self.ahead += len(changed)
                while self.ahead > self.AHEAD:
                    self._settle()

    def _digest(self, data: bytes) -> str:
        return hashlib.sha256(self.tag + b"\0" + data).hexdigest()

    def _publish(self, items: list[tuple[str, bytes, str]]) -> list[Done]:
        """On a worker thread: each file and its twins written, then the page weighed."""
        return [(digest or self._digest(data), compress.write_with_twins(self.folders, rel, data, self.formats),
                 self._weight(rel, data)) for rel, data, digest in items]

    def _weight(self, rel: str, data: bytes) -> budgets.PageWeight | None:
        return self.weigh(rel, data) if self.weigh and (rel.endswith(".html") or budgets.is_download(rel)) else None

    def _settle(self) -> None:
        rels, key, group, future = self.waiting.popleft()
        self.ahead -= len(rels)
        for rel, (digest, files, weight) in zip(rels, future.result(), strict=True):
            self._record(rel, Entry(digest, key, weight, files, group))

    def _record(self, rel: str, entry: Entry) -> None:
        self.current[rel] = entry
        self.result.weights += [entry.weight] if entry.weight else []

    def twin(self) -> Publisher:
        """A publisher for a forked process: the same record, output and weighing, its own threads."""
        return Publisher(self.memo, self.formats, self.weigh)

    def _drain(self) -> None:
        while self.waiting:
            self._settle()
        self.pool.shutdown()

    def part(self, written: set[str]) -> Part:
        """What this publisher published, every write done (in a forked process, to hand back)."""
        self._drain()
        return Part(self.current, self.groups, self.result.changed, self.result.weights, written)

    def absorb(self, part: Part) -> None:
        """Take over what a forked twin published, as if published here."""
        self.current.update(part.current)
        self.groups.update(part.groups)
        self.result.changed += part.changed
        self.result.weights += part.weights

    def finish(self, keep: frozenset[str]) -> Published:
        """Wait for every write, then remove what the last publish wrote and this one did not
        (except `keep`: the KIM sites), and save the record."""
        self._drain()
        output, result = self.memo.output, self.result
        result.removed = sorted(self.memo.entries.keys() - self.current.keys())
        for rel in result.removed:
            _remove(output, rel)
        _prune_top(output, {rel.split("/", 1)[0] for rel in self.current}, keep)
        chunks = self._chunks()
        result.chunks = {top: text for top, (_count, text) in chunks.items()}
        self.memo.save(self.current, self.groups, chunks)
        return result

    def _chunks(self) -> dict[str, tuple[int, str]]:
        """The manifest's entries as JSON text per folder two levels down (`s/abc123/`; a file
        higher up is a chunk of its own): a folder where nothing was written or removed keeps
        last time's text. The keys sort as their paths do (plan.join_manifest)."""
        old = self.memo.chunks if self.memo.same_generation else {}
        counts: dict[str, int] = {}
        members: dict[str, list[Entry]] = {_chunk_key(rel): [] for rel in (*self.result.changed, *self.result.removed)}
        for rel, entry in self.current.items():  # _chunk_key inline: this runs for every hub file
            first = rel.find("/")
            second = rel.find("/", first + 1) if first >= 0 else -1
            key = rel[:second + 1] if second >= 0 else rel
            counts[key] = counts.get(key, 0) + 1
            if key in members or key not in old:
                members.setdefault(key, []).append(entry)
        return {key: old[key] if key not in members and old[key][0] == count
                else (count, self._json(members.get(key) or self._entries(key)))
                for key, count in counts.items()}

    @staticmethod
    def _json(entries: list[Entry]) -> str:
        return manifest.entries_json({rel: {"sha256": sha, "size": size}
                                      for entry in entries for rel, sha, size in entry.files})

    def _entries(self, key: str) -> list[Entry]:
        """The entries of one chunk (whose count differs from the record's: never, unless the
        record is wrong)."""
        return [entry for rel, entry in self.current.items() if _chunk_key(rel) == key]


def _chunk_key(rel: str) -> str:
    """`a/b/` for a path below a/b/, else the path itself."""
    first = rel.find("/")
    second = rel.find("/", first + 1) if first >= 0 else -1
    return rel[:second + 1] if second >= 0 else rel


class PublishingWriter(GuardedWriter):
    """Hands each file to a Publisher as it is rendered (pages through `html`, the minifier
    first), so the hub is never held in memory whole; a page rendered from the same inputs as
    last time is kept, not rendered. Like GuardedWriter: inside the output, each path once."""

    def __init__(self, publisher: Publisher, html: Callable[[str], str] = lambda page: page):
        super().__init__(publisher.memo.output)
        self.publisher, self.html = publisher, html

    def _claim(self, relpath: str) -> str:
        path = normal_path(relpath)
        if path in self.written:
            raise UnsafePath(f"{relpath!r} would be written twice")
        self.written.add(path)
        return path

    def write(self, relpath: str, data: bytes, key: str = "") -> None:
        path = self._claim(relpath)
        self.publisher.file(path, self.html(data.decode()).encode() if path.endswith(".html") else data, key)

    def write_all(self, files: dict[str, bytes]) -> None:
        """Many files that are not pages (a search bundle), handed over in batches."""
        self.publisher.files([(self._claim(rel), data) for rel, data in files.items()])

    def reuse(self, relpath: str, key: str) -> bool:
        """Keep the published file if it was rendered from `key`; False: render it."""
        path = normal_path(relpath)
        if not key or not self.publisher.memo.reusable(path, key):
            return False
        self.publisher.keep(self._claim(path))
        return True

    @contextlib.contextmanager
    def alongside(self, body: Callable[[PublishingWriter], None]) -> Iterator[None]:
        """`body` writes with a twin of this writer in a forked process (the other core) while the
        block writes here; its files are then taken over, as if written here (a path both claim
        is refused). Only when the record is of another generation (a cold hub, a new kimsite,
        theme or config: every page is rendered again); else most pages are kept and `body`
        runs here after the block (a fork would cost more than it saves)."""
        if self.publisher.memo.same_generation:
            yield
            return body(self)
        before = set(self.written)

        def child() -> Part:
            twin = PublishingWriter(self.publisher.twin(), self.html)
            twin.written = set(before)
            body(twin)
            return twin.publisher.part(twin.written - before)

        with forked.beside(child) as result:
            yield
            part = result()
        both = self.written & part.written
        if both:
            raise UnsafePath(f"{sorted(both)[0]!r} would be written twice")
        self.written |= part.written
        self.publisher.absorb(part)

    def stands(self, name: str, key: str | None) -> bool:
        """Whether group `name` was published from `key` and would be kept by `group`."""
        return self.publisher.memo.group_files(name, key) is not None

    @contextlib.contextmanager
    def group(self, name: str, key: str | None) -> Iterator[bool]:
        """Yields True when every file of group `name` was published from `key` and is kept
        (the body writes nothing); else the files the body writes make up the group. Inside
        another group, the files belong to the outer one."""
        publisher = self.publisher
        if publisher.group:
            yield False
            return
        kept = publisher.keep_group(name, key)
        if kept is not None:
            if not self.written.isdisjoint(kept):
                raise UnsafePath(f"group {name!r} would write a file twice")
            self.written.update(kept)
            yield True
            return
        with publisher.writing_group(name, key):
            yield False
