"""pyftpdlib in this process: a plain FTP and an explicit-FTPS server, with the faults a deploy must survive.

Faults (both per server, set when it is started):
- `perm="elr"`: the user may list and download but every write is refused (550), like a read-only account.
- `drop_upload_after=N`: once an upload has received N bytes the server closes the data *and* the control
  connection, as a dropped link would; the partial file stays on the server. `drops` limits how many
  uploads are cut (None: every one), so a retry can be shown to succeed. `FtpServer.stats.drops` counts them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ._common import HOST, missing, port_open, self_signed_cert, wait_until

FULL_PERM = "elradfmwMT"
READ_ONLY_PERM = "elr"


@dataclass
class FtpStats:
    """What the server did to the client (mutable, shared with the server thread)."""

    drops: int = 0
    received: int = 0  # bytes the server read from its sockets (control and data connections)
    sent: int = 0  # bytes it wrote to them: the wire, as the server counts it (TCP/IP headers aside)


@dataclass(frozen=True)
class FtpServer:
    host: str
    port: int
    user: str
    password: str
    root: Path  # the user's home on disk: what the client sees as "/"
    tls: bool  # explicit FTPS (AUTH TLS) required for login and data when True
    cert_path: Path | None  # self-signed server certificate (also its own CA) when tls
    perm: str
    stats: FtpStats = field(compare=False)


class _Faults:
    def __init__(self, after: int | None, times: int | None, stats: FtpStats) -> None:
        self.after, self.times, self.stats = after, times, stats
        self.lock = threading.Lock()

    def should_drop(self, received: int) -> bool:
        if self.after is None or received < self.after:
            return False
        with self.lock:
            if self.times is not None and self.stats.drops >= self.times:
                return False
            self.stats.drops += 1
            return True


def _dropping(base: type, faults: _Faults) -> type:
    class DroppingDTPHandler(base):  # type: ignore[misc,valid-type]
        def handle_read_event(self) -> None:
            super().handle_read_event()
            if self.receive and not self._closed and faults.should_drop(self.tot_bytes_received):
                with contextlib.suppress(Exception):
                    self.file_obj.flush()
                self.cmd_channel.close()  # closes this data channel too: the link is gone

    return DroppingDTPHandler


def _with_quota(base: type, root: Path, quota: int | None) -> type:
    """A handler refusing uploads with 552 (as a full cPanel account does) once `root` holds `quota` bytes."""
    if quota is None:
        return base

    def ftp_STOR(self, file: str, mode: str = "w") -> object:  # noqa: N802 - pyftpdlib's name
        if sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) >= quota:
            self.respond("552 Disk quota exceeded.")
            return None
        return base.ftp_STOR(self, file, mode)

    return type(f"{base.__name__}Quota", (base,), {"ftp_STOR": ftp_STOR})


def _counting(base: type, stats: FtpStats) -> type:
    """`base` counting every byte it sends and receives into `stats`."""

    def send(self, data: bytes) -> int:
        count = base.send(self, data)
        stats.sent += count or 0
        return count

    def recv(self, size: int) -> bytes:
        chunk = base.recv(self, size)
        stats.received += len(chunk or b"")
        return chunk

    return type(f"{base.__name__}Counting", (base,), {"send": send, "recv": recv})


def _handler(tls: bool, faults: _Faults, cert_dir: Path) -> tuple[type, Path | None]:
    """The handler class (plain or explicit TLS, with the fault-injecting data channel) and the certificate."""
    from pyftpdlib.handlers import DTPHandler, FTPHandler

    if not tls:
        handler = _counting(type("KimsiteFTP", (FTPHandler,), {"use_sendfile": False}), faults.stats)
        handler.dtp_handler = _counting(_dropping(DTPHandler, faults), faults.stats)
        return handler, None
    try:
        from pyftpdlib.handlers import TLS_DTPHandler, TLS_FTPHandler
    except ImportError:  # pragma: no cover - a test extra
        missing("pyftpdlib's TLS (pyOpenSSL)", "pip install 'pyftpdlib[ssl]'")
        raise
    cert_path, key_path = self_signed_cert(cert_dir, "ftps")
    attrs = {"certfile": str(cert_path), "keyfile": str(key_path),
             "tls_control_required": True, "tls_data_required": True}
    handler = type("KimsiteFTPS", (TLS_FTPHandler,), attrs)
    handler.dtp_handler = _dropping(TLS_DTPHandler, faults)
    return handler, cert_path


@contextlib.contextmanager
def run_ftp_server(root: Path, *, tls: bool = False, user: str = "kim", password: str = "rahasia-kim",
                   perm: str = FULL_PERM, drop_upload_after: int | None = None, drops: int | None = None,
                   cert_dir: Path | None = None, quota_bytes: int | None = None) -> Iterator[FtpServer]:
    """A pyftpdlib server on 127.0.0.1 serving `root` (created if missing) in a background thread."""
    try:
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.ioloop import IOLoop
        from pyftpdlib.servers import FTPServer as _Server
    except ImportError:  # pragma: no cover - a test extra
        missing("pyftpdlib", "pip install -e '.[test]'")
        raise
    root.mkdir(parents=True, exist_ok=True)
    authorizer = DummyAuthorizer()
    authorizer.add_user(user, password, str(root), perm=perm)
    stats = FtpStats()
    faults = _Faults(drop_upload_after, drops, stats)
    handler, cert_path = _handler(tls, faults, cert_dir or root.parent)
    handler = _with_quota(handler, root, quota_bytes)
    handler.authorizer = authorizer
    handler.banner = "kimsite test FTP server"
    handler.permit_foreign_addresses = False
    handler.auth_failed_timeout = 0.2  # pyftpdlib waits 3 s after a wrong password; tests need not
    server = _Server((HOST, 0), handler, ioloop=IOLoop())  # its own loop: IOLoop.instance() is shared
    port = server.address[1]
    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.is_set():
                server.serve_forever(timeout=0.05, blocking=False, handle_exit=False)
        finally:
            server.close_all()

    thread = threading.Thread(target=loop, name=f"ftp-{port}", daemon=True)
    thread.start()
    try:
        wait_until(lambda: port_open(port), timeout=10, what="pyftpdlib")
        yield FtpServer(HOST, port, user, password, root, tls, cert_path, perm, stats)
    finally:
        stop.set()
        thread.join(timeout=10)
