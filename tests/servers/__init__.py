"""Real servers on 127.0.0.1 for the deploy tests, started and stopped by the tests themselves.

Each `run_*` is a plain context manager yielding a frozen dataclass of connection details; the pytest
fixtures in `tests.servers.fixtures` (registered in tests/conftest.py) wrap them. A missing program
skips the test, or fails it when KIMSITE_REQUIRE_SERVERS=1 (CI). See docs/architecture.md,
"Deploy test servers".
"""

from ._common import HOST, REQUIRE_ENV, ServerStartError, free_port, self_signed_cert
from .ftp import FULL_PERM, READ_ONLY_PERM, FtpServer, FtpStats, run_ftp_server
from .ftps_reuse import SessionReusingFTP_TLS
from .nginx import NginxServer, run_nginx
from .s3 import S3Server, run_seaweedfs
from .sshd import SshServer, run_sshd
from .vsftpd import StrictFtpsServer, run_vsftpd

__all__ = [
    "FULL_PERM", "HOST", "READ_ONLY_PERM", "REQUIRE_ENV", "FtpServer", "FtpStats", "NginxServer", "S3Server",
    "ServerStartError", "SessionReusingFTP_TLS", "SshServer", "StrictFtpsServer", "free_port", "run_ftp_server",
    "run_nginx", "run_seaweedfs", "run_sshd", "run_vsftpd", "self_signed_cert",
]
