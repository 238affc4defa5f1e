"""Thin commands: parse options, load config, call one library function, report."""

from __future__ import annotations

import dataclasses
import functools
import os
import tempfile
import threading
import traceback
from datetime import datetime
from datetime import time as clock
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from kimsite import __version__, regency, scaffold
from kimsite.build import lock, pipeline, shards
from kimsite.deploy.base import redact
from kimsite.errors import BuildError, ConfigError, KimsiteError, Problem, display_path
from kimsite.models import ProvinceConfig, SiteConfig
from kimsite.read import regions
from kimsite.read.config import with_base_url
from kimsite.read.province import load_any, province_with_base_url
from kimsite.site.worker import SiteResult

if TYPE_CHECKING:  # imported where used: a build never pays for the deploy code
    from kimsite import deploy

EXIT_PROBLEMS, EXIT_CONFIG, EXIT_CRASH = 1, 2, 3


def _echo_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.secho(problem.render(), fg="red" if problem.is_error else "yellow", err=True)


def _load(config_path: Path) -> AnyConfig:
    try:
        return load_any(config_path)
    except ConfigError as err:
        _echo_problems(err.problems)
        click.secho(f"{len(err.problems)} masalah di konfigurasi; tidak ada yang ditulis. / "
                    f"{len(err.problems)} problem(s) in the configuration; nothing was written.", err=True, bold=True)
        raise SystemExit(EXIT_CONFIG) from None


def build_time(value: str | None, config: SiteConfig) -> datetime:
    tz = ZoneInfo(config.regency.tz_name)
    if not value:
        return datetime.now(tz).replace(microsecond=0)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            "pakai YYYY-MM-DD atau YYYY-MM-DDTHH:MM / use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    if len(value) == 10:  # a date: everything dated that day is published
        parsed = datetime.combine(parsed.date(), clock(23, 59, 59))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _progress(done: int, total: int, result: SiteResult) -> None:
    if not result.ok:
        status = click.style("GAGAL/FAILED", fg="red")
    else:
        errors = sum(p.is_error for p in result.problems)
        status = f"{result.post_count} berita/posts, {result.pages} halaman/pages"
        status += click.style(f", {errors} dilewati/skipped", fg="red") if errors else ""
        status += ", tidak berubah/unchanged" if result.unchanged else ""
    click.echo(f"[{done}/{total}] {result.kim}: {status} ({result.seconds:.1f} s)", err=True)


def _summary(report: pipeline.BuildReport, verb: str) -> None:
    _echo_problems(report.all_problems)
    built = [r for r in report.results if r.ok]
    pages = sum(r.pages for r in built)
    posts = sum(r.post_count for r in built)
    drafts = sum(r.skips.drafts for r in report.results)
    scheduled = sum(r.skips.scheduled for r in report.results)
    skipped = len(report.errors)
    unchanged = sum(r.unchanged for r in built)
    click.secho(
        f"{verb}: {len(built)} KIM ok ({unchanged} tidak berubah/unchanged), {len(report.failed)} gagal/failed"
        f"{' (' + ', '.join(report.failed) + ')' if report.failed else ''}; "
        f"{posts} berita/posts, {pages} halaman/pages, {drafts} draf/drafts, {scheduled} terjadwal/scheduled; "
        f"{skipped} galat/errors, {len(report.warnings)} peringatan/warnings; {report.seconds:.1f} s",
        err=True, bold=True, fg="green" if report.ok else "red")


AnyConfig = SiteConfig | ProvinceConfig


def _options(config_path: Path, output: Path | None, date: str | None, base_url: str | None,
             workers: int | None) -> tuple[AnyConfig, pipeline.BuildOptions]:
    config = _load(config_path)
    if base_url:
        config = (province_with_base_url(config, base_url) if isinstance(config, ProvinceConfig)
                  else with_base_url(config, base_url))
    first = config.regencies[0][1] if isinstance(config, ProvinceConfig) else config
    return config, pipeline.BuildOptions(build_time(date, first), output, workers)


STEPS = {"build": pipeline.build, "check": pipeline.check, "merge": pipeline.merge}


def _run(config: AnyConfig, options: pipeline.BuildOptions, mode: str) -> list[pipeline.BuildReport]:
    """Build, check or merge a regency, or every regency of a province (one build at a time)."""
    if mode == "check":  # writes nothing: no lock
        return _run_step(config, options, mode)
    try:
        with lock.held(config.path.parent / pipeline.CACHE_DIR, _waiting):
            return _run_step(config, options, mode)
    except lock.Busy as err:
        _echo_problems(err.problems)
        raise SystemExit(EXIT_CONFIG) from None


