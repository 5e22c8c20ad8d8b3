"""Devices: printer status changes become alerts in the audit trail; a device's settings as
apply-config stored them (the running server reads them from the database, not config.toml)."""
from __future__ import annotations

from printers.status import severity

from ..adapters.orm import Device
from ..domain.events import EventKind
from . import alerts
from .unit_of_work import UnitOfWork


def record_printer_status(uow: UnitOfWork, site_code: str, printer_code: str, status: str) -> None:
    """Append a printer_status event; `alert` marks statuses a manager must act on."""
    with uow:
        site = uow.lock_site(site_code)
        uow.record(EventKind.PRINTER_STATUS, printer=printer_code, status=status,
                   alert=severity(status) is not None)
        alerts.sweep_locked(uow, site)  # a paper-out is raised at once, not at the next sweep
        uow.commit()


def screen_settings(device: Device) -> dict:
    """What a screen shows and says, as apply-config stored it: its window, voice template
    (None: the screen's default), how often a call is said, and its notice line."""
    stored = device.settings or {}
    return {"code": device.code, "kind": device.kind, "window": stored.get("window"),
            "voice_template": stored.get("voice_template"),
            "voice_repeat": stored.get("voice_repeat", 1), "notice": stored.get("notice", "")}


def printer_in(settings: dict | None) -> str | None:
    """The printer a kiosk's tickets print on (None: the kiosk prints them itself, or none), in
    its stored settings: the request path has them from the device's authentication read (no
    second statement), and reads them afresh each request (apply-config may move it)."""
    return (settings or {}).get("printer")
