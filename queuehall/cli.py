"""The `queuehall` command: the core's commands (queue_core/cli.py) and `serve`, which runs the
whole hall — core and pages, queuehall.wsgi — under gunicorn."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from queue_core.cli import settings_of, main

from .start import reach


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
@click.option("--connections", default=None, type=click.IntRange(10, 100_000),
              help="open connections one process holds (default: [server] max_connections)")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, connections: int | None) -> None:
    """Run the server with gunicorn: one gevent process per hall instance. Each connection is a
    greenlet, so screens and phones never take the workers that issuing and calling need."""
    settings = settings_of(ctx)  # fail early with a clear message
    if ctx.obj["config"]:
        os.environ["QUEUEHALL_CONFIG"] = ctx.obj["config"]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    connections = connections or settings.server.max_connections
    click.echo(f"queuehall on http://{host}:{port}: one gevent process holding up to "
               f"{connections} connections (screens, phones, consoles, requests)")
    for lang in ("zh", "en"):  # printed QR codes that phones cannot open: say so before the day
        bound = f"[{host}]" if ":" in host else host
        message = reach.warning(settings.server.public_url, f"http://{bound}:{port}", lang)
        if message:
            click.secho(message, fg="yellow", bold=True, err=True)
    args = [str(gunicorn), "--worker-class", "gevent", "--workers", "1",
            "--worker-connections", str(connections),
            "--bind", f"{host}:{port}", "--access-logfile", "-",
            "--logger-class", "queue_core.access_log.RedactingLogger",
            "--graceful-timeout", "5", "queuehall.wsgi:app"]
    os.execv(args[0], args)