def _waiting() -> None:
    click.echo("Build lain sedang berjalan; menunggu... / another build is running; waiting...", err=True)


def _run_step(config: AnyConfig, options: pipeline.BuildOptions, mode: str) -> list[pipeline.BuildReport]:
    step = STEPS[mode]
    try:
        if isinstance(config, ProvinceConfig):
            if mode == "check":
                return [pipeline.check(c, options) for _slug, c in config.regencies]
            return pipeline.build_province(config, options, _progress, step).reports
        return [step(config, options, _progress if mode == "build" else None)]
    except ConfigError as err:
        _echo_problems(err.problems)
        click.secho("Tidak ada yang ditulis. / Nothing was written.", err=True, bold=True)
        raise SystemExit(EXIT_CONFIG) from None
    except BuildError as err:
        _echo_problems(err.problems)
        raise SystemExit(EXIT_PROBLEMS) from None


config_option = click.option("--config", "config_path", type=click.Path(path_type=Path),
                             default=Path("sites.yaml"), show_default=True, help="The regency's sites.yaml.")
date_option = click.option("--build-date", "date", help="Treat this as today (YYYY-MM-DD[THH:MM]); default now.")
workers_option = click.option("--workers", type=int, help="Worker processes (default: one per core).")


class _Group(click.Group):
    """Turns an unexpected crash into a short message; the traceback goes to a log file."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as err:  # noqa: BLE001 - the last line of defence
            log = _crash_log(redact(traceback.format_exc()))
            click.secho(f"kesalahan internal kimsite / kimsite internal error: {type(err).__name__}: "
                        f"{redact(str(err))}\n"
                        f"    rincian/details: {log} — laporkan ke tim kimsite / report it to the kimsite team",
                        err=True, fg="red")
            raise SystemExit(EXIT_CRASH) from None


def _crash_log(text: str) -> Path:
    """A new private file (mkstemp: mode 0600, never through a symlink) in the user's cache folder,
    else the temp folder; every crash keeps its own."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kimsite"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        folder = Path(tempfile.gettempdir())
    handle, name = tempfile.mkstemp(prefix="kimsite-crash-", suffix=".log", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write(text)
    return Path(name)


@click.group(cls=_Group)
@click.version_option(__version__)
def main() -> None:
    """kimsite: situs berita KIM yang ringan dan portal kabupaten / light KIM news sites and a regency hub."""


@main.command()
@config_option
@click.option("--output", type=click.Path(path_type=Path), help="Output folder (default: the config's).")
@click.option("--base-url", help="Serve every site under this URL instead (a local preview).")
@date_option
@workers_option
@click.option("--strict", is_flag=True, help="Warnings fail the build too.")
@click.option("--shard", help="Build only shard I of N (e.g. 2/4) and no hub; then run `kimsite merge`.")
@click.option("--force", is_flag=True, help="Build into a non-empty output folder kimsite did not make (its files "
              "stay; never one holding the project's own files).")
def build(config_path: Path, output: Path | None, base_url: str | None, date: str | None,
          workers: int | None, strict: bool, shard: str | None, force: bool) -> None:
    """Build every KIM site and the hub."""
    config, options = _options(config_path, output, date, base_url, workers)
    options = dataclasses.replace(options, force=force)
    if shard:
        try:
            options = dataclasses.replace(options, shard=shards.parse_shard(shard))
        except ValueError:
            raise click.BadParameter("pakai I/N, misalnya 2/4 / use I/N, e.g. 2/4", param_hint="--shard") from None
    reports = _run(config, options, "build")
    for report in reports:
        _summary(report, "Selesai/Done")
    if not all(r.ok for r in reports) or (strict and any(r.warnings for r in reports)):
        raise SystemExit(EXIT_PROBLEMS)


@main.command()
@config_option
@date_option
@workers_option
def check(config_path: Path, date: str | None, workers: int | None) -> None:
    """Validate sites.yaml, every profile and every post; write nothing."""
    config, options = _options(config_path, None, date, None, workers)
    reports = _run(config, options, "check")
    for report in reports:
        _summary(report, "Pemeriksaan/Check")
    if not all(r.ok for r in reports):
        raise SystemExit(EXIT_PROBLEMS)


@main.command()
@config_option
@click.option("--output", type=click.Path(path_type=Path), help="Output folder holding every shard's sites.")
@date_option
def merge(config_path: Path, output: Path | None, date: str | None) -> None:
    """Build the hub from the sites that `build --shard i/n` runs left in the output folder."""
    config, options = _options(config_path, output, date, None, None)
    reports = _run(config, options, "merge")
    for report in reports:
        _summary(report, "Digabung/Merged")
    if not all(r.ok for r in reports):
        raise SystemExit(EXIT_PROBLEMS)


@main.group()
def new() -> None:
    """Create new content from a template."""


NEW_HELP = {
    "post": "Create content/<kim>/posts/YYYY-MM-DD-<slug>.md, ready to edit.",
    "cek-fakta": "Create a fact check (a post with type: cek-fakta), ready to edit.",
    "product": "Create content/<kim>/products/<slug>.md, ready to edit.",
    "event": "Create content/<kim>/agenda/YYYY-MM-DD-<slug>.md (a week from today), ready to edit.",
    "page": "Create content/<kim>/pages/<slug>.md, ready to edit.",
}


def _new_command(kind: str) -> None:
    @new.command(kind, help=NEW_HELP[kind])
    @config_option
    @click.option("--kim", "kim_slug", required=True, help="The KIM's slug, as in sites.yaml.")
    @click.argument("title")
    def command(config_path: Path, kim_slug: str, title: str) -> None:
        config = _load(config_path)
        if isinstance(config, ProvinceConfig):
            raise click.UsageError("pakai sites.yaml kabupaten/kota KIM itu / use the sites.yaml of the KIM's regency")
        try:
            path = scaffold.new_content(config, kim_slug, kind, title, build_time(None, config))
        except KimsiteError as err:
            _echo_problems(err.problems)
            raise SystemExit(EXIT_PROBLEMS) from None
        click.echo(path)


for _kind in NEW_HELP:
    _new_command(_kind)


def _made(paths: list[Path]) -> None:
    for path in paths:
        click.echo(display_path(path))


@new.command("kim")
@config_option
@click.option("--village", "village_code", required=True, help="Kode desa/kelurahan / village code PP.KK.CC.XDDD.")
@click.option("--slug", help="Folder dan alamat situs / folder and path of the site (default kim-<village>).")
@click.option("--name", help="Nama KIM / the KIM's name (default 'KIM <village>').")
def new_kim(config_path: Path, village_code: str, slug: str | None, name: str | None) -> None:
    """Tambah KIM ke sites.yaml dan buat profile.yaml-nya / add a KIM to sites.yaml with a profile skeleton."""
    config = _load(config_path)
    if isinstance(config, ProvinceConfig):
        raise click.UsageError("pakai sites.yaml kabupaten/kota / use a regency's sites.yaml")
    try:
        _made(regency.add_kim(config, regions.read_region_table(config.regions_path or regions.NATIONAL),
                              village_code, slug, name))
    except KimsiteError as err:
        _echo_problems(err.problems)
        raise SystemExit(EXIT_CONFIG) from None


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--regency", "code", required=True, help="Kode Kemendagri kabupaten/kota / regency code PP.KK.")
def init(folder: Path, code: str) -> None:
    """Buat repositori kabupaten/kota baru / start a regency's repository (sites.yaml, content, CI)."""
    try:
        _made(regency.init(folder, code, regions.read_region_table(), datetime.now()))
    except KimsiteError as err:
        _echo_problems(err.problems)
        raise SystemExit(EXIT_CONFIG) from None
    click.echo(f"Selesai/Done. cd {folder} && kimsite build", err=True)


@main.group("regions")
def regions_group() -> None:
    """Tabel wilayah Kemendagri / the Kemendagri region table."""


@regions_group.command("find")
@click.argument("text")
@click.option("--limit", default=30, show_default=True)
def regions_find(text: str, limit: int) -> None:
    """Cari desa, kecamatan, kabupaten dan kodenya / find villages, districts, regencies and their codes."""
    table = regions.read_region_table()
    found = regions.find(text, table)
    for region in found[:limit]:
        parents = [table.get(regions.district_code(region.code)) if region.level == "village" else None,
                   table.get(regions.regency_code(region.code)) if region.level != "regency" else None]
        where = ", ".join(p.name for p in parents if p is not None)
        click.echo(f"{region.code}\t{region.level}\t{region.name}" + (f"\t({where})" if where else ""))
    if not found:
        click.echo(f"tidak ditemukan / not found: {text}", err=True)
        raise SystemExit(EXIT_PROBLEMS)
    if len(found) > limit:
        click.echo(f"… {len(found) - limit} lagi / more (--limit)", err=True)


PREVIEW_DIR = ".kimsite-preview"  # beside sites.yaml: a preview never touches output/


@main.command()
@config_option
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: the LAN).")
@click.option("--port", default=8000, show_default=True)
@click.option("--drafts", is_flag=True, help="Show drafts and scheduled posts too (a preview only).")
def serve(config_path: Path, bind: str, port: int, drafts: bool) -> None:
    """Preview on http://BIND:PORT/ and rebuild on every save (into .kimsite-preview/, never output/)."""
    import http.server

    import watchfiles

    host = "127.0.0.1" if bind in ("0.0.0.0", "::") else bind  # noqa: S104 - links must be openable
    base = f"http://{host}:{port}/"
    config = _load(config_path)
    output = config.path.parent / PREVIEW_DIR
    output.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer((bind, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    regencies = [c for _s, c in config.regencies] if isinstance(config, ProvinceConfig) else [config]
    watched = {config.path, *(p for c in regencies for p in (c.path, c.content_dir, c.theme_dir))}
    click.echo(f"Pratinjau/preview: {base}  (Ctrl+C untuk berhenti/to stop)", err=True)
    changed = threading.Event()
    changed.set()  # the first build

    def watch() -> None:  # started before the first build: a save during it is not missed
        for _changes in watchfiles.watch(*sorted(watched), debounce=300):
            changed.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        while True:
            if changed.wait(1):
                changed.clear()
                _preview(config_path, output, base, drafts)
    except KeyboardInterrupt:
        server.shutdown()


def _preview(config_path: Path, output: Path, base: str, drafts: bool) -> None:
    try:  # a broken file while editing: say so and keep watching
        config, options = _options(config_path, output, None, base, None)
        for report in _run(config, dataclasses.replace(options, drafts=drafts), "build"):
            _summary(report, "Selesai/Done")
    except SystemExit:
        click.echo("Menunggu perbaikan... / waiting for a fix...", err=True)


def _deploy_progress(done: int, total: int, rel: str) -> None:
    if done == total or done * 10 // total != (done - 1) * 10 // total:  # every tenth
        click.echo(f"  {done}/{total} {rel}", err=True)


def _deploy_summary(report: deploy.DeployReport) -> None:
    plan = report.plan
    verb = "Rencana/Plan" if report.dry_run else "Terkirim/Deployed"
    click.echo(f"{verb} '{report.target}': {plan.new} baru/new, {plan.changed} berubah/changed, "
               f"{len(plan.deletes)} dihapus/deleted, {plan.unchanged} sama/unchanged; "
               f"{plan.upload_bytes / 1024:.1f} KB; {report.seconds:.1f} s"
               + (f"; {report.retries} ulang/retries" if report.retries else ""))
    for stage, files, size in report.stages:
        if files:
            click.echo(f"    {stage}: {files} ({size / 1024:.1f} KB)")


@main.command("deploy")
@config_option
@click.argument("targets", nargs=-1)
@click.option("--output", type=click.Path(path_type=Path), help="Output folder (default: the config's).")
@click.option("--dry-run", is_flag=True, help="Print the plan with byte counts; change nothing.")
@click.option("--force", is_flag=True, help="Allow more deletions than deploy.max_deletes / max_delete_share.")
def deploy_command(config_path: Path, targets: tuple[str, ...], output: Path | None, dry_run: bool,
                   force: bool) -> None:
    """Upload what changed since the last deploy to each target (or the named ones)."""
    from kimsite import deploy

    config = _load(config_path)
    if isinstance(config, ProvinceConfig):
        raise click.UsageError("deploy memakai sites.yaml kabupaten/kota / deploy uses a regency's sites.yaml")
    options = deploy.RunOptions(dry_run=dry_run, force=force)
    failed = 0
    try:
        chosen = deploy.select(config, targets)
        deploy.check_built_for(config, (output or config.output_dir).resolve())
    except deploy.DeployFailure as failure:
        _echo_failure("deploy", failure)
        raise SystemExit(EXIT_CONFIG) from None
    for target in chosen:
        try:
            _deploy_summary(deploy.run(config, (output or config.output_dir).resolve(), target, options,
                                       None if dry_run else _deploy_progress))
        except deploy.DeployFailure as failure:
            failed += 1
            _echo_failure(target.name, failure)
    if failed:
        raise SystemExit(EXIT_PROBLEMS)


def _echo_failure(name: str, failure: deploy.DeployFailure) -> None:
    click.secho(f"deploy {name}: galat/error: {redact(failure.text.render())}", fg="red", err=True)
    if failure.hint:
        click.secho(f"    perbaiki/fix: {failure.hint.render()}", fg="red", err=True)
