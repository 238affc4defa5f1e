"""Writing output safely: never outside the root, never the same path twice,
and a site's folder replaced only once its new build is complete."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from kimsite.errors import Text


class UnsafePath(ValueError):
    pass


def safe_path(root: Path, relpath: str) -> Path:
    """`root / relpath`, refusing absolute paths, '..' and symlinks that lead outside root."""
    pure = PurePosixPath(relpath)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise UnsafePath(f"refusing to write {relpath!r}: not a path inside the output")
    target = (root / pure).resolve()
    if not target.is_relative_to(root.resolve()):
        raise UnsafePath(f"refusing to write {relpath!r}: it leaves the output folder")
    return target


def write_file(path: Path | str, data: bytes, new: bool = False) -> None:
    """`data` into `path` with two system calls and no Python file object (tens of thousands of
    small files per build: the file object's set-up was half the cost). `new`: it must not exist.
    A symlink at `path` is refused, not followed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_EXCL if new else os.O_TRUNC)
    handle = os.open(path, flags, 0o666)  # as open() does: the umask decides
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
    finally:
        os.close(handle)


class Folders:
    """Where one writer's files go below `root`: each folder checked and made once, from its
    parent's (one mkdir, and one lstat when it was there), not once per file with the whole
    path resolved. The hub writes 30,000 files into 17,000 folders; resolving every file's
    path (an lstat per part) was a fifth of its time. A folder that is a symlink must lead
    inside `root`. A folder this writer made (`fresh`) held nothing before it: no file of an
    earlier build can be in it, to be replaced or removed."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._known: dict[str, Path] = {"": self.root}
        self._fresh: set[str] = set()

    def target(self, relpath: str) -> Path:
        folder, _, name = normal_path(relpath).rpartition("/")
        return self._folder(folder) / name

    def fresh(self, relpath: str) -> bool:
        """Whether the folder of `relpath` (made by `target`) was made by this writer."""
        return normal_path(relpath).rpartition("/")[0] in self._fresh

    def _folder(self, folder: str) -> Path:
        found = self._known.get(folder)
        if found is None:  # two threads may both make a new folder: the same answer, made once
            parent, _, name = folder.rpartition("/")
            found = self._folder(parent) / name
            try:
                os.mkdir(found)
            except FileExistsError:
                kind = os.lstat(found).st_mode
                if stat.S_ISLNK(kind):
                    found = safe_path(self.root, folder)
                    found.mkdir(exist_ok=True)
                elif not stat.S_ISDIR(kind):
                    raise
            else:
                self._fresh.add(folder)
            self._known[folder] = found
        return found


_PLAIN = re.compile(r"[^/.][^/]*(?:/[^/.][^/]*)*")  # segments not empty, none starting with a dot


def normal_path(relpath: str) -> str:
    """The one spelling of a relative path inside the output; refuses absolute paths and '..'."""
    if _PLAIN.fullmatch(relpath):  # the common case, without building a PurePosixPath
        return relpath
    pure = PurePosixPath(relpath)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise UnsafePath(f"refusing to write {relpath!r}: not a path inside the output")
    return pure.as_posix()


class GuardedWriter:
    """Writes files below `root` only; a second write of one path is a bug."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.written: set[str] = set()

    def target(self, relpath: str) -> Path:
        target = safe_path(self.root, relpath)
        key = target.relative_to(self.root).as_posix()  # one spelling per file: './a' and 'a//b' included
        if key in self.written:
            raise UnsafePath(f"{relpath!r} would be written twice")
        self.written.add(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, relpath: str, data: bytes, key: str = "") -> None:  # noqa: ARG002 - see publish.PublishingWriter
        self.target(relpath).write_bytes(data)

    def write_all(self, files: dict[str, bytes]) -> None:
        for rel, data in files.items():
            self.write(rel, data)

    def reuse(self, relpath: str, key: str) -> bool:  # noqa: ARG002 - see publish.PublishingWriter
        """Whether an earlier publish of `relpath` from the same inputs stands (never, on disk)."""
        return False

    @contextlib.contextmanager
    def alongside(self, body: Callable[[GuardedWriter], None]) -> Iterator[None]:
        """`body` writes too (see publish.PublishingWriter: there in a forked process); here after the block."""
        yield
        body(self)

    def stands(self, name: str, key: str | None) -> bool:  # noqa: ARG002 - see publish.PublishingWriter
        """Whether group `name` as published from `key` would be kept (never, on disk)."""
        return False

    @contextlib.contextmanager
    def group(self, name: str, key: str | None) -> Iterator[bool]:  # noqa: ARG002 - see publish.PublishingWriter
        """The files written in the body as one group made from `key`; yields whether the whole
        group as published last time stands (never, on disk: the body writes them)."""
        yield False


