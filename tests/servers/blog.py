"""A real HTTP server on 127.0.0.1 (Python's http.server in a thread) that serves an old blog's
exports, feeds and photos the way real hosts do, faults included:

- every file under `root` at its path, `@@BASE@@` in a text file replaced by the server's URL,
  with an `ETag` (of the bytes) and `Last-Modified` (the file's time), and a 304 for a matching
  `If-None-Match` or `If-Modified-Since`;
- `/redirect/<path>`: 302 to `/<path>`; `/loop`: a redirect to itself, forever;
- `/slow/<path>`: waits `slow_seconds` before answering (longer than the client's timeout);
- `/gone/<path>`: 404; `/big`: a body larger than any cap (streamed, 64 MB).

Each request is recorded (path and headers), so tests can see the conditional GET sent.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ._common import HOST

TYPES = {".xml": "application/xml", ".jpg": "image/jpeg", ".png": "image/png", ".txt": "text/plain"}


@dataclass
class BlogServer:
    root: Path
    url: str = ""
    slow_seconds: float = 3.0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


class _Handler(BaseHTTPRequestHandler):
    server_state: BlogServer

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that gave up (a timeout test)
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server_state.requests.append((self.path, dict(self.headers.items())))
        path = self.path.split("?", 1)[0]
        if path == "/loop":
            return self._send(302, headers={"Location": "/loop"})
        if path.startswith("/redirect/"):
            return self._send(302, headers={"Location": path.removeprefix("/redirect")})
        if path.startswith("/gone/"):
            return self._send(404, b"not here")
        if path == "/big":
            return self._big()
        if path.startswith("/slow/"):
            time.sleep(self.server_state.slow_seconds)
            path = path.removeprefix("/slow")
        return self._file(path)

    def _big(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.end_headers()
        chunk = b"<!-- padding -->" * 4096
        try:
            for _ in range(1024):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _file(self, path: str) -> None:
        target = (self.server_state.root / path.lstrip("/")).resolve()
        if not target.is_file() or not target.is_relative_to(self.server_state.root.resolve()):
            return self._send(404, b"not found")
        body = target.read_bytes()
        if target.suffix in (".xml", ".txt"):
            body = body.replace(b"@@BASE@@", self.server_state.url.rstrip("/").encode())
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(int(target.stat().st_mtime), usegmt=True)
        match = self.headers.get("If-None-Match")  # RFC 9110 13.2.2: If-None-Match wins over If-Modified-Since
        if match == etag or (match is None and self.headers.get("If-Modified-Since") == modified):
            return self._send(304, headers={"ETag": etag, "Last-Modified": modified})
        self._send(200, body, {"Content-Type": TYPES.get(target.suffix, "application/octet-stream"),
                               "ETag": etag, "Last-Modified": modified})


@contextmanager
def run_blog_server(root: Path, slow_seconds: float = 3.0) -> Iterator[BlogServer]:
    """The server on a free port of 127.0.0.1 until the block ends."""
    state = BlogServer(root, slow_seconds=slow_seconds)
    httpd = ThreadingHTTPServer((HOST, 0), type("Handler", (_Handler,), {"server_state": state}))
    httpd.daemon_threads = True
    state.url = f"http://{HOST}:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
