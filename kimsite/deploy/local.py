"""A folder on this machine (a mounted share, or the web root of this server)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from kimsite.deploy.base import RemoteFile, part_name, quota, refused
from kimsite.output.files import safe_path
from kimsite.targets import DeployTarget

LOCK_DIR = ".kimsite/lock"


class LocalConnection:
    def __init__(self, target: DeployTarget):
        self.target = target
        self.root = Path(target.path)  # made by the first write: a dry run leaves no trace

    def _path(self, rel: str, make: bool = False) -> Path:
        path = safe_path(self.root, rel)
        if make:
            path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def read(self, rel: str) -> bytes | None:
        path = self._path(rel)
        return path.read_bytes() if path.is_file() else None

    def _place(self, rel: str, fill) -> None:
        final = self._path(rel, make=True)
        part = self._path(part_name(rel))
        try:
            fill(part)
            os.replace(part, final)
        except OSError as err:
            part.unlink(missing_ok=True)
            if err.errno in (errno.ENOSPC, errno.EDQUOT):
                raise quota(self.target, rel) from None
            if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise refused(self.target, rel) from None
            raise

    def write(self, rel: str, data: bytes) -> None:
        self._place(rel, lambda part: part.write_bytes(data))

    def upload(self, rel: str, local: Path) -> None:
        self._place(rel, lambda part: shutil.copyfile(local, part))

    def delete(self, rel: str) -> None:
        path = self._path(rel)
        path.unlink(missing_ok=True)
        for parent in path.parents:  # leave no empty folders behind
            if parent == self.root:
                break
            try:
                parent.rmdir()  # only succeeds when empty
            except OSError:  # not empty, or gone already (another connection deleting beside us)
                break

    def stat(self, rel: str) -> RemoteFile | None:
        try:
            info = self._path(rel).stat()
        except FileNotFoundError:
            return None
        return RemoteFile(info.st_size, int(info.st_mtime))

    def lock(self, owner: bytes) -> bool:
        folder = self._path(LOCK_DIR, make=True)
        try:
            folder.mkdir()
        except FileExistsError:
            return False
        (folder / "owner.json").write_bytes(owner)
        return True

    def lock_owner(self) -> bytes | None:
        path = self._path(LOCK_DIR + "/owner.json")
        return path.read_bytes() if path.is_file() else (b"{}" if path.parent.is_dir() else None)

    def unlock(self) -> None:
        shutil.rmtree(self._path(LOCK_DIR), ignore_errors=True)

    def close(self) -> None:
        pass


def connect(target: DeployTarget) -> LocalConnection:
    return LocalConnection(target)