MADE_BY_KIMSITE = (".kimsite-hub", ".kimsite-manifest.json", ".kimsite-shards", ".kimsite-tree.json")


def unsafe_output(output: Path, inputs: list[Path], force: bool = False) -> Text | None:
    """Why `output` must not be written (None: it may). kimsite replaces and removes what it
    made in its output, so the output may not hold or sit inside the project's own files, and
    an existing folder with files kimsite did not make is not taken over."""
    output = output.resolve()
    for path in (p.resolve() for p in inputs):
        if path == output or path.is_relative_to(output):
            return Text(f"folder output {output} berisi {path.name} milik proyek; isinya bisa terhapus",
                        f"the output folder {output} holds the project's {path.name}; it could be deleted")
        if path.is_dir() and output.is_relative_to(path):
            return Text(f"folder output {output} ada di dalam {path.name}/ milik proyek",
                        f"the output folder {output} is inside the project's {path.name}/")
    if not force and output.is_dir() and any(output.iterdir()) and not any((output / m).exists()
                                                                           for m in MADE_BY_KIMSITE):
        return Text(f"folder output {output} sudah berisi berkas yang bukan buatan kimsite (--force: tetap dipakai)",
                    f"the output folder {output} already holds files kimsite did not make (--force: use it anyway)")
    return None


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def swap_in(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with two renames; the old tree is removed after."""
    old = final.with_name(final.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if old.exists():
        shutil.rmtree(old)


def publish_tree(staging: Path, output: Path, keep: frozenset[str] = frozenset()) -> None:
    """Move each top-level file or folder of `staging` into `output`, replacing what was there;
    remove what the last publish here wrote and this one did not (except `keep`): nothing
    else, so a file kimsite did not make is never deleted."""
    fresh = {item.name for item in staging.iterdir()}
    record = output / ".kimsite-tree.json"
    try:
        made = set(json.loads(record.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        made = set()
    for name in sorted(made - fresh - keep):
        stale = output / name
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale)
        elif stale.exists() or stale.is_symlink():
            stale.unlink()
    for item in sorted(staging.iterdir()):
        target = output / item.name
        if item.is_dir():
            swap_in(item, target)
        else:
            item.replace(target)
    record.write_text(json.dumps(sorted(fresh)), encoding="utf-8")


def theme_css(theme_dir: Path) -> tuple[str, bytes]:
    """The theme's stylesheet and its content-hashed path: browsers may keep it a year,
    and a changed theme gets a new name, so nobody reads a stale style."""
    data = (theme_dir / "static" / "css" / "kim.css").read_bytes()
    return f"tema/css/kim.{hashlib.sha256(data).hexdigest()[:10]}.css", data


def count_files(root: Path, suffix: str | None = None) -> int:
    total = 0
    for _dirpath, _dirs, files in os.walk(root):
        total += sum(1 for f in files if suffix is None or f.endswith(suffix))
    return total


def build_manifest(root: Path) -> dict[str, dict[str, object]]:
    """path → {sha256, size} for every file below root, sorted."""
    manifest: dict[str, dict[str, object]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        manifest[path.relative_to(root).as_posix()] = {
            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    return manifest


def write_manifest(root: Path, name: str = "manifest.json") -> None:
    manifest = build_manifest(root)
    (root / name).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
