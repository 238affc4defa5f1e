"""Debian's vsftpd as the strict FTPS server: TLS required for login and data, TLS session reuse required.

Why vsftpd (and not pure-ftpd): Debian's two packages conflict (both provide ftp-server), so only one can
be installed; vsftpd is the stricter of the two (`require_ssl_reuse=YES` rejects a plain `ftplib.FTP_TLS`
data connection with 522), which is exactly what the FTPS deploy target must cope with on shared hosts.

vsftpd authenticates named users only through PAM against system accounts, so the test server uses its
anonymous account (user "anonymous", any password) with uploads, renames and deletes allowed, and
`force_anon_logins_ssl` / `force_anon_data_ssl` so nothing works without TLS. vsftpd must start as root
(it chroots into `root` and drops to the system "ftp" user); elsewhere the server is skipped.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ._common import HOST, free_port, missing, port_open, require_binary, running, self_signed_cert


@dataclass(frozen=True)
class StrictFtpsServer:
    host: str
    port: int
    user: str
    password: str
    remote_dir: str  # the writable folder, as the client sees it ("/site")
    local_dir: Path  # that folder on disk
    cert_path: Path  # self-signed server certificate (its own CA): the client's cafile
    log_path: Path
    server: str = "vsftpd"


_CONFIG = """\
listen=YES
listen_ipv6=NO
listen_address={host}
listen_port={port}
background=NO
anonymous_enable=YES
local_enable=NO
write_enable=YES
ftp_username={ftp_user}
anon_root={root}
anon_upload_enable=YES
anon_mkdir_write_enable=YES
anon_other_write_enable=YES
anon_world_readable_only=NO
anon_umask=022
no_anon_password=NO
pasv_enable=YES
pasv_address={host}
port_enable=NO
connect_from_port_20=NO
ssl_enable=YES
allow_anon_ssl=YES
force_anon_logins_ssl=YES
force_anon_data_ssl=YES
require_ssl_reuse=YES
ssl_request_cert=NO
ssl_ciphers=HIGH:!aNULL:!MD5
rsa_cert_file={cert}
rsa_private_key_file={key}
vsftpd_log_file={log}
xferlog_enable=YES
log_ftp_protocol=YES
dual_log_enable=YES
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
secure_chroot_dir={empty}
"""


@contextmanager
def run_vsftpd(workdir: Path) -> Iterator[StrictFtpsServer]:
    """vsftpd on a random port of 127.0.0.1; its files (config, cert, log, chroot) live in `workdir`."""
    binary = require_binary("vsftpd", "apt-get install vsftpd", ["/usr/sbin/vsftpd"])
    if os.geteuid() != 0:
        missing("vsftpd as root", "it chroots and drops privileges; run the tests as root, as CI does")
    try:
        ftp_user = pwd.getpwnam("ftp")
    except KeyError:
        missing("the system user 'ftp'", "Debian's vsftpd package creates it")
        raise
    workdir.mkdir(parents=True, exist_ok=True)
    root = workdir / "chroot"
    site = root / "site"
    site.mkdir(parents=True)
    root.chmod(0o755)  # vsftpd refuses a chroot its user could write to
    os.chown(site, ftp_user.pw_uid, ftp_user.pw_gid)
    empty = workdir / "empty"
    empty.mkdir()
    empty.chmod(0o755)
    cert, key = self_signed_cert(workdir, "vsftpd")
    port = free_port()
    log = workdir / "vsftpd.log"
    config = workdir / "vsftpd.conf"
    config.write_text(_CONFIG.format(host=HOST, port=port, ftp_user=ftp_user.pw_name, root=root, cert=cert,
                                     key=key, log=log, empty=empty))
    with running([binary, str(config)], log=workdir / "vsftpd.out", ready=lambda: port_open(port), what="vsftpd",
                 other_logs=[log]):
        yield StrictFtpsServer(HOST, port, "anonymous", "kimsite@example.org", "/site", site, cert, log)
