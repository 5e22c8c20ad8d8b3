"""Devices: printer status changes become alerts in the audit trail; a device's settings as
apply-config stored them (the running server reads them from the database, not config.toml)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from printers.status import severity


from ..adapters.orm import Device, Site
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


def kiosk_printer(session: Session, site_code: str, device_code: str) -> str | None:
    """The printer a kiosk's tickets print on (None: the kiosk prints them itself, or none)."""
    stored = session.scalars(select(Device.settings).join(Site, Device.site_id == Site.id).where(
        Site.code == site_code, Device.code == device_code)).first()
    return printer_in(stored)


def printer_in(settings: dict | None) -> str | None:
    """The kiosk's printer in its stored settings (the request path has them from the device's
    authentication read: no second statement)."""
    return (settings or {}).get("printer")
