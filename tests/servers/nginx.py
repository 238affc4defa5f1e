"""Debian's nginx serving a folder as a host would, with `gzip_static on` (a `.gz` twin is sent as is).

It runs in the foreground (`daemon off`) with its own prefix, config, pid, logs and temp folders in a
temp dir, on a random port of 127.0.0.1. On-the-fly gzip is off, so a `Content-Encoding: gzip` answer
can only come from a precompressed file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ._common import HOST, free_port, port_open, require_binary, running

_MIME_TYPES = Path("/etc/nginx/mime.types")


@dataclass(frozen=True)
class NginxServer:
    base_url: str  # http://127.0.0.1:port/ (with the trailing slash)
    root: Path
    log_path: Path  # nginx's error log; the access log is beside it


_CONFIG = """\
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 64; }}
http {{
    {types}
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    sendfile on;
    gzip off;
    gzip_static on;
    {http_extra}
    server {{
        listen {host}:{port};
        server_name localhost;
        root {root};
        index index.html;
        {server_extra}
        location / {{ try_files $uri $uri/ =404; }}
    }}
}}
"""


@contextmanager
def run_nginx(root: Path, workdir: Path, http_extra: str = "", server_extra: str = "") -> Iterator[NginxServer]:
    """`http_extra`, `server_extra`: more directives (e.g. the redirect map `kimsite import` writes)."""
    nginx = require_binary("nginx", "apt-get install nginx-light", ["/usr/sbin/nginx"])
    prefix = workdir
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    port = free_port()
    types = f"include {_MIME_TYPES};" if _MIME_TYPES.exists() else \
        "types { text/html html; text/css css; application/javascript js; image/svg+xml svg; }"
    # as root, nginx's workers drop to "nobody", who cannot read pytest's 0700 temp dirs
    user = "user root;" if os.geteuid() == 0 else ""
    config = prefix / "nginx.conf"
    config.write_text(_CONFIG.format(user=user, prefix=prefix, types=types, host=HOST, port=port, root=root,
                                     http_extra=http_extra, server_extra=server_extra))
    log = prefix / "error.log"
    argv = [nginx, "-p", str(prefix), "-c", str(config)]
    with running(argv, log=prefix / "nginx.out", ready=lambda: port_open(port), what="nginx", other_logs=[log]):
        yield NginxServer(f"http://{HOST}:{port}/", root, log)
