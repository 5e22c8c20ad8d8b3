"""The queue as the domain sees it: category loads, call candidates and wait estimates."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from datetime import date, datetime, timedelta

from sqlalchemy import (Connection, Row, Select, bindparam, case, false, func, or_, select,
                        union_all)
from sqlalchemy.orm import Session

from ..adapters.orm import Category, PostAssignment, Site, Ticket, Window, WindowCategory
from ..domain.errors import NotFound
from ..domain.estimate import WaitRange, service_minutes, wait_range
from ..domain.model import PriorityClass, TicketStatus, WindowState
from ..domain.policy import Candidate, CallRules, CategoryLoad, WindowView, backup_trigger
from .opening import today

MEASURED_SAMPLE = 20  # recent services that set a category's measured service time


def call_rules(site: Site) -> CallRules:
    c = site.calling or {}
    return CallRules(backlog_per_a_window=c.get("backlog_per_a_window", 8),
                     priority_streak_cap=c.get("priority_streak_cap", 3),
                     b_overtake=timedelta(minutes=c.get("b_overtake_minutes", 15)),
                     idle_pull_b=c.get("idle_pull_b", True))


def categories_of(session: Session, site: Site) -> list[Category]:
    return list(session.scalars(select(Category).where(
        Category.site_id == site.id, Category.enabled.is_(True)).order_by(Category.position)))


def windows_of(session: Session, site: Site) -> list[Window]:
    return list(session.scalars(select(Window).where(
        Window.site_id == site.id, Window.enabled.is_(True)).order_by(Window.number)))


@dataclass(frozen=True)
class WindowLoad:
    """A window as the policy and the estimates see it (read with plain rows: this is the hot
    path of every issue and call)."""

    id: int
    number: int
    state: str
    priority_streak: int
    a_ids: frozenset[int]
    b_ids: frozenset[int]
    posts: frozenset[str]
    pause_reason: str | None = None

    def category_ids(self, role: str) -> frozenset[int]:
        return self.a_ids if role == "A" else self.b_ids

    @property
    def is_staffed(self) -> bool:
        return self.state == WindowState.OPEN and bool(self.posts)

    @property
    def has_a_post(self) -> bool:
        return self.state == WindowState.OPEN and "A" in self.posts


# The hot path's statements are built once, with bound parameters: every issue and call runs
# them, and building a statement costs SQLAlchemy more than running it on SQLite.
_WINDOW_ROWS = (select(Window.id, Window.number, Window.state, Window.priority_streak,
                       Window.pause_reason, WindowCategory.category_id, WindowCategory.role,
                       PostAssignment.post)
                .outerjoin(PostAssignment, PostAssignment.window_id == Window.id)
                .where(Window.site_id == bindparam("site_id"), Window.enabled.is_(True))
                .order_by(Window.number))
_ALL_WINDOWS = _WINDOW_ROWS.outerjoin(WindowCategory, WindowCategory.window_id == Window.id)
_WINDOWS_SERVING = _WINDOW_ROWS.join(
    WindowCategory, (WindowCategory.window_id == Window.id)
    & (WindowCategory.category_id == bindparam("category_id")))


def window_loads(session: Session, site: Site, category_id: int | None = None) -> list[WindowLoad]:
    """The enabled windows with their categories and signed-in posts, in one statement (a row
    per window, category and post); only the windows serving `category_id` when given. Read
    fresh every time, so a rebalance or a sign-in is seen by the very next issue or call."""
    query, params = ((_ALL_WINDOWS, {"site_id": site.id}) if category_id is None else
                     (_WINDOWS_SERVING, {"site_id": site.id, "category_id": category_id}))
    windows: dict[int, Row] = {}
    roles: dict[tuple[int, str], set[int]] = {}
    posts: dict[int, set[str]] = {}
    for row in session.execute(query, params):
        windows.setdefault(row.id, row)
        if row.category_id is not None:
            roles.setdefault((row.id, row.role), set()).add(row.category_id)
        if row.post is not None:
            posts.setdefault(row.id, set()).add(row.post)
    return [WindowLoad(w.id, w.number, w.state, w.priority_streak,
                       frozenset(roles.get((w.id, "A"), ())), frozenset(roles.get((w.id, "B"), ())),
                       frozenset(posts.get(w.id, ())), w.pause_reason) for w in windows.values()]


def paused_because(windows: list[WindowLoad], category_id: int) -> str | None:
    """暂停办理: the reason when no window serving the category is open and one is paused (a
    window closed for the day alone does not stop tickets: the queue waits for the staff)."""
    serving = [w for w in windows if category_id in w.a_ids or category_id in w.b_ids]
    if any(w.state == WindowState.OPEN for w in serving):
        return None
    return next((w.pause_reason or "" for w in serving if w.state == WindowState.PAUSED), None)


@dataclass(frozen=True)
class HallState:
    """One consistent read of what the policy and the estimates need."""

    categories: dict[int, Category]
    windows: list[WindowLoad]
    loads: dict[str, CategoryLoad]
    rules: CallRules

    def view(self, window: Window | WindowLoad) -> WindowView:
        codes = lambda role: frozenset(self.categories[i].code for i in window.category_ids(role)
                                       if i in self.categories)
        return WindowView(window.number, codes("A"), codes("B"), window.priority_streak)

    def serving_windows(self, category: Category) -> tuple[int, int]:
        """(A windows, active backup windows) serving `category` now."""
        active_b = backup_trigger(self.loads.get(category.code), self.rules) is not None
        a = sum(1 for w in self.windows if w.has_a_post and category.id in w.a_ids)
        b = sum(1 for w in self.windows if w.is_staffed and category.id in w.b_ids)
        return a, (b if active_b else 0)

    def planned_windows(self, category: Category) -> int:
        """Windows configured for `category` as A posts (as B when it has no A window), staffed
        or not: what the estimate goes by before anyone serving it signs in."""
        return (sum(1 for w in self.windows if category.id in w.a_ids)
                or sum(1 for w in self.windows if category.id in w.b_ids))


_QUEUE = (func.count().label("n"), func.min(Ticket.queued_at).label("oldest"))
_QUEUE_OF_CATEGORY = select(*_QUEUE).where(
    Ticket.site_id == bindparam("site_id"), Ticket.service_date == bindparam("day"),
    Ticket.status == TicketStatus.WAITING, Ticket.category_id == bindparam("category_id"))


_WAITING_BY_CATEGORY = (select(Ticket.category_id, *_QUEUE)
                        .where(Ticket.site_id == bindparam("site_id"),
                               Ticket.service_date == bindparam("day"),
                               Ticket.status == TicketStatus.WAITING)
                        .group_by(Ticket.category_id).subquery())
# The categories and their queues in one statement (a left join on the counts): the enabled
# ones, and a disabled one while applicants it already gave tickets to still wait (disabling
# stops issuing, not calling).
_CATEGORIES_AND_QUEUES = (
    select(Category, _WAITING_BY_CATEGORY.c.n, _WAITING_BY_CATEGORY.c.oldest)
    .where(Category.site_id == bindparam("site_id"),
           or_(Category.enabled.is_(True), _WAITING_BY_CATEGORY.c.n > 0))
    .outerjoin(_WAITING_BY_CATEGORY, _WAITING_BY_CATEGORY.c.category_id == Category.id)
    .order_by(Category.position))


def hall_state(session: Session, site: Site, now: datetime, category: Category | None = None,
               windows: list[WindowLoad] | None = None,
               queue: tuple[int, datetime | None] | None = None) -> HallState:
    """The hall as the policy and the estimates see it, in two statements. With `category`:
    only that category and the windows serving it (`windows`, when already read; `queue`, its
    waiting count and oldest arrival, likewise) — enough for its wait estimate (the issue
    path), not for a window's view of the hall."""
    params = {"site_id": site.id, "day": today(site, now)}
    if category is not None:
        n, oldest = queue if queue is not None else session.execute(
            _QUEUE_OF_CATEGORY, {**params, "category_id": category.id}).one()
        rows = [(category, n, oldest)]
    else:
        rows = session.execute(_CATEGORIES_AND_QUEUES, params).all()
    categories = {cat.id: cat for cat, _, _ in rows}
    if windows is None:
        windows = window_loads(session, site, category.id if category is not None else None)
    loads = {}
    for cat, n, oldest in rows:
        loads[cat.code] = CategoryLoad(
            code=cat.code, waiting=n or 0,
            oldest_wait=(now - oldest) if oldest else timedelta(0),
            wait_target=timedelta(minutes=cat.wait_target_minutes),
            staffed_a_windows=sum(1 for w in windows if w.has_a_post and cat.id in w.a_ids),
            backup_override=cat.backup_override)
    return HallState(categories, windows, loads, call_rules(site))


