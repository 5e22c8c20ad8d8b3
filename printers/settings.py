"""Printer and ticket-layout settings as pydantic models, for the core's config.toml loader to embed."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from printers.backends import parse_printer_uri
from printers.layout import TicketLayout


class PrinterSettings(BaseModel):
    """One ticket printer, e.g. [[printers]] code = "kiosk1", uri = "tcp://10.0.0.31:9100", paper_mm = 58."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1)
    uri: str
    paper_mm: Literal[58, 80] = 80
    mode: Literal["text", "image"] = "text"
    # Most ESC/POS printers answer DLE EOT; turn off for one that doesn't, or every job would time out.
    answers_status: bool = True
    native_qr: bool = True
    cut: Literal["full", "partial"] = "partial"

    @field_validator("uri")
    @classmethod
    def _valid_uri(cls, uri: str) -> str:
        parse_printer_uri(uri)  # raises ValueError naming the problem
        return uri.strip()


class TicketLayoutSettings(BaseModel):
    """What a site prints on every ticket beyond the ticket itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    location: str | None = None
    footer_lines: list[str] = Field(default_factory=list)
    show_english: bool = True


def build_layout(printer: PrinterSettings, site: TicketLayoutSettings | None = None) -> TicketLayout:
    """The TicketLayout a printer uses for a site's tickets."""
    site = site or TicketLayoutSettings()
    return TicketLayout(
        paper_mm=printer.paper_mm,
        mode=printer.mode,
        show_english=site.show_english,
        native_qr=printer.native_qr,
        cut=printer.cut,
    )
