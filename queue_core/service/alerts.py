"""电子监察: raise alerts when the hall needs a manager, clear them when the condition ends,
and let a manager acknowledge them. Alerts are kept; every change is an event."""
from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from printers.status import severity as printer_severity


from ..adapters.orm import Alert, Device, Event, PrintJobRow, Site, Staff, Ticket
from ..domain import alerts as rules
from ..domain.errors import NotFound
from ..domain.events import EventKind
from .access import require_manager
from .day import roll_over
from .opening import category_hours, is_open, site_hours, today
from ..domain.calendar import local_time, minutes_after_midnight
from ..domain.estimate import service_minutes
from ..domain.model import TicketStatus
from .queue_state import HallState, hall_state, measured_service_minutes, windows_of
from .unit_of_work import Actor, UnitOfWork

SCREEN_KINDS = ("hall_screen", "window_screen", "evaluator_screen")


def alert_settings(site: Site) -> rules.Thresholds:
    """Thresholds of the site, stored by apply-config with its calling settings."""
    stored = (site.calling or {}).get("alerts", {})
    return rules.Thresholds(**{f.name: stored[f.name] for f in fields(rules.Thresholds)
                               if f.name in stored})


def sweep(uow: UnitOfWork, site_code: str) -> list[dict]:
    """Check the hall once: raise new alerts and clear ended ones; returns what changed."""
    with uow:
        site = uow.lock_site(site_code)
        roll_over(uow, site)
        changed = sweep_locked(uow, site)
        uow.commit()
        return changed


def sweep_locked(uow: UnitOfWork, site: Site) -> list[dict]:
    """The sweep inside a use case that already holds the site's lock (a printer report)."""
    open_alerts = {(a.kind, a.subject): a for a in uow.session.scalars(
        select(Alert).where(Alert.site_id == site.id, Alert.cleared_at.is_(None)))}
    plan = rules.reconcile({key: a.detail for key, a in open_alerts.items()},
                           conditions(uow.session, site, uow.now), now=uow.now,
                           gone_since={key: a.gone_since for key, a in open_alerts.items()},
                           settle=timedelta(seconds=alert_settings(site).clear_after_seconds))
    for key, since in plan.gone_since.items():
        open_alerts[key].gone_since = since
    changed = []
    for key in plan.clear:
        alert = open_alerts[key]
        alert.cleared_at = uow.now
        uow.record(EventKind.ALERT_CLEARED, alert=alert.id, kind=alert.kind, subject=alert.subject)
        changed.append(alert)
    for condition in plan.raise_:
        alert = Alert(site_id=site.id, kind=condition.kind, subject=condition.subject,
                      detail={**condition.detail, "level": condition.level}, raised_at=uow.now)
        uow.session.add(alert)
        uow.session.flush()
        uow.record(EventKind.ALERT_RAISED, alert=alert.id, kind=alert.kind, subject=alert.subject,
                   level=condition.level, detail=alert.detail)
        changed.append(alert)
    return [alert_view(a, _staff(uow.session, a.acknowledged_by)) for a in changed]


def unprinted_tickets(session: Session, site: Site, now: datetime) -> list[rules.UnprintedTicket]:
    """Today's waiting tickets whose own print failed or expired, with no marked copy printed."""
    reprinted = select(PrintJobRow.ticket_id).where(PrintJobRow.copy > 0,
                                                    PrintJobRow.state == "printed")
    rows = session.execute(
        select(Ticket.number, PrintJobRow.printer_code, PrintJobRow.state)
        .join(PrintJobRow, PrintJobRow.ticket_id == Ticket.id)
        .where(Ticket.site_id == site.id, Ticket.service_date == today(site, now),
               Ticket.status == TicketStatus.WAITING, PrintJobRow.copy == 0,
               PrintJobRow.state.in_(("failed", "expired")), Ticket.id.not_in(reprinted))
        .order_by(Ticket.number))
    return [rules.UnprintedTicket(*row) for row in rows]


def conditions(session: Session, site: Site, now: datetime) -> list[rules.Condition]:
    """Every alert condition that holds now."""
    settings = alert_settings(site)
    state = hall_state(session, site, now)
    codes = {cid: c.code for cid, c in state.categories.items()}
    watched = [_watch(w, codes) for w in windows_of(session, site)]
    absent = rules.a_posts_absent(state.loads.values(), watched)
    horizon = timedelta(minutes=settings.cover_horizon_minutes)
    thin = [c for c in rules.no_effective_cover(demands(session, site, state, now, horizon),
                                                watched, horizon)
            if c.subject not in {a.subject for a in absent}]  # nobody at all: a_post_absent says so
    found = [*rules.waits_over_target(state.loads.values()),
             *rules.windows_paused_too_long(watched, now,
                                            timedelta(minutes=settings.pause_minutes)),
             *absent, *thin,
             *rules.printer_faults(printer_statuses(session, site), printer_severity),
             *rules.tickets_not_printed(unprinted_tickets(session, site, now))]
    if is_open(site, now):  # screens switched off at night are not a fault
        screens = [rules.ScreenWatch(d.code, d.name, d.last_seen) for d in session.scalars(
            select(Device).where(Device.site_id == site.id, Device.enabled.is_(True),
                                 Device.kind.in_(SCREEN_KINDS)).order_by(Device.code))]
        found += rules.screens_offline(screens, now,
                                       timedelta(minutes=settings.screen_offline_minutes))
    return found


MIN_OBSERVED_MINUTES = 10  # a rate read off fewer minutes of arrivals is noise


