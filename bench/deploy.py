"""Deploy benchmark: bytes and seconds of a first deploy of the sample regency and of a
redeploy after one new post, per target type, against the real test servers on 127.0.0.1.

    python bench/deploy.py [--kinds local,ftp,ftps,sftp,rsync,s3]

Results: a table on stdout and bench/results/deploy.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kimsite import deploy  # noqa: E402
from kimsite.read.config import load_config  # noqa: E402
from kimsite.targets import DeployTarget  # noqa: E402
from tests.servers import run_ftp_server, run_seaweedfs, run_sshd  # noqa: E402
from tests.servers.s3 import s3_client  # noqa: E402

NEW_POST = """---
title: Rapat koordinasi KIM se-Kapanewon Wates
category: berita
tags: [rapat]
---
KIM Wates Kota mengikuti rapat koordinasi di balai kalurahan untuk membagi tugas liputan bulan depan.
"""


@contextlib.contextmanager
def target_for(kind: str, work: Path) -> Iterator[DeployTarget]:
    if kind == "local":
        yield DeployTarget("bench", "local", path=str(work / "public"))
    elif kind in ("ftp", "ftps"):
        with run_ftp_server(work / "ftp", tls=kind == "ftps", cert_dir=work) as s:
            os.environ.update(B_USER=s.user, B_PASS=s.password)
            yield DeployTarget("bench", kind, host=s.host, port=s.port, path="site", user_env="B_USER",
                               password_env="B_PASS", ca_file=s.cert_path)
    elif kind in ("sftp", "rsync"):
        with run_sshd(work / "sshd") as s:
            os.environ.update(B_USER=s.user, B_KEY=str(s.private_key))
            yield DeployTarget("bench", kind, host=s.host, port=s.port, path=f"{s.remote_root}/site",
                               user_env="B_USER", key_env="B_KEY", known_hosts=s.known_hosts)
    elif kind == "s3":
        with run_seaweedfs(work / "weed") as weed:
            s = weed.http
            s3_client(s).create_bucket(Bucket="bench")
            os.environ.update(B_KEY=s.access_key, B_SECRET=s.secret_key)
            yield DeployTarget("bench", "s3", endpoint=s.endpoint_url, bucket="bench", path="kim",
                               region=s.region, access_key_env="B_KEY", secret_key_env="B_SECRET")


def build(config: Path) -> None:
    subprocess.run([sys.executable, "-m", "kimsite", "build", "--config", str(config), "--build-date",
                    "2026-11-22"], check=True, capture_output=True)


def measure(kind: str, project: Path) -> dict[str, object]:
    config_path = project / "sites.yaml"
    post = project / "content" / "kim-wates" / "posts" / "2026-11-21-bench.md"
    post.unlink(missing_ok=True)
    build(config_path)
    row: dict[str, object] = {"target": kind}
    with tempfile.TemporaryDirectory() as tmp, target_for(kind, Path(tmp)) as target:
        config = load_config(config_path)
        for phase in ("first", "one_post"):
            if phase == "one_post":
                post.write_text(NEW_POST)
                build(config_path)
            started = time.perf_counter()
            report = deploy.run(config, config.output_dir, target, deploy.RunOptions())
            row[f"{phase}_seconds"] = round(time.perf_counter() - started, 2)
            row[f"{phase}_files"] = len(report.plan.uploads) + len(report.plan.deletes)
            row[f"{phase}_kb"] = round(report.plan.upload_bytes / 1024, 1)
    post.unlink(missing_ok=True)
    return row


def main() -> None:
    logging.getLogger("pyftpdlib").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default="local,ftp,ftps,sftp,rsync,s3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "regency"
        project.mkdir()
        for name in ("content", "themes", "data"):
            shutil.copytree(ROOT / name, project / name)
        text = (ROOT / "sites.yaml").read_text(encoding="utf-8")
        (project / "sites.yaml").write_text(text.split("\ndeploy:")[0] + "\n", encoding="utf-8")
        rows = [measure(kind, project) for kind in args.kinds.split(",")]
    print(f"{'target':8} {'first: files':>13} {'KB':>8} {'s':>6} {'one post: files':>16} {'KB':>7} {'s':>6}")
    for r in rows:
        print(f"{r['target']:8} {r['first_files']:>13} {r['first_kb']:>8} {r['first_seconds']:>6} "
              f"{r['one_post_files']:>16} {r['one_post_kb']:>7} {r['one_post_seconds']:>6}")
    out = ROOT / "bench" / "results" / "deploy.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
