"""What every test server shares: free ports, readiness, skip-or-fail, processes that always die, certificates."""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

HOST = "127.0.0.1"
REQUIRE_ENV = "KIMSITE_REQUIRE_SERVERS"
START_TIMEOUT = 30.0


class ServerStartError(RuntimeError):
    """A test server did not come up; the message ends with the tail of its log."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def free_ports(count: int) -> list[int]:
    """Several distinct free ports (held open together so the kernel cannot hand one out twice)."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((HOST, 0))
            socks.append(sock)
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def missing(what: str, hint: str) -> None:
    """Skip the test for a missing tool, or fail when KIMSITE_REQUIRE_SERVERS=1 says it must run (CI)."""
    message = f"{what} is not available ({hint})"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message}, and {REQUIRE_ENV}=1 requires every deploy test server", pytrace=False)
    pytest.skip(message)


def require_binary(name: str, hint: str, candidates: Sequence[str] = ()) -> str:
    """The absolute path of a program (from PATH, or one of the candidate paths), or skip/fail."""
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found is None:
        missing(name, hint)
    return found  # type: ignore[return-value]  # missing() never returns


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def wait_until(ready: Callable[[], bool], *, timeout: float, alive: Callable[[], bool] = lambda: True,
               what: str = "server", logs: Sequence[Path] = ()) -> None:
    """Poll ready() until it is true; raise ServerStartError with the logs' tails on timeout or early exit."""
    deadline = time.monotonic() + timeout
    while True:
        if ready():
            return
        failure = None
        if not alive():
            failure = f"{what} exited while starting"
        elif time.monotonic() > deadline:
            failure = f"{what} not ready after {timeout:.0f}s"
        if failure:
            tails = "".join(f"\n--- {log} (tail) ---\n{log_tail(log)}" for log in logs)
            raise ServerStartError(failure + tails)
        time.sleep(0.05)


def port_open(port: int, host: str = HOST) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Signal the server's own process group (it was started as a new session), or just it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)


def stop_process(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """Terminate, wait, then kill: a test server (and the children left in its group) never outlives its test."""
    if proc.poll() is None:
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait(timeout=grace)
    # per-connection children (sshd, vsftpd) may still sit in the group after the leader exits
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


@contextmanager
def running(argv: Sequence[str], *, log: Path, ready: Callable[[], bool], what: str,
            timeout: float = START_TIMEOUT, cwd: Path | None = None, env: dict[str, str] | None = None,
            other_logs: Sequence[Path] = ()) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process (stdout and stderr to `log`), wait until ready, stop it on exit.

    If it exits or is not ready in time, ServerStartError carries the tail of `log` and of `other_logs`.
    """
    with open(log, "ab") as out:
        proc = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                cwd=cwd, env=env, start_new_session=True)
    try:
        wait_until(ready, timeout=timeout, alive=lambda: proc.poll() is None, what=what, logs=[log, *other_logs])
        yield proc
    finally:
        stop_process(proc)


def self_signed_cert(directory: Path, name: str = "server") -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1 and localhost: (cert.pem, key.pem).

    The certificate is its own CA: give cert.pem to a client as the CA file to verify it.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kimsite test server")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / f"{name}.crt"
    key_path = directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path