_CANDIDATE_COLUMNS = (Ticket.id, Ticket.category_id, Ticket.priority_class, Ticket.queued_at,
                      Ticket.target_window_id, Ticket.number)
_WAITING_TODAY = (Ticket.site_id == bindparam("site_id"), Ticket.service_date == bindparam("day"),
                  Ticket.status == TicketStatus.WAITING)


def _fronts(categories: int, depth, *where) -> list[Select]:
    """The first `depth` tickets of each (category, class) queue (categories bound as cat_0,
    cat_1, ...), one index range each (ix_tickets_waiting)."""
    return [select(*_CANDIDATE_COLUMNS)
            .where(*_WAITING_TODAY, Ticket.category_id == bindparam(f"cat_{i}"),
                   Ticket.priority_class == str(cls), *where)
            .order_by(Ticket.queued_at, Ticket.id).limit(depth)
            .subquery(f"front_{i}_{cls}").select()  # SQLite: a LIMIT inside a UNION needs its own SELECT
            for i in range(categories) for cls in PriorityClass]


@cache
def _heads_of(categories: int, listing: bool = False) -> Select:
    """The candidates of a window with `categories` categories, in one statement: the tickets
    transferred to the window and the head of each (category, class) queue — one index seek
    each, so a call costs the same with 10 or 3,000 waiting. `listing`: the first :depth of
    each instead (a window's queue list). Built once per number of categories."""
    targeted = select(*_CANDIDATE_COLUMNS).where(
        *_WAITING_TODAY, Ticket.target_window_id == bindparam("window_id"))
    if listing:
        targeted = (targeted.order_by(Ticket.queued_at, Ticket.id).limit(bindparam("depth"))
                    .subquery("targeted").select())
    return union_all(targeted, *_fronts(categories, bindparam("depth") if listing else 1,
                                        Ticket.target_window_id.is_(None)))


