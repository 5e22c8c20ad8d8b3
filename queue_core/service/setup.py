"""Applying config.toml to the database: creates and updates the hall, never loses tickets."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.orm import Category, Device, Site, Window, WindowCategory
from ..config import Settings, SiteSettings


def apply_config(session: Session, settings: Settings) -> list[str]:
    """Upsert sites, categories, windows and devices; things removed from config are disabled,
    not deleted, so today's tickets and the event log keep their references."""
    changes: list[str] = []
    for site_cfg in settings.sites:
        site = _upsert_site(session, site_cfg, changes)
        categories = _upsert_categories(session, site, site_cfg, changes)
        _upsert_windows(session, site, site_cfg, categories, changes)
        _upsert_devices(session, site, site_cfg, changes)
    session.flush()
    return changes


def _upsert_site(session: Session, cfg: SiteSettings, changes: list[str]) -> Site:
    site = session.scalars(select(Site).where(Site.code == cfg.code)).first()
    if site is None:
        site = Site(code=cfg.code, event_seq=0)
        session.add(site)
        changes.append(f"site {cfg.code} created")
    site.name_zh, site.name_en, site.timezone = cfg.name_zh, cfg.name_en, cfg.timezone
    site.opens, site.closes = cfg.opens, cfg.closes
    site.weekdays = ",".join(str(d) for d in sorted(cfg.weekdays))
    # Read at run time from here, not from the file: a changed config takes effect with
    # apply-config, and only then.
    site.calling = {**cfg.calling.model_dump(), "alerts": cfg.alerts.model_dump(),
                    "appointments": cfg.appointments.model_dump(),
                    # the skills table (service/staffing.skills): window → what it may serve
                    "may_serve": {str(w.number): sorted(w.may_serve) for w in cfg.windows
                                  if w.may_serve is not None},
                    # closed all day (service/opening.holidays)
                    "holidays": [d.isoformat() for d in cfg.holidays]}
    site.ticket_layout = cfg.ticket.model_dump()
    session.flush()
    return site


def _upsert_categories(session: Session, site: Site, cfg: SiteSettings,
                       changes: list[str]) -> dict[str, Category]:
    existing = {c.code: c for c in session.scalars(select(Category).where(Category.site_id == site.id))}
    for position, cc in enumerate(cfg.categories):
        cat = existing.get(cc.code)
        if cat is None:
            cat = Category(site_id=site.id, code=cc.code)
            session.add(cat)
            existing[cc.code] = cat
            changes.append(f"category {cc.code} created")
        cat.prefix, cat.name_zh, cat.name_en = cc.prefix, cc.name_zh, cc.name_en
        cat.daily_cap, cat.wait_target_minutes = cc.daily_cap, cc.wait_target_minutes
        cat.service_minutes, cat.hours, cat.location = cc.service_minutes, cc.hours, cc.location
        cat.position, cat.enabled = position, True
    for code, cat in existing.items():
        if code not in {c.code for c in cfg.categories} and cat.enabled:
            cat.enabled = False
            changes.append(f"category {code} disabled")
    session.flush()
    return existing


def _upsert_windows(session: Session, site: Site, cfg: SiteSettings,
                    categories: dict[str, Category], changes: list[str]) -> None:
    existing = {w.number: w for w in session.scalars(select(Window).where(Window.site_id == site.id))}
    for wc in cfg.windows:
        window = existing.get(wc.number)
        if window is None:
            window = Window(site_id=site.id, number=wc.number, state="closed", priority_streak=0)
            session.add(window)
            changes.append(f"window {wc.number} created")
        window.name_zh = wc.name_zh or f"{wc.number}号窗口"
        window.name_en = wc.name_en or f"Window {wc.number}"
        window.enabled = True
        wanted = {(categories[c].id, "A") for c in wc.a} | {(categories[c].id, "B") for c in wc.b}
        if {(x.category_id, x.role) for x in window.categories} != wanted:
            window.categories = [WindowCategory(category_id=i, role=r) for i, r in sorted(wanted)]
    for number, window in existing.items():
        if number not in {w.number for w in cfg.windows} and window.enabled:
            window.enabled = False
            changes.append(f"window {number} disabled")
    session.flush()


def _upsert_devices(session: Session, site: Site, cfg: SiteSettings, changes: list[str]) -> None:
    existing = {d.code: d for d in session.scalars(select(Device).where(Device.site_id == site.id))}
    wanted = [(k.code, "kiosk", k.name, {"printer": k.printer}) for k in cfg.kiosks]
    # a screen's window, voice template and notice (service/devices.screen_settings reads them)
    wanted += [(s.code, f"{s.kind}_screen", s.name, s.model_dump(exclude={"code", "name", "kind"}))
               for s in cfg.screens]
    for code, kind, name, settings in wanted:
        device = existing.get(code)
        if device is None:
            device = Device(site_id=site.id, code=code)
            session.add(device)
            changes.append(f"device {code} created")
        device.kind, device.name, device.settings, device.enabled = kind, name, settings, True
    for code, device in existing.items():
        if code not in {w[0] for w in wanted} and device.enabled:
            device.enabled = False
            changes.append(f"device {code} disabled")
    session.flush()
