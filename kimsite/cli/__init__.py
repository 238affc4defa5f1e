"""Thin commands: parse options, load config, call one library function, report."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import sys
import tempfile
import traceback
from collections.abc import Iterator
from datetime import datetime
from datetime import time as clock
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

import click

from kimsite import __version__
from kimsite.build import lock, pipeline, shards, spare
from kimsite.cli.progress import Bar
from kimsite.deploy.base import redact
from kimsite.errors import BuildError, ConfigError, Problem
from kimsite.models import ProvinceConfig, SiteConfig
from kimsite.read.config import with_base_url
from kimsite.read.province import load_any, province_with_base_url
from kimsite.site.worker import SiteResult

if TYPE_CHECKING:  # imported where used: a build never pays for the deploy code
    from kimsite import deploy

EXIT_PROBLEMS, EXIT_CONFIG, EXIT_CRASH, EXIT_USAGE = 1, 2, 3, 4
click.UsageError.exit_code = EXIT_USAGE  # a mistyped command line is not a broken sites.yaml (2)
VERBOSITY = {"level": 1}  # 0: errors and the summary (-q); 1: also progress and warnings; 2: more (-v)


def _echo_problems(problems: list[Problem]) -> None:
    for problem in problems:
        if problem.is_error or VERBOSITY["level"] > 0:
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


BARS: list[Bar] = []  # the bar of the phase running, on a terminal


def _progress(done: int, total: int, result: SiteResult) -> None:
    if VERBOSITY["level"] == 0:
        return
    if BARS and BARS[-1].active:  # the last site done, the bar stays while the hub is made
        BARS[-1].step(done, total, result.kim if done < total else "→ portal/hub")
        return
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
    if VERBOSITY["level"] >= 2 and report.timings.stages:  # -v: where the time went
        click.echo(f"Waktu/Time: {report.timings.line()}", err=True)


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


@contextlib.contextmanager
def _bar(label: str) -> Iterator[None]:
    with Bar(label, VERBOSITY["level"] > 0) as bar:
        BARS.append(bar)
        try:
            yield
        finally:
            BARS.pop()


def _waiting() -> None:
    click.echo("Build lain sedang berjalan; menunggu... / another build is running; waiting...", err=True)


def _run_step(config: AnyConfig, options: pipeline.BuildOptions, mode: str) -> list[pipeline.BuildReport]:
    step = STEPS[mode]
    try:
        if isinstance(config, ProvinceConfig):
            if mode == "check":
                return [pipeline.check(c, options) for _slug, c in config.regencies]
            return pipeline.build_province(config, options, _progress, step).reports
        with _bar("KIM"):
            return [step(config, options, _progress if mode == "build" else None)]
    except ConfigError as err:
        _echo_problems(err.problems)
        click.secho("Tidak ada yang ditulis. / Nothing was written.", err=True, bold=True)
        raise SystemExit(EXIT_CONFIG) from None
    except BuildError as err:
        _echo_problems(err.problems)
        raise SystemExit(EXIT_PROBLEMS) from None


config_option = click.option("--config", "config_path", type=click.Path(path_type=Path),
                             default=Path("sites.yaml"), show_default=True,
                             help="sites.yaml kabupaten/kota / the regency's sites.yaml.")
date_option = click.option("--build-date", "date", help="Anggap hari ini / treat this as today (YYYY-MM-DD[THH:MM]); "
                           "default: sekarang/now.")
offline_option = click.option("--offline", is_flag=True, help="Tanpa jaringan: umpan KIM luar dari cache saja / "
                              "external KIMs' feeds from the cache only, nothing fetched (reproducible builds).")
workers_option = click.option("--workers", type=int, help="Jumlah proses / worker processes (default: one per core).")


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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__)
@click.option("-q", "--quiet", is_flag=True, help="Hanya galat dan ringkasan / only errors and the summary.")
@click.option("-v", "--verbose", is_flag=True, help="Lebih rinci / more detail.")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """kimsite: situs berita KIM yang ringan dan portal kabupaten / light KIM news sites and a regency hub.

    Kode keluar / exit codes: 0 beres/all good; 1 ada tulisan atau KIM yang ditahan/some
    files or KIMs held back; 2 sites.yaml rusak atau tidak ada yang ditulis/a broken sites.yaml,
    nothing written; 3 galat internal/internal error; 4 perintah salah ketik/usage error.
    """
    VERBOSITY["level"] = 0 if quiet else 2 if verbose else 1
    if os.environ.get("NO_COLOR"):  # https://no-color.org
        ctx.color = False


@main.command()
@config_option
@click.option("--output", type=click.Path(path_type=Path), help="Folder hasil / output folder (default: the config's).")
@click.option("--base-url", help="Alamat lain untuk pratinjau / serve every site under this URL (a local preview).")
@date_option
@workers_option
@click.option("--strict", is_flag=True, help="Peringatan juga menggagalkan / warnings fail the build too.")
@click.option("--shard", help="Hanya shard I dari N / only shard I of N (e.g. 2/4), no hub; then `kimsite merge`.")
@click.option("--force", is_flag=True, help="Pakai folder hasil berisi berkas lain / build into a non-empty output "
              "folder kimsite did not make (its files stay; never one holding the project's own files).")
@offline_option
def build(config_path: Path, output: Path | None, base_url: str | None, date: str | None,
          workers: int | None, strict: bool, shard: str | None, force: bool, offline: bool) -> None:
    """Bangun semua situs KIM dan portal / build every KIM site and the hub."""
    with spare.ahead(workers or os.cpu_count() or 1):  # a worker importing Pelican while the config is read
        config, options = _options(config_path, output, date, base_url, workers)
        options = dataclasses.replace(options, force=force, offline=offline)
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
@click.option("--changed-files", "changed", type=click.File("r", encoding="utf-8"),
              help="Daftar berkas yang diubah satu perubahan, satu per baris ('-': dari stdin), mis. dari "
                   "`git diff --name-only`; peringatan bila menyentuh folder KIM lain / the files one change "
                   "touches: a warning when they span more than one KIM's folder.")
def check(config_path: Path, date: str | None, workers: int | None, changed: TextIO | None) -> None:
    """Periksa sites.yaml, profil dan semua tulisan tanpa menulis / validate everything, write nothing."""
    config, options = _options(config_path, None, date, None, workers)
    if changed is not None:
        paths = tuple(line.strip() for line in changed if line.strip())
        options = dataclasses.replace(options, changed=paths, changed_from=changed.name)
    reports = _run(config, options, "check")
    for report in reports:
        _summary(report, "Pemeriksaan/Check")
    if not all(r.ok for r in reports):
        raise SystemExit(EXIT_PROBLEMS)


@main.command()
@config_option
@click.option("--output", type=click.Path(path_type=Path), help="Folder hasil semua shard / output folder holding "
              "every shard's sites.")
@date_option
@offline_option
def merge(config_path: Path, output: Path | None, date: str | None, offline: bool) -> None:
    """Bangun portal dari hasil semua shard / build the hub from every `build --shard i/n` result."""
    config, options = _options(config_path, output, date, None, None)
    options = dataclasses.replace(options, offline=offline)
    reports = _run(config, options, "merge")
    for report in reports:
        _summary(report, "Digabung/Merged")
    if not all(r.ok for r in reports):
        raise SystemExit(EXIT_PROBLEMS)


def _deploy_progress(done: int, total: int, rel: str) -> None:
    if VERBOSITY["level"] == 0:
        return
    if BARS and BARS[-1].active:
        BARS[-1].step(done, total, rel)
        return
    if done == total or done * 10 // total != (done - 1) * 10 // total:  # every tenth
        click.echo(f"  {done}/{total} {rel}", err=True)


def _deploy_summary(report: deploy.DeployReport) -> None:
    plan = report.plan
    verb = "Rencana/Plan" if report.dry_run else "Terkirim/Deployed"
    click.echo(f"{verb} '{report.target}': {plan.new} baru/new, {plan.changed} berubah/changed, "
               f"{len(plan.deletes)} dihapus/deleted, {plan.unchanged} sama/unchanged; "
               f"{plan.upload_bytes / 1024:.1f} KB; {report.seconds:.1f} s"
               + (f"; {report.retries} ulang/retries" if report.retries else ""))
    if report.resumed:
        click.echo(f"    {report.resumed} berkas dari deploy yang terputus sudah utuh di target, tidak dikirim "
                   f"ulang / files a killed deploy had sent were found whole and not sent again")
    for stage, files, size in report.stages:
        if files:
            click.echo(f"    {stage}: {files} ({size / 1024:.1f} KB)")


@main.command("deploy")
@config_option
@click.argument("targets", nargs=-1)
@click.option("--output", type=click.Path(path_type=Path), help="Folder hasil / output folder (default: the config's).")
@click.option("--dry-run", is_flag=True, help="Tampilkan rencana saja / print the plan with byte counts, "
              "change nothing.")
@click.option("--force", is_flag=True, help="Izinkan hapus lebih banyak / allow more deletions than deploy.max_deletes "
              "or max_delete_share.")
def deploy_command(config_path: Path, targets: tuple[str, ...], output: Path | None, dry_run: bool,
                   force: bool) -> None:
    """Kirim yang berubah ke setiap target / upload what changed to each target (or the named ones)."""
    from kimsite import deploy

    config = _load(config_path)
    if isinstance(config, ProvinceConfig):
        raise click.UsageError("deploy memakai sites.yaml kabupaten/kota / deploy uses a regency's sites.yaml")
    options = deploy.RunOptions(dry_run=dry_run, force=force)
    # SIGTERM (a CI job cancelled, `kill`): exit through Python, so the finally blocks and the
    # key folders' finalizers run and no private key is left on disk
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(128 + signal.SIGTERM))
    failed = 0
    try:
        chosen = deploy.select(config, targets)
        deploy.check_built_for(config, (output or config.output_dir).resolve())
    except deploy.DeployFailure as failure:
        _echo_failure("deploy", failure)
        raise SystemExit(EXIT_CONFIG) from None
    for target in chosen:
        try:
            with _bar(f"deploy {target.name}"):
                report = deploy.run(config, (output or config.output_dir).resolve(), target, options,
                                    None if dry_run else _deploy_progress)
            _deploy_summary(report)
        except deploy.DeployFailure as failure:
            failed += 1
            _echo_failure(target.name, failure)
    if failed:
        raise SystemExit(EXIT_PROBLEMS)


def _echo_failure(name: str, failure: deploy.DeployFailure) -> None:
    click.secho(f"deploy {name}: galat/error: {redact(failure.text.render())}", fg="red", err=True)
    if failure.hint:
        click.secho(f"    perbaiki/fix: {failure.hint.render()}", fg="red", err=True)


from kimsite.cli import authoring, importing, preview  # noqa: E402, F401 - their commands join `main`
