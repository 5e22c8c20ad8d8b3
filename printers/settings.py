"""Printer and ticket layout settings as they appear in config.toml (validated by pydantic)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PrinterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")
    uri: str = Field(min_length=3)
    paper_mm: Literal[58, 80] = 80
    mode: Literal["text", "image"] = "text"


class TicketLayoutSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    location: str | None = None
    footer_lines: list[str] = []
    show_english: bool = True
