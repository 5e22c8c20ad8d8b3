"""Read-only views of the hall: categories with waits, windows, ticket status, events, stats."""
from __future__ import annotations

from datetime import date, datetime


from sqlalchemy import Row, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from ..adapters.orm import Appointment, Category, Device, Event, Site, Ticket, Window
from ..domain import lookup_code
from ..domain.errors import CategoryPaused, NoTicketForCode, NotFound
from ..domain.estimate import wait_level
from ..domain.model import PriorityClass, TicketStatus
from ..domain.events import EventKind
from ..domain.policy import call_order
from ..domain.stats import mean
from . import print_jobs
from .opening import category_hours, days_span, refusal, site_hours, today
from .queue_state import (CLASS_RANK, HallState, candidates_for, estimate, find_window,
                          first_waiting, hall_state, issued_counts, paused_because, people_ahead,
                          queue_heads, todays_ticket, windows_of)
from .reports import site_report
from .unit_of_work import event_json
from .views import category_names, staff_ticket_view, ticket_view, wait_json


def get_site(session: Session, code: str) -> Site:
    site = session.scalars(select(Site).where(Site.code == code)).first()
    if site is None:
        raise NotFound(what="site", key=code)
    return site


def list_sites(session: Session) -> list[dict]:
    return [{"code": s.code, "name_zh": s.name_zh, "name_en": s.name_en, "timezone": s.timezone,
             "opens": s.opens, "closes": s.closes}
            for s in session.scalars(select(Site).order_by(Site.id))]


def categories_overview(session: Session, site: Site, now: datetime) -> list[dict]:
    """Each category with its queue, a wait estimate for a new ticket and whether it issues now."""
    state = hall_state(session, site, now)
    day = today(site, now)
    issued = issued_counts(session, site, day)
    result = []
    for cat in state.categories.values():
        load = state.loads[cat.code]
        # the rule issuing applies, so a button is greyed out exactly when a tap is refused
        refused = refusal(site, cat, now, paused_because(state.windows, cat.id),
                          issued.get(cat.id, 0))
        unavailable = refused.code if refused else None
        wait = estimate(session, state, cat, load.waiting, day)
        result.append({**category_names(cat), "waiting": load.waiting,
                       "oldest_wait_seconds": int(load.oldest_wait.total_seconds()),
                       "wait_target_minutes": cat.wait_target_minutes,
                       "issued_today": issued.get(cat.id, 0), "daily_cap": cat.daily_cap,
                       "remaining_today": max(0, cat.daily_cap - issued.get(cat.id, 0)),
                       "estimated_wait_minutes": wait_json(wait),
                       "available": unavailable is None, "unavailable_reason": unavailable,
                       "pause_reason": refused.params["reason"]
                       if isinstance(refused, CategoryPaused) else None,
                       "hours": (category_hours(site, cat) or site_hours(site)).span,
                       "location": cat.location or None,
                       "backup_override": cat.backup_override,
                       "wait_level": wait_level(load.waiting, load.oldest_wait.total_seconds() / 60,
                                                wait[1] if wait else None,
                                                cat.wait_target_minutes)})
    return result


def ticket_status(session: Session, token: str, now: datetime) -> dict:
    """Public status behind the ticket's QR code: state, people ahead, window when called."""
    ticket = session.scalars(select(Ticket).where(Ticket.status_token == token)).first()
    if ticket is None:
        raise NotFound(what="ticket", key="token")
    site = session.get(Site, ticket.site_id)
    window = session.get(Window, ticket.window_id) if ticket.window_id else None
    ahead = people_ahead(session, ticket)
    wait = None
    if ticket.status == TicketStatus.WAITING:
        wait = estimate(session, hall_state(session, site, now), ticket.category, ahead,
                        ticket.service_date)
    view = ticket_view(ticket, ahead=ahead, estimate=wait, window=window)
    return {**view, "seq": site.event_seq,
            "site": {"code": site.code, "name_zh": site.name_zh, "name_en": site.name_en}}


_STATUS_VERSION = (select(Site.id, Site.event_seq).join(Ticket, Ticket.site_id == Site.id)
                   .where(Ticket.status_token == bindparam("token")))


def ticket_status_version(session: Session, token: str) -> str | None:
    """A tag that changes whenever the ticket's public status may have: its site's event
    number (every change is an event). One indexed read: a poll that changed nothing is cheap."""
    row = session.execute(_STATUS_VERSION, {"token": token}).first()
    return f"{row.id}.{row.event_seq}" if row else None


