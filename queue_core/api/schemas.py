"""Request bodies and query strings, validated by pydantic (and described in the OpenAPI doc)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from printers.status import PrinterStatus


def _iso_only(pattern: str, kind: type, shape: str) -> BeforeValidator:
    """Pydantic also reads numbers as unix times (date=0 would be 1970-01-01): only ISO text."""
    def check(value: object) -> object:
        if isinstance(value, kind) or (isinstance(value, str) and re.fullmatch(pattern, value)):
            return value
        raise ValueError(f"expected ISO 8601 text: {shape}")
    return BeforeValidator(check)


# Every date and time the API reads, in queries and bodies alike.
IsoDate = Annotated[dt.date, _iso_only(r"\d{4}-\d{2}-\d{2}", dt.date, "YYYY-MM-DD")]
IsoDatetime = Annotated[AwareDatetime, _iso_only(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*",
                                                 dt.datetime, "YYYY-MM-DDTHH:MM+08:00")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginBody(Body):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class IssueBody(Body):
    category: str = Field(min_length=1, max_length=32, description="category code")
    priority_class: Literal["normal", "priority", "appointment"] = "normal"
    request_id: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$",
                                   description="idempotency key: a repeat gets the same ticket")


class PrinterStatusBody(Body):
    status: PrinterStatus


class SignInBody(Body):
    post: Literal["A", "B"]
    open: bool = Field(False, description="签到上岗: open the window in the same step")


class PauseBody(Body):
    reason: str = Field(min_length=1, max_length=200)


class TransferBody(Body):
    to_category: str | None = Field(None, min_length=1, max_length=32)
    to_window: int | None = Field(None, ge=1, le=999)

    @model_validator(mode="after")
    def exactly_one_target(self) -> "TransferBody":
        if (self.to_category is None) == (self.to_window is None):
            raise ValueError("give exactly one of to_category and to_window")
        return self


class EventsQuery(Body):
    since: int = Field(0, ge=0, le=2**31 - 1)  # event numbers are 32-bit in the database
    limit: int = Field(500, ge=1, le=1000)


class LabelsQuery(Body):
    lang: Literal["zh", "en"] | None = None  # default: the caller's language


class TicketsQuery(Body):
    category: str | None = Field(None, max_length=32)
    window: int | None = Field(None, ge=1, le=999, description="only what this window may call")
    limit: int = Field(50, ge=1, le=500, description="list this many (the answer's `total` "
                       "says how many wait in all)")


class ReprintBody(Body):
    printer: str | None = Field(None, max_length=32, description="printer code (kiosks: their own)")
    reason: str | None = Field(None, min_length=1, max_length=200, description="why, kept with "
                               "the event (e.g. 票据丢失)")


class ReinstateBody(Body):
    reason: str | None = Field(None, min_length=1, max_length=200, description="why, kept with "
                               "the event (e.g. 申请人返回)")


class SpecialCallBody(Body):
    """特呼: one waiting ticket, by id or by the number on it, and why it goes out of turn."""

    ticket_id: int | None = Field(None, ge=1, le=2**31 - 1)
    number: str | None = Field(None, min_length=1, max_length=16, pattern=r"^[A-Za-z0-9-]+$")
    reason: str = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def exactly_one_ticket(self) -> "SpecialCallBody":
        if (self.ticket_id is None) == (self.number is None):
            raise ValueError("give exactly one of ticket_id and number")
        return self


class EvaluationBody(Body):
    level: int = Field(ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    reason: str | None = Field(None, min_length=1, max_length=32,
                               description="required below 3: long_wait, attitude, not_explained, "
                                           "not_resolved, too_many_visits, other")


class AppointmentBody(Body):
    category: str = Field(min_length=1, max_length=32, description="category code")
    slot_start: IsoDatetime = Field(description="ISO 8601 with offset, e.g. 2026-11-23T10:00+08:00")
    slot_end: IsoDatetime = Field(description="at most one day after slot_start")


class CheckInBody(Body):
    code: str = Field(min_length=1, max_length=16, pattern=r"^\d+$",
                      description="the appointment code (8 digits)")


class AppointmentsQuery(Body):
    date: IsoDate | None = Field(None, ge=dt.date(2000, 1, 1), le=dt.date(2999, 12, 31),
                                 description="service day (default: today)")
