"""A private OpenSSH sshd (Debian's openssh-server) for SFTP and rsync over SSH.

It runs in the foreground (`sshd -D -e -f cfg`) with its own host key, one authorised user key (both made
by ssh-keygen per server), `UsePAM no` and `StrictModes no` (the test's temp dirs are not laid out the way
StrictModes wants), SFTP as `internal-sftp`, and a normal shell so `rsync -e ssh` finds /usr/bin/rsync on
this same machine. The login user is the user running the tests (root in CI); `remote_root` is the
folder a deploy writes into (an absolute path: there is no chroot).
"""

from __future__ import annotations

import getpass
import os
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ._common import HOST, free_port, require_binary, running


@dataclass(frozen=True)
class SshServer:
    host: str
    port: int
    user: str
    private_key: Path  # ed25519, no passphrase
    known_hosts: Path  # holds "[127.0.0.1]:port ssh-ed25519 ..." for the server's host key
    remote_root: Path  # an empty folder the user may write; give it as an absolute remote path
    log_path: Path

    def ssh_command(self) -> list[str]:
        """The `ssh` argv for `rsync -e` (join with spaces: none of the paths hold a space in tests)."""
        return ["ssh", "-i", str(self.private_key), "-p", str(self.port), "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", f"UserKnownHostsFile={self.known_hosts}",
                "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null"]


_CONFIG = """\
Port {port}
ListenAddress {host}
HostKey {host_key}
PidFile {pid}
AuthorizedKeysFile {authorized_keys}
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AllowUsers {user}
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
PrintLastLog no
UseDNS no
LogLevel VERBOSE
Subsystem sftp internal-sftp
"""


def _keygen(ssh_keygen: str, path: Path, comment: str) -> None:
    subprocess.run([ssh_keygen, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
                   check=True, capture_output=True, timeout=30)


def _banner(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            return sock.recv(64).startswith(b"SSH-2.0-")
    except OSError:
        return False


@contextmanager
def run_sshd(workdir: Path) -> Iterator[SshServer]:
    sshd = require_binary("sshd", "apt-get install openssh-server", ["/usr/sbin/sshd"])
    ssh_keygen = require_binary("ssh-keygen", "apt-get install openssh-client")
    require_binary("ssh", "apt-get install openssh-client")
    require_binary("rsync", "apt-get install rsync")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
    workdir.mkdir(parents=True, exist_ok=True)
    host_key, user_key = workdir / "ssh_host_ed25519_key", workdir / "id_ed25519"
    _keygen(ssh_keygen, host_key, "kimsite-test-host")
    _keygen(ssh_keygen, user_key, "kimsite-test-user")
    authorized_keys = workdir / "authorized_keys"
    authorized_keys.write_text((workdir / "id_ed25519.pub").read_text())
    port = free_port()
    known_hosts = workdir / "known_hosts"
    host_pub = (workdir / "ssh_host_ed25519_key.pub").read_text().split()
    known_hosts.write_text(f"[{HOST}]:{port} {host_pub[0]} {host_pub[1]}\n")
    user = getpass.getuser()
    remote_root = workdir / "remote"
    remote_root.mkdir()
    config = workdir / "sshd_config"
    config.write_text(_CONFIG.format(port=port, host=HOST, host_key=host_key, pid=workdir / "sshd.pid",
                                     authorized_keys=authorized_keys, user=user))
    log = workdir / "sshd.log"
    # -D: foreground, -e: log to stderr (our log file)
    with running([sshd, "-D", "-e", "-f", str(config)], log=log, ready=lambda: _banner(port), what="sshd"):
        yield SshServer(HOST, port, user, user_key, known_hosts, remote_root, log)