def ticket_by_lookup_code(session: Session, site: Site, text: str, now: datetime) -> dict:
    """查询码 at the service desk: the ticket of today a kiosk's abandoned request (or an
    appointment check-in) got, with the kiosk and its print job; NoTicketForCode when it got none."""
    code = lookup_code.parse(text)
    day = today(site, now)
    query = select(Ticket).where(Ticket.site_id == site.id, Ticket.service_date == day)
    if code.appointment:
        query = query.join(Appointment, Appointment.ticket_id == Ticket.id).where(
            Appointment.site_id == site.id, Appointment.code == code.appointment)
    else:  # the (site, day) index narrows it to today's tickets
        query = query.where(Ticket.request_id.startswith(code.request_id_prefix))
    ticket = session.scalars(query.order_by(Ticket.id.desc())).first()
    if ticket is None:
        raise NoTicketForCode(code=code.text)
    window = session.get(Window, ticket.window_id) if ticket.window_id else None
    kiosk = session.get(Device, ticket.device_id) if ticket.device_id else None
    job = print_jobs.own_job(session, ticket.id)
    return {"code": code.text, "ticket": staff_ticket_view(ticket, window),
            "kiosk": {"code": kiosk.code, "name": kiosk.name} if kiosk else None,
            "print_job": job.id if job else None}


def ticket_for_print(session: Session, site_code: str, ticket_id: int, now: datetime) -> dict:
    """A ticket of today, as printed (people ahead and estimate as of now)."""
    ticket = todays_ticket(session, get_site(session, site_code), ticket_id, now)
    return ticket_status(session, ticket.status_token, now)


RECENT_NO_SHOWS = 10


def window_view(session: Session, site: Site, window: Window, now: datetime,
                state: HallState | None = None) -> dict:
    """A window as its console and the manager see it."""
    state = state or hall_state(session, site, now)
    tickets = list(session.scalars(select(Ticket).where(
        Ticket.window_id == window.id, Ticket.service_date == today(site, now),
        Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING,
                           TicketStatus.SUSPENDED, TicketStatus.NO_SHOW]))))
    view = state.view(window)
    current = next((t for t in tickets if t.status in (TicketStatus.CALLED,
                                                        TicketStatus.SERVING)), None)
    no_shows = sorted((t for t in tickets if t.status == TicketStatus.NO_SHOW),
                      key=lambda t: t.finished_at or t.called_at, reverse=True)
    return {
        "number": window.number, "name_zh": window.name_zh, "name_en": window.name_en,
        "state": window.state, "pause_reason": window.pause_reason,
        "state_since": window.state_since.isoformat() if window.state_since else None,
        "a_categories": sorted(view.a_categories), "b_categories": sorted(view.b_categories),
        "posts": [{"post": p.post, "staff_id": p.staff_id, "name": p.staff.display_name,
                   "since": p.signed_in_at.isoformat()} for p in window.posts],
        "current": staff_ticket_view(current, window) if current else None,
        "suspended": [staff_ticket_view(t, window) for t in tickets
                      if t.status == TicketStatus.SUSPENDED],
        # 过号 here today, the latest first: what 过号重排 may put back in the queue
        "no_shows": [staff_ticket_view(t, window) for t in no_shows[:RECENT_NO_SHOWS]],
        "waiting": {code: state.loads[code].waiting
                    for code in sorted(view.a_categories | view.b_categories)},
    }


def windows_overview(session: Session, site: Site, now: datetime) -> list[dict]:
    state = hall_state(session, site, now)
    return [window_view(session, site, w, now, state) for w in windows_of(session, site)]


QUEUE_LIST = 50  # the staff console's queue list shows this many by default


