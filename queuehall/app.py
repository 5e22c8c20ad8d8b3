"""create_app(): the core service and every page of the hall, wired once."""
from __future__ import annotations

from flask import Flask

from counter import counter
from display import display
from kiosk.server import kiosk
from manager import manager
from pagekit.web import pagekit
from queue_core.adapters.clock import Clock
from queue_core.app import create_app as create_core
from queue_core.config import Settings

from .start import start

PAGES = (pagekit, start, display, counter, kiosk, manager)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               config_path: str | None = None) -> Flask:
    app = create_core(settings, clock=clock, config_path=config_path)
    for blueprint in PAGES:
        app.register_blueprint(blueprint)
    return app
