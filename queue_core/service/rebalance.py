"""Rebalancing during peaks (manager only): a window's A and B categories, B posts forced on or
off, a daily cap, waiting tickets moved to another category. Each is one transaction with a
`rebalanced` event naming who did it, and takes effect for the very next call or issue.
(Opening, pausing and closing windows is windows.set_window_state, open to managers too.)"""
from __future__ import annotations

from sqlalchemy import select

from ..adapters.orm import Category, Ticket, WindowCategory
from ..domain.errors import CapBelowIssued, CategoryInBothPosts, InvalidInput
from ..domain.events import EventKind
from ..domain.model import Action, TicketStatus, next_status
from .access import require_manager
from .day import roll_over
from .queries import categories_overview, window_view
from .queue_state import find_category, find_window, issued_count, today
from .unit_of_work import Actor, UnitOfWork


def set_window_categories(uow: UnitOfWork, site_code: str, number: int, a: list[str],
                          b: list[str], actor: Actor) -> dict:
    """The categories a window serves as its A (primary) and B (backup) work."""
    a, b = _unique(a), _unique(b)
    if not a:
        raise InvalidInput(field="a")
    both = set(a) & set(b)
    if both:
        raise CategoryInBothPosts(category=sorted(both)[0])
    with uow:
        site = uow.lock_site(site_code)
        require_manager(actor, site)
        roll_over(uow, site)
        window = find_window(uow.session, site, number)
        wanted = {**{code: "A" for code in a}, **{code: "B" for code in b}}
        ids = {code: find_category(uow.session, site, code).id for code in wanted}
        old = _window_codes(uow, window)
        window.categories = [WindowCategory(category_id=ids[code], role=role)
                             for code, role in sorted(wanted.items())]
        uow.session.flush()
        uow.record(EventKind.REBALANCED, window=window, actor=actor, change="window_categories",
                   old=old, new={"a": sorted(a), "b": sorted(b)})
        uow.commit()
        return window_view(uow.session, site, window, uow.now)


def add_b_posts(uow: UnitOfWork, site_code: str, posts: list[tuple[int, str]],
                actor: Actor) -> list[dict]:
    """The staffing advice applied: each (window, category) becomes a B post of that window, all
    in one transaction, a `rebalanced` event per window changed. A post the window already has
    (as A or B) is left as it is."""
    with uow:
        site = uow.lock_site(site_code)
        require_manager(actor, site)
        roll_over(uow, site)
        wanted: dict[int, list[str]] = {}
        for number, code in posts:
            wanted.setdefault(number, []).append(code)
        changed = []
        for number, codes in sorted(wanted.items()):
            window = find_window(uow.session, site, number)
            old = _window_codes(uow, window)
            new = [c for c in _unique(codes) if c not in old["a"] and c not in old["b"]]
            if not new:
                continue
            for code in new:
                window.categories.append(WindowCategory(
                    category_id=find_category(uow.session, site, code).id, role="B"))
            uow.session.flush()
            uow.record(EventKind.REBALANCED, window=window, actor=actor,
                       change="window_categories", old=old,
                       new={"a": old["a"], "b": sorted(old["b"] + new)})
            changed.append(window)
        uow.commit()
        return [window_view(uow.session, site, w, uow.now) for w in changed]


def set_backup_override(uow: UnitOfWork, site_code: str, category_code: str,
                        override: bool | None, actor: Actor) -> dict:
    """Force the category's B posts on (True) or off (False), or back to automatic (None)."""
    with uow:
        site = uow.lock_site(site_code)
        require_manager(actor, site)
        roll_over(uow, site)
        category = find_category(uow.session, site, category_code)
        old, category.backup_override = category.backup_override, override
        uow.record(EventKind.REBALANCED, actor=actor, change="backup_override",
                   category=category.code, old=old, new=override)
        uow.commit()
        return _category_row(uow, site, category)


def set_daily_cap(uow: UnitOfWork, site_code: str, category_code: str, cap: int,
                  actor: Actor) -> dict:
    """限号: change the category's daily cap. It may not go below the tickets already issued
    today (those are promised to people in the hall); setting it equal stops issuing now. The
    cap stays until changed again or config.toml is applied again."""
    if cap < 0:
        raise InvalidInput(field="daily_cap", value=cap)
    with uow:
        site = uow.lock_site(site_code)
        require_manager(actor, site)
        roll_over(uow, site)
        category = find_category(uow.session, site, category_code)
        issued = issued_count(uow.session, category, today(site, uow.now))
        if cap < issued:
            raise CapBelowIssued(category=category.code, cap=cap, issued=issued)
        old, category.daily_cap = category.daily_cap, cap
        uow.record(EventKind.REBALANCED, actor=actor, change="daily_cap", category=category.code,
                   old=old, new=cap, issued_today=issued)
        uow.commit()
        return _category_row(uow, site, category)


def move_waiting(uow: UnitOfWork, site_code: str, from_code: str, to_code: str,
                 count: int | None, actor: Actor) -> dict:
    """Move the longest-waiting tickets of one category (all, or `count`) to another, like a
    转办: same number, same place by issue time; one `transferred` event per ticket, so each
    ticket's history and the screens stay right, and one `rebalanced` summary."""
    if count is not None and count < 1:
        raise InvalidInput(field="count", value=count)
    if from_code == to_code:
        raise InvalidInput(field="to", value=to_code)
    with uow:
        site = uow.lock_site(site_code)
        require_manager(actor, site)
        roll_over(uow, site)
        source = find_category(uow.session, site, from_code)
        target = find_category(uow.session, site, to_code)
        query = (select(Ticket).where(
            Ticket.site_id == site.id, Ticket.service_date == today(site, uow.now),
            Ticket.category_id == source.id, Ticket.status == TicketStatus.WAITING,
            Ticket.target_window_id.is_(None))  # reserved for a window: that window's business
            .order_by(Ticket.queued_at, Ticket.id).limit(count))
        moved = list(uow.session.scalars(query))
        for ticket in moved:
            ticket.status = next_status(ticket.status, Action.TRANSFER)
            ticket.category = target
            ticket.transfer_count += 1
            uow.record(EventKind.TRANSFERRED, ticket=ticket, actor=actor, from_category=source.code,
                       to_category=target.code, from_window=None, to_window=None,
                       rebalanced=True)
        numbers = [t.number for t in moved]
        if moved:
            uow.record(EventKind.REBALANCED, actor=actor, change="move_waiting",
                       category=source.code, to_category=target.code, requested=count,
                       moved=len(moved), numbers=numbers)
            uow.commit()
        return {"moved": len(moved), "numbers": numbers}


def _category_row(uow: UnitOfWork, site, category: Category) -> dict:
    return next(row for row in categories_overview(uow.session, site, uow.now)
                if row["code"] == category.code)


def _window_codes(uow: UnitOfWork, window) -> dict:
    codes = {c.id: c.code for c in uow.session.scalars(
        select(Category).where(Category.site_id == window.site_id))}
    return {role.lower(): sorted(codes[wc.category_id] for wc in window.categories
                                 if wc.role == role) for role in ("A", "B")}


def _unique(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(code.strip() for code in codes))
