"""`kimsite new …`, `kimsite init`, `kimsite regions find`: files for writers and admins to fill in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from kimsite import regency, scaffold
from kimsite.cli import EXIT_CONFIG, EXIT_PROBLEMS, _echo_problems, _load, build_time, config_option, main
from kimsite.errors import KimsiteError, display_path
from kimsite.models import ProvinceConfig
from kimsite.read import owners, regions, schemas


@main.group()
def new() -> None:
    """Buat isi baru dari templat / create new content from a template."""


NEW_HELP = {
    "post": "Berita baru / a new post: content/<kim>/posts/YYYY-MM-DD-<slug>.md, ready to edit.",
    "cek-fakta": "Cek fakta baru / a new fact check (a post with type: cek-fakta), ready to edit.",
    "product": "Produk UMKM baru / a new product: content/<kim>/products/<slug>.md, ready to edit.",
    "event": "Acara baru / a new event: content/<kim>/agenda/YYYY-MM-DD-<slug>.md (a week from today).",
    "page": "Halaman baru / a new page: content/<kim>/pages/<slug>.md, ready to edit.",
}


def _new_command(kind: str) -> None:
    @new.command(kind, help=NEW_HELP[kind])
    @config_option
    @click.option("--kim", "kim_slug", required=True,
                  help="Slug KIM seperti di sites.yaml / the KIM's slug, as in sites.yaml.")
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
@click.option("--limit", default=30, show_default=True, help="Paling banyak / at most this many lines.")
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


@main.command("schema")
@click.argument("folder", type=click.Path(path_type=Path), default=Path("."))
def schema_command(folder: Path) -> None:
    """Tulis JSON Schema untuk editor / write JSON Schemas of sites.yaml, profile.yaml and front matter.

    VS Code (extension "YAML"): "yaml.schemas": {"kimsite-sites.schema.json": "sites.yaml",
    "kimsite-profile.schema.json": "content/*/profile.yaml"}.
    """
    _made(schemas.write_schemas(folder))


@main.command("codeowners")
@config_option
def codeowners_command(config_path: Path) -> None:
    """Tulis CODEOWNERS dari kims[].editors / write CODEOWNERS from kims[].editors (GitHub and GitLab).

    Each KIM's content folder then needs its editors' approval in a pull/merge request
    (turn on "Require review from Code Owners" in the branch protection of the main branch).
    """
    config = _load(config_path)
    if isinstance(config, ProvinceConfig):
        raise click.UsageError("jalankan untuk sites.yaml tiap kabupaten / run it on each regency's sites.yaml")
    _made([owners.write_codeowners(config)])
