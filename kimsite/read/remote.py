"""Fetching a URL someone else controls (an old blog, an external KIM feed): the only
user of http.client. Bounded in every way a hostile or broken server could abuse:

- each hop is resolved first and refused when any address is private, loopback,
  link-local, multicast or reserved (unless `allow_local`, which the tests use), and the
  connection goes to the address that was checked (no second lookup to rebind);
- a timeout per socket operation and a deadline for the whole fetch;
- a size cap: a body longer than `max_bytes` is refused, never truncated;
- redirects followed by hand, at most `max_redirects`, each hop checked again;
- conditional GET (`If-None-Match`, `If-Modified-Since`): a 304 is an answer, not an error.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from kimsite.errors import Text

USER_AGENT = "kimsite (+https://github.com/kimsite; static KIM sites)"


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 10.0  # seconds per socket operation
    deadline: float = 30.0  # seconds for the whole fetch, redirects included
    max_bytes: int = 5_000_000
    max_redirects: int = 3
    allow_local: bool = False  # 127.0.0.1 and private networks (tests, an intranet blog)


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when the copy we have is current
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str


class FetchError(Exception):
    """Why a URL could not be fetched, for a message that names it."""

    def __init__(self, url: str, reason: Text, status: int | None = None):
        super().__init__(reason.id)
        self.url, self.reason, self.status = url, reason, status


def _checked_address(url: str, host: str, port: int, allow_local: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise FetchError(url, Text(f"nama host '{host}' tidak ditemukan", f"host name '{host}' not found")) from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not allow_local and not ip.is_global:
            raise FetchError(url, Text(f"alamat {address} adalah jaringan lokal/privat; ditolak",
                                       f"address {address} is a local or private network; refused"))
    return addresses[0]


class _Pinned(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _connection(url: str, policy: FetchPolicy) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, Text("hanya alamat http:// atau https://", "only http:// or https:// addresses"))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _checked_address(url, parts.hostname, port, policy.allow_local)
    kind = _PinnedTLS if parts.scheme == "https" else _Pinned
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return kind(parts.hostname, port, address, policy.timeout), target


def _read_body(url: str, response: http.client.HTTPResponse, policy: FetchPolicy, ends: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > policy.max_bytes:
        raise FetchError(url, _too_big(policy))
    chunks, size = [], 0
    while chunk := response.read(65536):
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(url, _too_big(policy))
        if time.monotonic() > ends:
            raise FetchError(url, _too_slow(policy))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(policy: FetchPolicy) -> Text:
    return Text(f"lebih besar dari batas {policy.max_bytes} byte", f"larger than the {policy.max_bytes} byte cap")


def _too_slow(policy: FetchPolicy) -> Text:
    return Text(f"tidak selesai dalam {policy.deadline:g} detik", f"not done within {policy.deadline:g} seconds")


def _one_hop(url: str, headers: dict[str, str], policy: FetchPolicy, ends: float) -> Fetched | str:
    """The answer of one request, or the next URL of a redirect."""
    connection, target = _connection(url, policy)
    try:
        connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                                   **headers})
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
            return urljoin(url, response.getheader("Location", ""))
        if response.status == 304:
            return Fetched(url, 304, b"", response.getheader("ETag"), response.getheader("Last-Modified"), "")
        if response.status != 200:
            raise FetchError(url, Text(f"server menjawab HTTP {response.status}",
                                       f"the server answered HTTP {response.status}"), response.status)
        body = _read_body(url, response, policy, ends)
        return Fetched(url, 200, body, response.getheader("ETag"), response.getheader("Last-Modified"),
                       response.getheader("Content-Type", ""))
    except TimeoutError:
        raise FetchError(url, Text(f"tidak menjawab dalam {policy.timeout:g} detik",
                                   f"no answer within {policy.timeout:g} seconds")) from None
    except ConnectionRefusedError:
        raise FetchError(url, Text("koneksi ditolak server", "the server refused the connection")) from None
    except (OSError, http.client.HTTPException):
        raise FetchError(url, Text("koneksi gagal atau jawaban server rusak",
                                   "the connection failed or the answer was broken")) from None
    finally:
        connection.close()


def fetch(url: str, policy: FetchPolicy, etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """GET `url` within the policy; a 304 when `etag`/`last_modified` are still current."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    ends = time.monotonic() + policy.deadline
    for _hop in range(policy.max_redirects + 1):
        answer = _one_hop(url, headers, policy, ends)
        if isinstance(answer, Fetched):
            return answer
        url = answer
    raise FetchError(url, Text(f"lebih dari {policy.max_redirects} kali dialihkan",
                               f"redirected more than {policy.max_redirects} times"))
