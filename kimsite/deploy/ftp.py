"""FTP and explicit FTPS (cPanel shared hosting), with the standard library's ftplib.

Strict servers (vsftpd with `require_ssl_reuse`) refuse a data connection whose TLS
session is not the control connection's; `_ReusingTLS` hands that session over.
"""

from __future__ import annotations

import contextlib
import ftplib
import io
import socket
import ssl
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from kimsite.deploy.base import (
    DeployFailure,
    RemoteFile,
    auth_failure,
    dropped,
    part_name,
    quota,
    refused,
    require_env,
    secret,
    unreachable,
)
from kimsite.targets import DeployTarget

TIMEOUT = 30
LOCK_DIR = ".kimsite/lock"
LINK_ERRORS = (EOFError, ConnectionError, TimeoutError, socket.timeout, ssl.SSLError, ftplib.error_temp,
               ftplib.error_reply, ftplib.error_proto, OSError)


class _ReusingTLS(ftplib.FTP_TLS):
    def ntransfercmd(self, cmd: str, rest: int | str | None = None) -> tuple[socket.socket, int | None]:
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:  # type: ignore[attr-defined]
            conn = self.context.wrap_socket(conn, server_hostname=self.host,
                                            session=self.sock.session)  # type: ignore[union-attr]
        return conn, size


def _tls_context(target: DeployTarget) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(target.ca_file) if target.ca_file else None)
    context.maximum_version = ssl.TLSVersion.TLSv1_2  # TLS 1.3 tickets break data-channel session reuse
    return context


