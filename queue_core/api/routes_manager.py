"""The manager's API: rebalancing during peaks, alerts (电子监察), devices and the audit trail.
(Opening, pausing and closing a window are the window endpoints, open to managers.)"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from ..domain.rights import Right
from ..service import alerts, audit, rebalance
from . import api
from .auth import hall
from .endpoint import endpoint
from .routes_hall import reading
from .schemas import Body

S = "/sites/<site>"
CategoryCode = Annotated[str, Field(min_length=1, max_length=32)]
MAX_SEQ = 2**31 - 1


class BPost(Body):
    window: int = Field(ge=1, le=999)
    category: CategoryCode


class BPostsBody(Body):
    posts: list[BPost] = Field(min_length=1, max_length=20,
                               description="B posts to add, e.g. the staffing advice's steps")


class WindowCategoriesBody(Body):
    a: list[CategoryCode] = Field(min_length=1, max_length=50, description="A (primary) work")
    b: list[CategoryCode] = Field(default_factory=list, max_length=50,
                                  description="B (backup) work")


class BackupOverrideBody(Body):
    override: StrictBool | None = Field(description="true: B posts take this category now; false: "
                                              "never; null: automatic (岗位AB角 rules)")


class DailyCapBody(Body):
    daily_cap: int = Field(ge=0, le=9999, description="限号; not below today's issued count")


class MoveWaitingBody(Body):
    to: CategoryCode = Field(description="category code the tickets move to")
    count: int | None = Field(None, ge=1, le=9999,
                              description="how many of the longest waiting; null: all")


class Query(BaseModel):
    model_config = ConfigDict(extra="ignore")  # ?lang=en is for the error messages


class AlertsQuery(Query):
    open: bool = Field(False, description="1: only alerts whose condition still holds")
    limit: int = Field(200, ge=1, le=1000)


class AuditQuery(Query):
    since: int = Field(0, ge=0, le=MAX_SEQ, description="only events after this sequence number")
    before: int | None = Field(None, ge=1, le=MAX_SEQ, description="page back: events before it")
    limit: int = Field(100, ge=1, le=1000)


@endpoint(api, f"{S}/windows/b-posts", "POST", tag="manager", right=Right.MANAGE, body=BPostsBody,
          summary="Add B posts to windows in one transaction (the staffing advice applied)")
def add_b_posts(actor, site: str, body: BPostsBody) -> dict:
    return {"windows": rebalance.add_b_posts(hall().uow(), site,
                                             [(p.window, p.category) for p in body.posts], actor)}


@endpoint(api, f"{S}/windows/<id:number>/categories", "POST", tag="manager", right=Right.MANAGE,
          body=WindowCategoriesBody, summary="Set the A and B categories a window serves")
def window_categories(actor, site: str, number: int, body: WindowCategoriesBody) -> dict:
    return rebalance.set_window_categories(hall().uow(), site, number, body.a, body.b, actor)


@endpoint(api, f"{S}/categories/<code>/backup", "POST", tag="manager", right=Right.MANAGE,
          body=BackupOverrideBody, summary="Force a category's B posts on or off, or automatic")
def backup_override(actor, site: str, code: str, body: BackupOverrideBody) -> dict:
    return rebalance.set_backup_override(hall().uow(), site, code, body.override, actor)


@endpoint(api, f"{S}/categories/<code>/daily-cap", "POST", tag="manager", right=Right.MANAGE,
          body=DailyCapBody, summary="Change a category's daily cap (限号)")
def daily_cap(actor, site: str, code: str, body: DailyCapBody) -> dict:
    return rebalance.set_daily_cap(hall().uow(), site, code, body.daily_cap, actor)


@endpoint(api, f"{S}/categories/<code>/move-waiting", "POST", tag="manager", right=Right.MANAGE,
          body=MoveWaitingBody,
          summary="Move waiting tickets to another category, keeping numbers and places")
def move_waiting(actor, site: str, code: str, body: MoveWaitingBody) -> dict:
    return rebalance.move_waiting(hall().uow(), site, code, body.to, body.count, actor)


@endpoint(api, f"{S}/alerts", tag="manager", right=Right.MANAGE, query=AlertsQuery,
          summary="Alerts (电子监察), newest first; ?open=1 for those still holding")
def list_alerts(actor, site: str, query: AlertsQuery) -> list:
    return reading(alerts.list_alerts, site, query.open, query.limit)


@endpoint(api, f"{S}/alerts/<id:alert_id>/acknowledge", "POST", tag="manager", right=Right.MANAGE,
          summary="Acknowledge an alert (it stays open until its condition ends)")
def acknowledge_alert(actor, site: str, alert_id: int) -> dict:
    return alerts.acknowledge(hall().uow(), site, alert_id, actor)


@endpoint(api, f"{S}/devices", tag="manager", right=Right.MANAGE,
          summary="Kiosks and screens: online, last seen, a kiosk's printer status")
def devices(actor, site: str) -> list:
    return reading(alerts.devices_overview, site, hall().clock.now())


@endpoint(api, f"{S}/audit", tag="manager", right=Right.MANAGE, query=AuditQuery,
          summary="The audit trail: events with who did them, newest first")
def audit_trail(actor, site: str, query: AuditQuery) -> list:
    return reading(audit.audit_trail, site, query.since, query.before, query.limit)