@cache
def _fronts_of(categories: int) -> Select:
    """The first :depth waiting tickets of the `categories` categories by arrival (transferred
    ones too), merged from each (category, class) queue's first :depth."""
    merged = union_all(*_fronts(categories, bindparam("depth"))).subquery("fronts")
    return select(merged).order_by(merged.c.queued_at, merged.c.id).limit(bindparam("depth"))


def _by_category(category_ids: Sequence[int]) -> dict:
    return {f"cat_{i}": c for i, c in enumerate(category_ids)}


def candidates_for(session: Session, site: Site, window: Window, state: HallState,
                   now: datetime, depth: int | None = None) -> list[Candidate]:
    """Waiting tickets this window might call: the head of each (category, class) queue,
    plus every ticket transferred to this window (all the policy looks at). With `depth`, the
    first `depth` of each queue and of the transferred: enough for the first `depth` calls."""
    category_ids = sorted(window.category_ids("A") | window.category_ids("B"))
    params = {"site_id": site.id, "day": today(site, now), "window_id": window.id,
              **_by_category(category_ids)}
    if depth is not None:
        params["depth"] = depth
    rows = session.execute(_heads_of(len(category_ids), depth is not None), params)
    return [Candidate(ticket_id=r.id, category=state.categories[r.category_id].code,
                      priority_class=PriorityClass(r.priority_class), waited=now - r.queued_at,
                      target_window=window.number if r.target_window_id else None,
                      number=r.number)
            for r in rows]


@cache
def _queue_heads(categories: int) -> Select:
    return union_all(*_fronts(categories, 1))


def queue_heads(session: Session, site: Site, day: date,
                category_ids: Sequence[int]) -> list[Row]:
    """The head of each (category, class) queue of these categories, transferred tickets
    included (columns as `first_waiting`): one index seek each."""
    if not category_ids:
        return []
    return list(session.execute(_queue_heads(len(category_ids)), {
        "site_id": site.id, "day": day, **_by_category(category_ids)}))


def first_waiting(session: Session, site: Site, day: date, category_ids: Sequence[int],
                  depth: int) -> list[Row]:
    """The first `depth` waiting tickets of these categories by arrival (id, category_id,
    priority_class, queued_at, target_window_id, number): reads at most `depth` per queue."""
    if not category_ids:
        return []
    return list(session.execute(_fronts_of(len(category_ids)), {
        "site_id": site.id, "day": day, "depth": depth, **_by_category(category_ids)}))


CLASS_RANK = {PriorityClass.APPOINTMENT: 0, PriorityClass.PRIORITY: 1, PriorityClass.NORMAL: 2}