def waiting_tickets(session: Session, site: Site, now: datetime, category: str | None = None,
                    window: int | None = None, limit: int = QUEUE_LIST) -> dict:
    """The first `limit` waiting tickets, oldest first, and how many wait in all; for a
    window, those it may call (its A and B categories' plus any transferred (转办) to it,
    without those reserved for another window) in the order its calls would take them, each
    with the rule that would call it (None: not callable by this window now, listed last).
    Reads at most `limit` tickets of each (category, class) queue, whatever their length."""
    day = today(site, now)
    if window is None:
        ids = list(session.scalars(select(Category.id).where(
            Category.site_id == site.id, *([Category.code == category] if category else []))
            .order_by(Category.id)))
        shown = [r.id for r in first_waiting(session, site, day, ids, limit)]
        return _listed(session, shown, None, _count_waiting(session, site, day, ids), limit)
    w = find_window(session, site, window)
    ids = sorted(w.category_ids("A") | w.category_ids("B"))
    state = hall_state(session, site, now)
    fronts = candidates_for(session, site, w, state, now, depth=limit)
    # Each queue's first `limit` are enough: a call takes a queue's head, so the first `limit`
    # calls take at most `limit` from any queue; the rest (not callable now) oldest first.
    order = call_order(state.view(w), fronts, state.loads, state.rules)[:limit]
    rules = {c.ticket_id: c.rule for c in order}
    rest = sorted((c for c in fronts if c.ticket_id not in rules),
                  key=lambda c: (-c.waited, c.ticket_id))
    shown = [*rules, *(c.ticket_id for c in rest)][:limit]
    total = _count_waiting(session, site, day, ids, w.id)
    return _listed(session, shown, rules, total, limit)


# Today's waiting tickets transferred (转办) to a window of the site: few, read through the
# partial index of transfers (ix_tickets_target), one seek per window.
_TRANSFERRED = select(Ticket.target_window_id, Ticket.category_id).where(
    Ticket.target_window_id.in_(select(Window.id).where(Window.site_id == bindparam("site_id"))),
    Ticket.site_id == bindparam("site_id"), Ticket.service_date == bindparam("day"),
    Ticket.status == TicketStatus.WAITING)


def _count_waiting(session: Session, site: Site, day: date, category_ids: list[int],
                   window_id: int | None = None) -> int:
    """Waiting tickets of these categories (for a window: less those reserved for another
    window, plus those transferred to it), counted in the index without reading a ticket."""
    n = session.scalar(select(func.count()).where(
        Ticket.site_id == site.id, Ticket.service_date == day,
        Ticket.status == TicketStatus.WAITING, Ticket.category_id.in_(category_ids)))
    if window_id is None:
        return n
    for target, category in session.execute(_TRANSFERRED, {"site_id": site.id, "day": day}):
        mine = category in category_ids
        n += (target == window_id and not mine) - (target != window_id and mine)
    return n


def _listed(session: Session, shown: list[int], rules: dict | None, total: int,
            limit: int) -> dict:
    """The shown tickets in that order (with their call rule for a window's list)."""
    tickets = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(shown)))
               } if shown else {}
    rows = [staff_ticket_view(tickets[i]) if rules is None
            else {**staff_ticket_view(tickets[i]), "call_rule": rules.get(i)} for i in shown]
    return {"tickets": rows, "total": total, "limit": limit}


def events_since(session: Session, site: Site, since: int, limit: int) -> dict:
    """Events after sequence number `since`: how screens catch up after a gap."""
    rows = session.scalars(select(Event).where(Event.site_id == site.id, Event.seq > since)
                           .order_by(Event.seq).limit(limit))
    events = [event_json(e) for e in rows]
    return {"events": events, "last_seq": site.event_seq,
            "more": bool(events) and events[-1]["seq"] < site.event_seq}



def stats_today(session: Session, site: Site, now: datetime) -> dict:
    """Today's figures per category (the day's report, from the event log) with who waits now."""
    day = today(site, now)
    report = site_report(session, site, day, day, now)
    state = hall_state(session, site, now)
    rows = [{**r, "waiting": state.loads[r["category"]].waiting if r["category"] in state.loads
             else 0} for r in report["categories"]]
    totals = {k: sum(r[k] for r in rows)
              for k in ("issued", "called", "served", "no_show", "cancelled", "waiting")}
    # 达标率 exactly as the day's report has it (domain/stats.target_outcome)
    totals.update({k: report["totals"][k]
                   for k in ("within_target", "over_target", "within_target_share")})
    return {"service_date": day.isoformat(), "categories": rows, "totals": totals}


