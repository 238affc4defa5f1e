"""Stage 6, deploy: publish the built output to the hosting a regency has (README, "Deploy").

Takes `output/` and its manifest; gives the target the files that changed, crash-safe.

`plan` is the pure diff of manifests, `engine` runs one deploy (lock, order, retries,
crash-safe manifest), and one module per kind of target owns its library: `local`,
`ftp` (ftplib), `ssh` (paramiko, rsync), `s3` (boto3).
"""

from __future__ import annotations

from pathlib import Path

from kimsite.deploy import plan
from kimsite.deploy.base import DeployFailure, Kind, Source
from kimsite.deploy.engine import DeployReport, Progress, RunOptions, deploy
from kimsite.errors import Text
from kimsite.models import SiteConfig
from kimsite.targets import DeployTarget

RECORD_CACHE = ".kimsite-cache/deploy"  # copies of the targets' record files, by hash (deploy.journal)


def source_for(config: SiteConfig, output: Path, target: DeployTarget) -> Source:
    """The part of the output a target publishes."""
    cache = config.root / RECORD_CACHE
    if target.source == "all":
        return Source(output, cache=cache)
    if target.source == "regency":
        return Source(output, frozenset(k.slug for k in config.kims if k.own_domain), cache)
    return Source(output / target.source, cache=cache)


def select(config: SiteConfig, names: tuple[str, ...]) -> list[DeployTarget]:
    targets = config.deploy.targets
    if not targets:
        raise DeployFailure(Kind.CONFIG, Text("belum ada target deploy di sites.yaml",
                                              "no deploy targets in sites.yaml"),
                            Text("tambahkan bagian 'deploy: targets:' (lihat README, bagian Deploy)",
                                 "add a 'deploy: targets:' section (see README, Deploy)"))
    unknown = [n for n in names if config.deploy.target(n) is None]
    if unknown:
        known = ", ".join(t.name for t in targets)
        raise DeployFailure(Kind.CONFIG, Text(f"target tidak dikenal: {', '.join(unknown)}",
                                              f"unknown target: {', '.join(unknown)}"),
                            Text(f"target yang ada: {known}", f"known targets: {known}"))
    return [t for t in targets if not names or t.name in names]


def run(config: SiteConfig, output: Path, target: DeployTarget, options: RunOptions,
        progress: Progress | None = None) -> DeployReport:
    source = source_for(config, output, target)
    if not (source.root / "index.html").is_file():
        raise DeployFailure(Kind.CONFIG, Text(f"belum ada hasil build di {source.root}",
                                              f"nothing built in {source.root}"),
                            Text("jalankan 'make build' (atau kimsite build) dahulu",
                                 "run 'make build' (or kimsite build) first"))
    return deploy(target, source, config.deploy, options, progress)


def check_built_for(config: SiteConfig, output: Path) -> None:
    """Refuse an output built for another base URL (a `--base-url` preview, say): its links would
    point at that address on the live site."""
    built = plan.built_for(output)
    if built is not None and built != config.regency.base_url:
        raise DeployFailure(Kind.CONFIG, Text(f"{output.name}/ dibangun untuk {built}, bukan {config.regency.base_url}",
                                              f"{output.name}/ was built for {built}, not {config.regency.base_url}"),
                            Text("jalankan 'kimsite build' tanpa --base-url dahulu (pratinjau punya foldernya sendiri)",
                                 "run 'kimsite build' without --base-url first (a preview has a folder of its own)"))


__all__ = ["DeployFailure", "DeployReport", "RunOptions", "check_built_for", "run", "select", "source_for"]