def _mdtm(stamp: str) -> int | None:
    """MDTM's YYYYMMDDHHMMSS[.sss] (UTC) as whole seconds since the epoch."""
    try:
        return int(datetime.strptime(stamp[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC).timestamp())
    except ValueError:
        return None


def _code(err: ftplib.Error) -> str:
    return str(err)[:3]


# what the connections to one server folder have learnt about its folders, shared by a deploy's
# parallel connections (set operations are atomic in CPython): a hint, never trusted blindly, as a
# STOR into a folder believed there that fails makes the folders and sends again
_FOLDERS: dict[tuple[str, int, str], tuple[set[str], set[str]]] = {}


class FtpConnection:
    def __init__(self, target: DeployTarget, ftp: ftplib.FTP, base: str):
        self.target, self.ftp, self.base = target, ftp, base
        # folders known to be there, and folders made here: what lies below those is new
        self.made, self.created = _FOLDERS.setdefault((target.host, target.port or 21, base), (set(), set()))
        self.binary = False

    def _abs(self, rel: str) -> str:
        return str(PurePosixPath(self.base) / rel)

    def _failure(self, rel: str, err: Exception) -> DeployFailure:
        if isinstance(err, ftplib.error_perm):
            return quota(self.target, rel) if _code(err) == "552" else refused(self.target, rel)
        if isinstance(err, ftplib.error_temp) and _code(err) == "452":
            return quota(self.target, rel)
        return dropped(self.target, rel)

    def _mkdirs(self, folder: PurePosixPath, every: bool = False) -> None:
        """Make `folder` and its parents; `every`: ask for each level, even those believed there."""
        if str(folder) in self.made and not every:
            return
        for parent in [*reversed(folder.parents), folder]:
            if (str(parent) in self.made and not every) or str(parent) in ("/", "."):
                continue
            with contextlib.suppress(ftplib.error_perm):  # it exists, or is refused: the upload will say
                self.ftp.mkd(str(parent))
                self.created.add(str(parent))
            self.made.add(str(parent))

    def read(self, rel: str) -> bytes | None:
        buffer = io.BytesIO()
        try:
            self.ftp.retrbinary(f"RETR {self._abs(rel)}", buffer.write)
        except ftplib.error_perm:
            return None
        except LINK_ERRORS as err:
            raise dropped(self.target, rel) from err
        return buffer.getvalue()

    def _store(self, rel: str, stream: io.BufferedIOBase) -> None:
        final = self._abs(rel)
        part = self._abs(part_name(rel))
        try:
            self._send(part, final, stream)
            try:
                self.ftp.rename(part, final)
            except ftplib.error_perm:  # some servers will not rename over an existing file
                self.ftp.delete(final)
                self.ftp.rename(part, final)
        except (ftplib.error_perm, *LINK_ERRORS) as err:
            raise self._failure(rel, err) from err

    def _send(self, part: str, final: str, stream: io.BufferedIOBase) -> None:
        """STOR into a folder that is there already (most are, after a first deploy); only when
        the server refuses it are the folders made (MKD costs a round trip per level) and it is
        sent again. Below a folder made by this deploy, every folder is new: made at once."""
        folder = PurePosixPath(final).parent
        believed = str(folder) in self.made
        if believed or not any(str(p) in self.created for p in folder.parents):
            try:
                self.ftp.storbinary(f"STOR {part}", stream)
                self.made.add(str(folder))
                return
            except ftplib.error_perm:
                stream.seek(0)
                self.made.discard(str(folder))
        self._mkdirs(folder, every=believed)
        self.ftp.storbinary(f"STOR {part}", stream)

    def write(self, rel: str, data: bytes) -> None:
        self._store(rel, io.BytesIO(data))

    def upload(self, rel: str, local: Path) -> None:
        with local.open("rb") as stream:
            self._store(rel, stream)

    def delete(self, rel: str) -> None:
        try:
            self.ftp.delete(self._abs(rel))
        except ftplib.error_perm:
            return  # already gone
        except LINK_ERRORS as err:
            raise dropped(self.target, rel) from err
        for parent in PurePosixPath(rel).parents:
            if str(parent) == ".":
                break
            try:
                self.ftp.rmd(self._abs(str(parent)))  # only succeeds when empty
            except ftplib.error_perm:
                break
            self.made.discard(self._abs(str(parent)))
            self.created.discard(self._abs(str(parent)))

    def stat(self, rel: str) -> RemoteFile | None:
        """SIZE and MDTM (RFC 3659): two short replies on the control connection, no listing."""
        path = self._abs(rel)
        try:
            if not self.binary:
                self.ftp.voidcmd("TYPE I")  # SIZE is refused in ASCII mode by strict servers
                self.binary = True
            size = self.ftp.size(path)
            stamp = self.ftp.sendcmd(f"MDTM {path}").split()[-1]
        except ftplib.error_perm:
            return None  # 550: no such file
        except LINK_ERRORS as err:
            raise dropped(self.target, rel) from err
        return RemoteFile(int(size or 0), _mdtm(stamp))

    def lock(self, owner: bytes) -> bool:
        try:
            self._mkdirs(PurePosixPath(self._abs(".kimsite")))
            self.ftp.mkd(self._abs(LOCK_DIR))
        except ftplib.error_perm:
            if self.lock_owner() is None:
                raise refused(self.target, LOCK_DIR) from None
            return False
        except LINK_ERRORS as err:
            raise dropped(self.target, LOCK_DIR) from err
        self.write(LOCK_DIR + "/owner.json", owner)
        return True

    def lock_owner(self) -> bytes | None:
        owner = self.read(LOCK_DIR + "/owner.json")
        if owner is not None:
            return owner
        try:
            self.ftp.cwd(self._abs(LOCK_DIR))
        except ftplib.error_perm:
            return None
        return b"{}"

    def unlock(self) -> None:
        """Remove the lock folder and whatever is in it: a deploy killed while taking the lock
        leaves a half-written owner file (`.owner.json.kimsite-part`) that would keep it for good."""
        folder = self._abs(LOCK_DIR)
        try:
            try:
                names = self.ftp.nlst(folder)
            except ftplib.error_perm:
                names = []  # no folder, or an empty one on servers that answer 550 then
            # what kimsite itself may have left there, by name: many servers list no dot-files
            names += [LOCK_DIR + "/owner.json", part_name(LOCK_DIR + "/owner.json")]
            for name in dict.fromkeys(self._abs(n) if n.startswith(LOCK_DIR) else n for n in names):
                with contextlib.suppress(ftplib.error_perm):
                    self.ftp.delete(name if name.startswith("/") else f"{folder}/{name.rsplit('/', 1)[-1]}")
            with contextlib.suppress(ftplib.error_perm):
                self.ftp.rmd(folder)
        except LINK_ERRORS as err:
            raise dropped(self.target, LOCK_DIR) from err

    def close(self) -> None:
        try:
            self.ftp.quit()
        except (ftplib.Error, *LINK_ERRORS):
            self.ftp.close()


def connect(target: DeployTarget) -> FtpConnection:
    require_env(target, target.user_env, target.password_env)
    user = secret(target.user_env, target, sensitive=False)
    password = secret(target.password_env, target)
    port = target.port or 21
    ftp = _ReusingTLS(context=_tls_context(target), timeout=TIMEOUT) if target.type == "ftps" \
        else ftplib.FTP(timeout=TIMEOUT)
    try:
        ftp.connect(target.host, port)
    except (OSError, EOFError, ftplib.Error) as err:
        raise unreachable(target, port) from err
    try:
        ftp.login(user, password)  # FTP_TLS.login sends AUTH TLS first
        if isinstance(ftp, ftplib.FTP_TLS):
            ftp.prot_p()
        home = ftp.pwd()
    except ftplib.error_perm as err:
        ftp.close()
        raise auth_failure(target) from err
    except LINK_ERRORS as err:
        ftp.close()
        raise unreachable(target, port) from err
    base = target.path if target.path.startswith("/") else str(PurePosixPath(home) / (target.path or "."))
    return FtpConnection(target, ftp, base)
