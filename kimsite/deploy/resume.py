"""Resuming a deploy that was killed: which of the files it was sending are on the target?

A deploy first rewrites the target's record with the paths it is about to touch (`pending`)
and the sha256 each is about to get (`sending`), then sends every file under a temporary
name and renames it into place, so a file at its final path is always whole. After a
kill, a pending file on the target is the one that deploy finished when its size is the
local file's and
- the protocol gives its content MD5 (S3's ETag of a single-part upload), equal to the
  local file's; or else
- the hash it was being sent with is the local file's (the build did not change since),
  and it was renamed into place after the record was written: its modification time, by
  the server's own clock, is a later second than the record's. A file the previous, whole
  deploy left there is older than the record; one written in the record's own second is
  sent again (whole seconds are all FTP's MDTM and SFTP promise).
Those files are confirmed and not sent again; every other pending path is sent as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from kimsite.deploy.base import RemoteFile
from kimsite.deploy.plan import Manifest, TargetState
from kimsite.deploy.record import DIGITS


def candidates(local: Manifest, state: TargetState) -> list[str]:
    """Pending paths whose recorded hash is the local build's: the only ones worth asking about."""
    return [rel for rel in state.pending
            if rel in local and state.sending.get(rel, "")[:DIGITS] == local[rel]["sha256"]]


def confirmed(local: Manifest, body: Callable[[str], Path], record: RemoteFile | None,
              stats: dict[str, RemoteFile | None]) -> Manifest:
    """The candidates the target already holds, as the build has them. `stats` is the target's
    answer for each candidate, `record` for the record the killed deploy wrote first; `body`
    names the build's file sent as a path (Source.file)."""
    since = record.mtime if record is not None else None
    done: Manifest = {}
    for rel, found in stats.items():
        if found is None or found.size != local[rel]["size"]:
            continue
        if found.md5 is not None:
            same = found.md5 == _md5(body(rel))
        else:
            same = since is not None and found.mtime is not None and found.mtime > since
        if same:
            done[rel] = local[rel]
    return done


def _md5(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "md5").hexdigest()