def _round(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None


def screen_snapshot(session: Session, site: Site, now: datetime, recent: int = 8) -> dict:
    """What a hall or window screen shows, read in one transaction with the sequence number it
    is current to: the screen applies later events (seq > last_seq) on top of it. Nothing
    personal: numbers, categories, windows and staff names only."""
    last_seq = site.event_seq
    state = hall_state(session, site, now)
    day = today(site, now)
    active = {t.window_id: t for t in session.scalars(select(Ticket).where(
        Ticket.site_id == site.id, Ticket.service_date == day,
        Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]))
        .order_by(Ticket.called_at))}
    start, _ = days_span(site, day)
    calls = session.execute(_RECENT_CALLS, {"site_id": site.id, "start": start, "n": recent})
    return {
        # the site's zone: a screen shows the hall's time whatever zone its own clock is set to
        "site": {"code": site.code, "name_zh": site.name_zh, "name_en": site.name_en,
                 "timezone": site.timezone},
        "last_seq": last_seq,
        "service_date": day.isoformat(),
        "categories": [{**category_names(c), "waiting": state.loads[c.code].waiting}
                       for c in state.categories.values()],
        "windows": [_screen_window(w, active.get(w.id)) for w in windows_of(session, site)],
        "recent_calls": [{"seq": e.seq, "type": e.type, "at": e.at.isoformat(),
                          "number": e.payload.get("number"), "window": e.payload.get("window"),
                          "category": e.payload.get("category")} for e in calls],
        "next_up": next_up(session, site, day, state.categories),
    }


# The last calls of today: the latest :n of each kind (ix_events_type, read backwards) and of
# those today's, whatever the size of the day or of the history.
_LATEST = union_all(*[select(Event.seq, Event.type, Event.at, Event.payload)
                      .where(Event.site_id == bindparam("site_id"), Event.type == kind)
                      .order_by(Event.seq.desc()).limit(bindparam("n"))
                      .subquery(f"latest_{kind}").select()
                      for kind in (EventKind.CALLED, EventKind.RECALLED)]).subquery("latest")
_RECENT_CALLS = (select(_LATEST).where(_LATEST.c.at >= bindparam("start"))
                 .order_by(_LATEST.c.seq.desc()).limit(bindparam("n")))


def next_up(session: Session, site: Site, day: date,
            categories: dict[int, Category]) -> list[dict]:
    """请…准备: the ticket each category calls next (appointments, then priority groups, then by
    arrival; the order people_ahead counts in), the longest waiting first. From the head of
    each (category, class) queue: one index seek each."""
    first: dict[int, Row] = {}
    for r in queue_heads(session, site, day, sorted(categories)):
        key = (CLASS_RANK[PriorityClass(r.priority_class)], r.queued_at, r.id)
        best = first.get(r.category_id)
        if best is None or key < (CLASS_RANK[PriorityClass(best.priority_class)],
                                  best.queued_at, best.id):
            first[r.category_id] = r
    return [{"number": r.number, "category": categories[r.category_id].code}
            for r in sorted(first.values(), key=lambda r: (r.queued_at, r.id))]


def _screen_window(window: Window, ticket: Ticket | None) -> dict:
    """Of the staff, only what a window screen shows by law: name, 工号 and photo."""
    return {"number": window.number, "name_zh": window.name_zh, "name_en": window.name_en,
            "state": window.state, "pause_reason": window.pause_reason,
            "posts": [{"post": p.post, "name": p.staff.display_name,
                       "staff_number": p.staff.staff_number, "photo": p.staff.photo_key}
                      for p in window.posts],
            "current": {"ticket_id": ticket.id, "number": ticket.number, "status": ticket.status,
                        "category": ticket.category.code,
                        "called_at": ticket.called_at.isoformat() if ticket.called_at else None}
            if ticket else None}


def window_stats_today(session: Session, site: Site, window: Window, now: datetime) -> dict:
    """Today's work at one window, from the event log: what its console shows."""
    start, end = days_span(site, today(site, now))
    rows = session.execute(select(Event.type, Event.payload).where(
        Event.site_id == site.id, Event.window_id == window.id, Event.at >= start, Event.at < end,
        Event.type.in_(["called", "recalled", "finished", "no_show", "transferred"])))
    counts = {"called": 0, "recalled": 0, "finished": 0, "no_show": 0, "transferred": 0}
    services: list[float] = []
    for type_, payload in rows:
        counts[type_] += 1
        if type_ == "finished" and payload.get("service_seconds") is not None:
            services.append(payload["service_seconds"] / 60)
    return {"window": window.number, "service_date": today(site, now).isoformat(), **counts,
            "avg_service_minutes": _round(mean(services))}
