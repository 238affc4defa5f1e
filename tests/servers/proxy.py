"""A TCP proxy on 127.0.0.1 that counts every byte in both directions: the wire as a server sees
it, for protocols that use one connection per request (HTTP, so S3). FTP's data connections go
to addresses the server names, so the FTP server counts its own bytes instead (ftp.FtpStats)."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from ._common import HOST


@dataclass
class WireStats:
    up: int = 0  # client → server
    down: int = 0  # server → client

    @property
    def total(self) -> int:
        return self.up + self.down


def _pump(client: socket.socket, upstream: socket.socket, stats: WireStats, lock: threading.Lock) -> None:
    selector = selectors.DefaultSelector()
    selector.register(client, selectors.EVENT_READ, (upstream, "up"))
    selector.register(upstream, selectors.EVENT_READ, (client, "down"))
    with client, upstream, selector:
        while True:
            for key, _events in selector.select(timeout=60):
                other, direction = key.data
                try:
                    chunk = key.fileobj.recv(65536)  # type: ignore[union-attr]
                except OSError:
                    return
                if not chunk:
                    return
                with lock:
                    setattr(stats, direction, getattr(stats, direction) + len(chunk))
                other.sendall(chunk)


@contextlib.contextmanager
def counting_proxy(port: int) -> Iterator[tuple[int, WireStats]]:
    """(the proxy's port, its counters) in front of 127.0.0.1:`port`."""
    listener = socket.create_server((HOST, 0))
    stats, lock, stop = WireStats(), threading.Lock(), threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                client, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection((HOST, port))
            threading.Thread(target=_pump, args=(client, upstream, stats, lock), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], stats
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
