"""Loading and validating config.toml: the hall (sites, categories, windows, devices) and the server."""
from __future__ import annotations

import os
import re
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from printers.settings import PrinterSettings, TicketLayoutSettings

from .domain.alerts import Thresholds
from .domain.calendar import parse_hhmm_or_midnight
from .domain.errors import NotFound

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]


class ConfigError(Exception):
    """config.toml is missing or wrong; the message names the bad key."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerSettings(Strict):
    database_url: str = "sqlite:///data/queuehall.db"
    secret_key_file: str = "data/secret_key"
    message_queue: str = ""                  # redis://… when several processes serve one hall
    public_url: str = "http://127.0.0.1:8000"
    issue_rate_limit: str = "30 per minute"  # per device (kiosk) or per staff account
    rate_limit_storage: str = "memory://"
    default_language: Literal["zh", "en"] = "zh"
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "FULL"
    max_connections: int = Field(2000, ge=10, le=100_000)  # sockets one process holds (gevent)
    print_job_max_age_seconds: int = Field(120, ge=10, le=3600)  # older unprinted: tell staff
    voice_rate_limit: str = "30 per minute"  # spoken calls a screen may ask the server for
    voice_cache_mb: float = Field(64, gt=0, le=100_000)  # spoken calls kept; least used go first
    # The voice pack folder (manifest.toml + WAV segments, display/voice_packs/README.md); empty:
    # data/voice-pack/, generated with espeak-ng at first use.
    voice_pack: str = ""
    session_idle_minutes: int = Field(60, ge=1, le=24 * 60)  # a console unused this long signs out
    secure_cookies: bool | None = None  # None: Secure when public_url is https

    @property
    def session_idle(self) -> timedelta:
        return timedelta(minutes=self.session_idle_minutes)

    @property
    def cookies_secure(self) -> bool:
        """Cookies go only over https when the hall is served over https (or when told so)."""
        if self.secure_cookies is not None:
            return self.secure_cookies
        return self.public_url.lower().startswith("https://")


class CallingSettings(Strict):
    backlog_per_a_window: int = Field(8, ge=1)
    priority_streak_cap: int = Field(3, ge=1)
    b_overtake_minutes: int = Field(15, ge=0)
    idle_pull_b: bool = True


class AppointmentSettings(Strict):
    """预约 check-in: from `early_minutes` before the slot until `late_minutes` after its end an
    appointment ticket (served first); later that day, a normal ticket."""

    early_minutes: int = Field(30, ge=0, le=240)
    late_minutes: int = Field(15, ge=0, le=240)


class CategorySettings(Strict):
    code: Code
    prefix: str = Field(pattern=r"^[A-Z]{1,2}$")
    name_zh: str = Field(min_length=1, max_length=40)
    name_en: str = Field("", max_length=80)
    daily_cap: int = Field(ge=1, le=9999)
    wait_target_minutes: int = Field(ge=1)
    service_minutes: float = Field(gt=0)
    hours: str | None = Field(None, pattern=r"^\d\d:\d\d-\d\d:\d\d$")  # enabled hours, e.g. "08:30-12:00"
    location: str = ""


class WindowSettings(Strict):
    number: int = Field(ge=1, le=999)
    name_zh: str = ""
    name_en: str = ""
    a: list[Code] = Field(min_length=1)
    b: list[Code] = []
    # The skills table: the categories this window's staff may serve, which the staffing advice
    # may suggest as B posts here. Staff sign in at any window, so config cannot name who
    # serves where; the staff who usually work a window stand for it. Unset: any category.
    may_serve: list[Code] | None = None


class AlertSettings(Strict):
    """电子监察 thresholds: a window paused too long, a screen not seen, how often to check, how
    far ahead a category's cover is weighed against its arrivals."""

    pause_minutes: int = Field(Thresholds.pause_minutes, ge=1, le=480)
    screen_offline_minutes: int = Field(Thresholds.screen_offline_minutes, ge=1, le=120)
    sweep_seconds: int = Field(Thresholds.sweep_seconds, ge=5, le=600)
    clear_after_seconds: int = Field(Thresholds.clear_after_seconds, ge=0, le=3600)
    cover_horizon_minutes: int = Field(Thresholds.cover_horizon_minutes, ge=5, le=240)


class KioskSettings(Strict):
    code: Code
    name: str
    printer: Code | None = None


class ScreenSettings(Strict):
    code: Code
    name: str
    kind: Literal["hall", "window", "evaluator"] = "hall"  # evaluator: 评价器 pad of a window
    window: int | None = None
    # What the screen says on a call; {number} and {window} are filled in (zh-CN voice).
    voice_template: str = "请{number}号到{window}号窗口办理"
    voice_repeat: int = Field(1, ge=1, le=2)  # times a call is said (the second only when not behind)
    notice: str = ""  # scrolling line at the foot of a hall screen

    @model_validator(mode="after")
    def window_screen_names_its_window(self) -> "ScreenSettings":
        if self.kind in ("window", "evaluator") and self.window is None:
            raise ValueError("a window screen needs 'window'")
        return self


