"""`kimsite serve`: a preview in its own folder, rebuilt on every save."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import threading
from pathlib import Path

import click

from kimsite.cli import EXIT_CONFIG, _load, _options, _run, _summary, config_option, main
from kimsite.models import ProvinceConfig

PREVIEW_DIR = ".kimsite-preview"  # beside sites.yaml: a preview never touches output/


@main.command()
@config_option
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="Alamat / address to listen on (0.0.0.0: HP di WiFi yang sama/phones on the LAN).")
@click.option("--port", default=8000, show_default=True, help="Port.")
@click.option("--drafts", is_flag=True,
              help="Tampilkan draf dan tulisan terjadwal / show drafts and scheduled posts too.")
def serve(config_path: Path, bind: str, port: int, drafts: bool) -> None:
    """Pratinjau, dibangun ulang tiap berkas disimpan / preview on http://BIND:PORT/, rebuilt on every save.

    Into .kimsite-preview/, never output/: a preview is never deployed.
    """
    import watchfiles

    host = "127.0.0.1" if bind in ("0.0.0.0", "::") else bind  # noqa: S104 - links must be openable
    base = f"http://{host}:{port}/"
    config = _load(config_path)
    output = config.path.parent / PREVIEW_DIR
    output.mkdir(parents=True, exist_ok=True)
    server = _server(bind, port, output)
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


def _server(bind: str, port: int, folder: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    try:
        return http.server.ThreadingHTTPServer((bind, port), handler)
    except OSError as err:  # the port is taken (another preview?) or the address is not this machine's
        click.secho(f"serve: galat/error: {bind}:{port} tidak bisa dipakai ({err.strerror}) / "
                    f"{bind}:{port} cannot be used ({err.strerror})\n    perbaiki/fix: pakai port lain, misalnya "
                    f"--port {port + 1} / use another port, e.g. --port {port + 1}", err=True, fg="red")
        raise SystemExit(EXIT_CONFIG) from None


def _preview(config_path: Path, output: Path, base: str, drafts: bool) -> None:
    try:  # a broken file while editing: say so and keep watching
        config, options = _options(config_path, output, None, base, None)
        for report in _run(config, dataclasses.replace(options, drafts=drafts), "build"):
            _summary(report, "Selesai/Done")
    except SystemExit:
        click.echo("Menunggu perbaikan... / waiting for a fix...", err=True)