def people_ahead(session: Session, ticket: Ticket) -> int:
    """Waiting tickets of the same category that will be called before this one."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    return session.scalar(_ahead_of(ticket.priority_class), _ticket_params(ticket)) or 0


def queue_and_ahead(session: Session, ticket: Ticket) -> tuple[int, int, datetime | None]:
    """(people ahead of `ticket`, its category's waiting count, the oldest arrival among them)
    in one statement: a ticket's estimate needs all three (the issue path)."""
    ahead, n, oldest = session.execute(_queue_and_ahead(ticket.priority_class),
                                       _ticket_params(ticket)).one()
    return (ahead if ticket.status == TicketStatus.WAITING else 0), n, oldest


def _ticket_params(ticket: Ticket) -> dict:
    return {"site_id": ticket.site_id, "day": ticket.service_date,
            "category_id": ticket.category_id, "ticket_id": ticket.id,
            "queued_at": ticket.queued_at}


def _called_before(priority_class: str):
    """A waiting ticket called before one of `priority_class` queued at :queued_at (bound), the
    order of the calls within a category: class, then arrival, then id."""
    rank = CLASS_RANK[PriorityClass(priority_class)]
    better = [str(c) for c, r in CLASS_RANK.items() if r < rank]
    queued_at, ticket_id = bindparam("queued_at"), bindparam("ticket_id")
    # equalities, not IN: an IN list is rendered into the SQL again at every execution
    return (Ticket.id != ticket_id) & (
        or_(false(), *(Ticket.priority_class == c for c in better))
        | ((Ticket.priority_class == priority_class)
           & ((Ticket.queued_at < queued_at)
              | ((Ticket.queued_at == queued_at) & (Ticket.id < ticket_id)))))


_WAITING_IN_CATEGORY = (Ticket.site_id == bindparam("site_id"),
                        Ticket.service_date == bindparam("day"),
                        Ticket.category_id == bindparam("category_id"),
                        Ticket.status == TicketStatus.WAITING)


@cache
def _ahead_of(priority_class: str) -> Select:
    """The count behind `people_ahead` for one class, built once (every issue asks for it, and
    building the expression cost more than running it)."""
    return select(func.count()).where(*_WAITING_IN_CATEGORY, _called_before(priority_class))


@cache
def _queue_and_ahead(priority_class: str) -> Select:
    """`queue_and_ahead`'s statement for one class, built once."""
    return select(func.count(case((_called_before(priority_class), 1))),
                  *_QUEUE).where(*_WAITING_IN_CATEGORY)


# With the site, one index range (ix_tickets_waiting: site, day, status, category); without it
# SQLite scanned the whole tickets table, every day's, on every issue.
_RECENT_SERVICES = (select(Ticket.started_at, Ticket.finished_at)
                    .where(Ticket.site_id == bindparam("site_id"),
                           Ticket.category_id == bindparam("category_id"),
                           Ticket.service_date == bindparam("day"),
                           Ticket.status == TicketStatus.DONE)
                    .order_by(Ticket.finished_at.desc()).limit(MEASURED_SAMPLE))


def measured_service_minutes(session: Session | Connection, category: Category,
                             day: date) -> list[float]:
    return measured_minutes(session.execute(_RECENT_SERVICES, {
        "site_id": category.site_id, "category_id": category.id, "day": day}))


def measured_minutes(rows: Iterable) -> list[float]:
    """Minutes of each of `_RECENT_SERVICES`' rows (started_at, finished_at) that has both."""
    return [(r.finished_at - r.started_at).total_seconds() / 60 for r in rows if r.started_at]


def estimate(session: Session | Connection, state: HallState, category: Category, ahead: int,
             day: date, measured: list[float] | None = None) -> WaitRange | None:
    """`measured`: the category's recent services' minutes, when already read."""
    if measured is None:
        measured = measured_service_minutes(session, category, day)
    minutes = service_minutes(category.service_minutes, measured)
    a, b = state.serving_windows(category)
    return wait_range(ahead, minutes, a, b, state.planned_windows(category))



def issued_counts(session: Session, site: Site, day: date) -> dict[int, int]:
    """Tickets issued today per category (as first issued: a transfer does not free a place)."""
    return dict(session.execute(
        select(Ticket.origin_category_id, func.count())
        .where(Ticket.site_id == site.id, Ticket.service_date == day)
        .group_by(Ticket.origin_category_id)).all())


_ISSUED_COUNT = select(func.count()).where(Ticket.origin_category_id == bindparam("category_id"),
                                           Ticket.service_date == bindparam("day"))


def issued_count(session: Session, category: Category, day: date) -> int:
    return session.scalar(_ISSUED_COUNT, {"category_id": category.id, "day": day}) or 0


_WINDOW_BY_NUMBER = select(Window).where(Window.site_id == bindparam("site_id"),
                                         Window.number == bindparam("number"),
                                         Window.enabled.is_(True))


def find_window(session: Session, site: Site, number: int) -> Window:
    window = session.scalars(_WINDOW_BY_NUMBER, {"site_id": site.id, "number": number}).first()
    if window is None:
        raise NotFound(what="window", key=number)
    return window


_CATEGORY_BY_CODE = select(Category).where(Category.site_id == bindparam("site_id"),
                                           Category.code == bindparam("code"),
                                           Category.enabled.is_(True))


def find_category(session: Session, site: Site, code: str) -> Category:
    category = session.scalars(_CATEGORY_BY_CODE, {"site_id": site.id, "code": code}).first()
    if category is None:
        raise NotFound(what="category", key=code)
    return category


def todays_ticket(session: Session, site: Site, ticket_id: int, now: datetime) -> Ticket:
    """A ticket of this site and service day; older ones are history, not actionable."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.site_id != site.id or ticket.service_date != today(site, now):
        raise NotFound(what="ticket", key=ticket_id)
    return ticket