class SiteSettings(Strict):
    code: Code
    name_zh: str = Field(min_length=1)
    name_en: str = ""
    timezone: str = "Asia/Shanghai"
    opens: HHMM = "08:30"
    closes: HHMM = "17:30"
    weekdays: list[int] = [1, 2, 3, 4, 5]
    # Days the hall is closed although they fall on its weekdays (法定节假日): TOML dates
    # (2026-10-01) or 'YYYY-MM-DD' strings. Issuing refuses, and the forecast skips them.
    holidays: list[date] = []
    calling: CallingSettings = CallingSettings()
    appointments: AppointmentSettings = AppointmentSettings()
    ticket: TicketLayoutSettings = TicketLayoutSettings()
    alerts: AlertSettings = AlertSettings()
    categories: list[CategorySettings] = Field(min_length=1)
    windows: list[WindowSettings] = Field(min_length=1)
    kiosks: list[KioskSettings] = []
    screens: list[ScreenSettings] = []
    printers: list[PrinterSettings] = []

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("weekdays")
    @classmethod
    def iso_weekdays(cls, value: list[int]) -> list[int]:
        if not value or any(d < 1 or d > 7 for d in value):
            raise ValueError("weekdays are ISO numbers 1 (Monday) to 7 (Sunday)")
        return value

    @field_validator("holidays", mode="before")
    @classmethod
    def holiday_dates(cls, value: object) -> list[date]:
        if not isinstance(value, list):
            raise ValueError("holidays is a list of dates such as 2026-10-01")
        days = []
        for v in value:
            if isinstance(v, datetime):
                raise ValueError(f"holiday {v.isoformat()} has a time of day: give the date only")
            if not isinstance(v, (date, str)):
                raise ValueError(f"holiday {v!r} is not a date such as 2026-10-01")
            if isinstance(v, str):
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                    raise ValueError(f"holiday {v!r} is not a date such as 2026-10-01")
                try:
                    v = date.fromisoformat(v)
                except ValueError as exc:
                    raise ValueError(f"holiday {v!r} is not a real date") from exc
            if v in days:
                raise ValueError(f"holiday {v.isoformat()} is listed twice")
            days.append(v)
        return sorted(days)

    @model_validator(mode="after")
    def references_exist(self) -> "SiteSettings":
        _unique("categories", [c.code for c in self.categories])
        _unique("category prefixes", [c.prefix for c in self.categories])
        _unique("windows", [w.number for w in self.windows])
        _unique("devices", [d.code for d in [*self.kiosks, *self.screens]])
        codes = {c.code for c in self.categories}
        for w in self.windows:
            for code in [*w.a, *w.b]:
                if code not in codes:
                    raise ValueError(f"window {w.number} names unknown category {code!r}")
            if w.may_serve is not None:
                for code in w.may_serve:
                    if code not in codes:
                        raise ValueError(f"window {w.number} may_serve names unknown category "
                                         f"{code!r}")
                missing = sorted((set(w.a) | set(w.b)) - set(w.may_serve))
                if missing:
                    raise ValueError(f"window {w.number} serves {', '.join(missing)} but its "
                                     f"may_serve leaves it out")
        printers = {p.code for p in self.printers}
        for k in self.kiosks:
            if k.printer and k.printer not in printers:
                raise ValueError(f"kiosk {k.code} names unknown printer {k.printer!r}")
        numbers = {w.number for w in self.windows}
        for s in self.screens:
            if s.window is not None and s.window not in numbers:
                raise ValueError(f"screen {s.code} names unknown window {s.window}")
        if parse_hhmm_or_midnight(self.opens) >= parse_hhmm_or_midnight(self.closes):
            raise ValueError("opens must be before closes")
        return self


class Settings(Strict):
    server: ServerSettings = ServerSettings()
    sites: list[SiteSettings] = Field(min_length=1)

    @model_validator(mode="after")
    def unique_sites(self) -> "Settings":
        _unique("sites", [s.code for s in self.sites])
        return self

    def site(self, code: str) -> SiteSettings:
        for site in self.sites:
            if site.code == code:
                return site
        raise NotFound(what="site", key=code)



def _unique(what: str, values: list) -> None:
    seen = set()
    for v in values:
        if v in seen:
            raise ValueError(f"duplicate {what}: {v!r}")
        seen.add(v)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate config.toml (path, $QUEUEHALL_CONFIG, or ./config.toml).

    $QUEUEHALL_DATABASE_URL and $QUEUEHALL_MESSAGE_QUEUE override the server section so one
    config file serves every instance of a scaled-out hall.
    """
    path = Path(path or os.environ.get("QUEUEHALL_CONFIG", "config.toml"))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    server = raw.setdefault("server", {})
    for key in ("database_url", "message_queue"):
        if value := os.environ.get(f"QUEUEHALL_{key.upper()}"):
            server[key] = value
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: " + "; ".join(_describe(e, raw) for e in exc.errors())) from exc


def _describe(error: dict, raw: dict) -> str:
    """'sites[0].categories[2].prefix: String should match…' — the key a person must fix."""
    key = ""
    for part in error["loc"]:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    message = re.sub(r"^Value error, ", "", error["msg"])
    return f"{key or '(top level)'}: {message}"
