"""An `ftplib.FTP_TLS` that strict FTPS servers accept.

vsftpd (`require_ssl_reuse=YES`, its default), ProFTPD and FileZilla Server (`TLSOptions
NoSessionReuseRequired` off) refuse a data connection whose TLS session is not the control connection's
session: a plain `ftplib.FTP_TLS` after `prot_p()` gets "522 SSL connection failed: session reuse
required" on the first LIST/STOR/RETR. This subclass hands the control connection's session to the data
connection's handshake (TLS 1.2 and 1.3 both work with Debian's vsftpd 3.0.3 and Python 3.11).

Kept under tests/ until the deploy code lands; the FTPS deploy target should import (or move) it.
"""

from __future__ import annotations

import ftplib
import socket


class SessionReusingFTP_TLS(ftplib.FTP_TLS):  # noqa: N801 - named after ftplib.FTP_TLS
    def ntransfercmd(self, cmd: str, rest: int | str | None = None) -> tuple[socket.socket, int | None]:
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:  # type: ignore[attr-defined]
            session = getattr(self.sock, "session", None)
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=session)
        return conn, size