def demands(session: Session, site: Site, state: HallState, now: datetime,
            horizon: timedelta) -> list[rules.Demand]:
    """Each category's expected arrivals over the coming horizon: the rate of its tickets over
    the last horizon (or since its hours began, when later), for the part of the horizon in
    which it still issues; none while the hall is closed."""
    if not is_open(site, now):
        return []
    at = minutes_after_midnight(local_time(now, site.timezone))
    ahead = horizon.total_seconds() / 60
    day = today(site, now)
    issued = dict(session.execute(
        select(Ticket.origin_category_id, func.count())
        .where(Ticket.site_id == site.id, Ticket.service_date == day,
               Ticket.issued_at >= now - horizon)
        .group_by(Ticket.origin_category_id)).all())
    result = []
    for category in state.categories.values():
        opens, closes = (category_hours(site, category) or site_hours(site)).minutes
        observed = max(MIN_OBSERVED_MINUTES, min(ahead, at - opens))
        issuing = max(0.0, min(at + ahead, closes) - max(at, opens)) / ahead
        load = state.loads.get(category.code)
        result.append(rules.Demand(
            category.code, issued.get(category.id, 0) * 60 / observed * issuing,
            service_minutes(category.service_minutes,
                            measured_service_minutes(session, category, day)),
            waiting=load.waiting if load else 0,
            backup_forced_off=bool(load and load.backup_override is False)))
    return result


def printer_statuses(session: Session, site: Site) -> dict[str, str]:
    """The last reported status of each printer of the site (from printer_status events)."""
    printer = Event.payload["printer"].as_string()
    latest = (select(func.max(Event.seq).label("seq"))
              .where(Event.site_id == site.id, Event.type == EventKind.PRINTER_STATUS)
              .group_by(printer).subquery())
    rows = session.scalars(select(Event.payload).join(latest, Event.seq == latest.c.seq)
                           .where(Event.site_id == site.id))
    return {p["printer"]: p["status"] for p in rows}


def acknowledge(uow: UnitOfWork, site_code: str, alert_id: int, actor: Actor) -> dict:
    """A manager has seen the alert; it stays open until its condition ends. Acknowledging
    again changes nothing (the first manager and time are kept)."""
    with uow:
        site = uow.lock_site(site_code)
        require_manager(actor, site)
        alert = uow.session.get(Alert, alert_id)
        if alert is None or alert.site_id != site.id:
            raise NotFound(what="alert", key=alert_id)
        if alert.acknowledged_at is None:
            alert.acknowledged_at = uow.now
            alert.acknowledged_by = actor.id if actor.kind == "staff" else None
            uow.record(EventKind.ALERT_ACKNOWLEDGED, actor=actor, alert=alert.id, kind=alert.kind,
                       subject=alert.subject)
            uow.commit()
        return alert_view(alert, _staff(uow.session, alert.acknowledged_by))


def list_alerts(session: Session, site: Site, open_only: bool, limit: int = 200) -> list[dict]:
    """Alerts newest first; `open_only`: those whose condition still holds."""
    query = (select(Alert, Staff).outerjoin(Staff, Staff.id == Alert.acknowledged_by)
             .where(Alert.site_id == site.id)
             .order_by(Alert.raised_at.desc(), Alert.id.desc()).limit(limit))
    if open_only:
        query = query.where(Alert.cleared_at.is_(None))
    return [alert_view(alert, staff) for alert, staff in session.execute(query)]


def alert_view(alert: Alert, staff: Staff | None) -> dict:
    iso = lambda t: t.isoformat() if t else None
    return {"id": alert.id, "kind": alert.kind, "subject": alert.subject, "detail": alert.detail,
            "raised_at": iso(alert.raised_at), "cleared_at": iso(alert.cleared_at),
            "acknowledged_at": iso(alert.acknowledged_at),
            "acknowledged_by": {"id": staff.id, "name": staff.display_name} if staff else None}


def _staff(session: Session, staff_id: int | None) -> Staff | None:
    return session.get(Staff, staff_id) if staff_id is not None else None


def _watch(window, codes: dict[int, str]) -> rules.WindowWatch:
    posts = {p.post for p in window.posts}
    is_open = window.state == "open"
    role = lambda r: frozenset(codes[i] for i in window.category_ids(r) if i in codes)
    return rules.WindowWatch(window.number, window.state, window.state_since, window.pause_reason,
                             has_a_post=is_open and "A" in posts, is_staffed=is_open and bool(posts),
                             a_categories=role("A"), b_categories=role("B"))


def devices_overview(session: Session, site: Site, now: datetime) -> list[dict]:
    """Kiosks and screens: online when seen within the screen-offline threshold; a kiosk's
    printer with its last reported status."""
    limit = timedelta(minutes=alert_settings(site).screen_offline_minutes)
    statuses = printer_statuses(session, site)
    result = []
    listed = select(Device).where(Device.site_id == site.id, Device.enabled.is_(True))
    for d in session.scalars(listed.order_by(Device.code)):
        printer = None
        if d.kind == "kiosk":
            # an in-server kiosk prints on its configured printer; a kiosk agent reports its
            # own printer under the kiosk's code
            code = (d.settings or {}).get("printer") or (d.code if d.code in statuses else None)
            if code:
                printer = {"code": code, "status": statuses.get(code, "unknown")}
        result.append({"code": d.code, "kind": d.kind, "name": d.name,
                       "online": d.last_seen is not None and now - d.last_seen <= limit,
                       "last_seen": d.last_seen.isoformat() if d.last_seen else None,
                       "printer": printer})
    return result
