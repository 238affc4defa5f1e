"""`kimsite import SOURCE --kim SLUG`: an old blog moves into a KIM's folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kimsite.cli import EXIT_CONFIG, _echo_problems, _load, config_option, main
from kimsite.models import ProvinceConfig

if TYPE_CHECKING:  # imported by the command itself: bs4 and markdownify are for imports only
    from kimsite import importer


def _echo_report(report: importer.ImportReport, config_root: Path) -> None:
    def shown(path: str) -> str:
        return str(Path(path).relative_to(config_root)) if Path(path).is_relative_to(config_root) else path

    for path in report.posts + report.pages:
        click.echo(f"  + {shown(path)}")
    for what, why in report.skipped:
        click.secho(f"  - dilewati/skipped: {what}: {why.render()}", fg="yellow")
    if report.redirects:
        click.echo("Alamat lama dialihkan / old addresses redirected:")
        for old, new in report.redirects:
            click.echo(f"  {old} -> {new}")
    click.secho(
        f"Impor/import ({report.format}): {len(report.posts)} berita/posts ({report.drafts} draf/drafts), "
        f"{len(report.pages)} halaman/pages, {report.photos} foto/photos, {report.attachments} lampiran/attachments, "
        f"{report.existing} sudah ada/already imported, {len(report.skipped)} dilewati/skipped, "
        f"{len(report.redirects)} pengalihan/redirects", bold=True, fg="green")


@main.command("import")
@click.argument("source")
@click.option("--kim", "kim", required=True, help="Slug KIM tujuan / the KIM to import into (its content folder).")
@config_option
@click.option("--allow-local", is_flag=True, help="Izinkan alamat lokal/privat / allow 127.0.0.1 and private "
              "networks (tests, an intranet blog).")
@click.option("--timeout", type=float, default=15.0, show_default=True, help="Detik per foto / seconds per photo.")
@click.option("--max-photo-mb", type=float, default=8.0, show_default=True, help="Batas satu foto / cap per photo.")
@click.option("--photo-budget-mb", type=float, default=300.0, show_default=True,
              help="Batas semua foto / budget for every photo together.")
@click.option("--nginx-map", type=click.Path(path_type=Path), help="Tulis peta nginx ?p= ke berkas ini / write the "
              "nginx map of the ?p= redirects to this file.")
def import_command(source: str, kim: str, config_path: Path, allow_local: bool, timeout: float, max_photo_mb: float,
                   photo_budget_mb: float, nginx_map: Path | None) -> None:
    """Impor blog WordPress, Blogger atau umpan RSS/Atom / import a WordPress, Blogger or RSS/Atom blog.

    SOURCE: berkas ekspor atau alamat / an export file or a URL.
    """
    from kimsite import importer

    config = _load(config_path)
    if isinstance(config, ProvinceConfig):
        raise click.BadParameter("pakai sites.yaml kabupaten / use a regency's sites.yaml", param_hint="--config")
    options = importer.ImportOptions(kim, source, allow_local, timeout, int(max_photo_mb * 1024 * 1024),
                                     int(photo_budget_mb * 1024 * 1024))
    try:
        report = importer.run_import(config, options)
    except importer.ImportFailed as err:
        _echo_problems([err.problem])
        raise SystemExit(EXIT_CONFIG) from None
    if nginx_map and report.nginx:
        nginx_map.write_text(report.nginx, encoding="utf-8")
    _echo_report(report, config.root)
