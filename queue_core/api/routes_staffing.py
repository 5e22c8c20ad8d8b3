"""Staffing advice (排班建议) and what-if for managers: thin views over service.staffing."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..domain.rights import Right
from ..service import forecast, staffing
from . import api
from .auth import hall
from .endpoint import endpoint
from .schemas import Body, IsoDate

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class AdviceQuery(Body):
    date: IsoDate | None = Field(None, description="service day (YYYY-MM-DD); default today")
    target_minutes: float = Field(15, gt=0, le=240, description="wait target in minutes")
    target_share: float = Field(0.9, ge=0.5, lt=1, description="share to call within the target")
    source: Literal["recorded", "synthetic"] = Field(
        "recorded", description="the day's recorded arrivals (synthetic when it has none) or a "
                                "synthetic peak")
    seed: int = Field(1, ge=0, le=2**31 - 1, description="random seed: same seed, same answer")


class BPostsQuery(AdviceQuery):
    max_changes: int = Field(3, ge=1, le=6, description="B posts to add at most")


class OutlookQuery(Body):
    target_minutes: float = Field(15, gt=0, le=240, description="wait target in minutes")
    target_share: float = Field(0.9, ge=0.5, lt=1, description="share to call within the target")
    backtest_days: int = Field(10, ge=1, le=60, description="recorded days the back-test predicts")


class WhatIfBody(Body):
    category: str = Field(min_length=1, max_length=32, description="category code")
    extra_windows: int = Field(ge=1, le=20, description="windows opened for the category")
    from_: str | None = Field(None, alias="from", pattern=HHMM,
                              description="HH:MM the windows open; default now")
    date: IsoDate | None = Field(None, description="service day; default today")
    seed: int = Field(1, ge=0, le=2**31 - 1)
    target_minutes: float = Field(15, gt=0, le=240)


@endpoint(api, "/sites/<site>/staffing/advice", tag="staffing", right=Right.REPORTS, query=AdviceQuery,
          summary="Windows each category needs per half hour for a wait target, and the current "
                  "plan under the policy against A-only queues and the pooled (Erlang C) bound")
def staffing_advice(actor, site: str, query: AdviceQuery) -> dict:
    with hall().db.reader() as session:
        return staffing.staffing_advice(
            session, site, hall().clock.now(), day=query.date, target_minutes=query.target_minutes,
            target_share=query.target_share, source=query.source, seed=query.seed)


@endpoint(api, "/sites/<site>/staffing/what-if", "POST", tag="staffing", right=Right.REPORTS,
          body=WhatIfBody,
          summary="What if more windows serve a category from a given time: the day simulated "
                  "with and without them, same applicants and service times")
def staffing_what_if(actor, site: str, body: WhatIfBody) -> dict:
    with hall().db.reader() as session:
        return staffing.what_if(
            session, site, hall().clock.now(), category=body.category,
            extra_windows=body.extra_windows, start=body.from_, day=body.date, seed=body.seed,
            target_minutes=body.target_minutes)


@endpoint(api, "/sites/<site>/staffing/b-posts", tag="staffing", right=Right.REPORTS,
          query=BPostsQuery,
          summary="Which B posts to add to the current plan, within the skills table (config "
                  "may_serve), found by a bounded search with the simulator running the live "
                  "calling policy; each change with its expected effect on the category's wait")
def staffing_b_posts(actor, site: str, query: BPostsQuery) -> dict:
    with hall().db.reader() as session:
        return staffing.b_posts(
            session, site, hall().clock.now(), day=query.date,
            target_minutes=query.target_minutes, target_share=query.target_share,
            source=query.source, seed=query.seed, max_changes=query.max_changes)


@endpoint(api, "/sites/<site>/staffing/outlook", tag="staffing", right=Right.REPORTS,
          query=OutlookQuery,
          summary="Arrivals forecast per half hour for the next 3 open days (same weekday's mean "
                  "over recent weeks, 1st-5th surge factor), windows needed, warnings where a "
                  "category's A windows fall short, and the forecast's back-test error")
def staffing_outlook(actor, site: str, query: OutlookQuery) -> dict:
    with hall().db.reader() as session:
        return forecast.outlook(session, site, hall().clock.now(),
                                target_minutes=query.target_minutes,
                                target_share=query.target_share,
                                backtest_days=query.backtest_days)
