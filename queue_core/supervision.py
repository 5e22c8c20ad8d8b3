"""电子监察 in the running server: device presence per process, the periodic alert sweep (which
also drops ended console sessions' sockets) and the print jobs' keep-up (background tasks of each server process, started by the WSGI entry point)."""
from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from .service import alerts
from .service.presence import Presence

log = logging.getLogger(__name__)
_KEY = "queuehall.presence"
PRINT_JOBS_SECONDS = 5  # renew this process's print job leases, take over a dead one's
_create = threading.Lock()


def presence(app: Flask | None = None) -> Presence:
    """The process's presence tracker of `app` (created on first use)."""
    app = app or current_app._get_current_object()
    if _KEY not in app.extensions:
        with _create:
            if _KEY not in app.extensions:
                hall = app.extensions["queuehall"]
                app.extensions[_KEY] = Presence(hall.db, hall.clock)
    return app.extensions[_KEY]


def start_sweeps(app: Flask) -> None:
    """Every `sweep_seconds` (the smallest of the sites'): connected screens are seen, then
    each site is swept. Several processes may sweep one hall: the site lock keeps one alert
    per condition."""
    socketio = app.extensions["socketio"]
    hall = app.extensions["queuehall"]
    interval = min(site.alerts.sweep_seconds for site in hall.settings.sites)

    def run() -> None:
        while True:
            socketio.sleep(interval)
            sweep_once(app)

    def keep_printing() -> None:
        while True:
            socketio.sleep(PRINT_JOBS_SECONDS)
            try:
                hall.printing.keep_up()
            except Exception:  # the loop must outlive a bad moment of the database
                log.exception("could not keep up the print jobs")

    socketio.start_background_task(run)
    socketio.start_background_task(keep_printing)


def sweep_once(app: Flask) -> None:
    hall = app.extensions["queuehall"]
    try:
        presence(app).refresh_connected()
    except Exception:  # the loop must outlive a bad moment of the database
        log.exception("could not refresh device presence")
    try:
        app.extensions["console_sockets"].sweep()  # consoles whose session has ended
    except Exception:
        log.exception("could not drop the sockets of ended console sessions")
    for site in hall.settings.sites:
        try:
            alerts.sweep(hall.uow(), site.code)
        except Exception:
            log.exception("alert sweep of site %s failed", site.code)
