"""Ticket printing: layout to ESC/POS bytes, printer backends by URI, and the print spooler."""

from printers.backends import open_printer, parse_printer_uri
from printers.layout import TicketLayout, TicketPrint
from printers.render import render_ticket
from printers.settings import PrinterSettings, TicketLayoutSettings, build_layout
from printers.spooler import JobState, PrintJob, RetryPolicy, Spooler
from printers.status import PrinterStatus

__all__ = [
    "JobState", "PrintJob", "PrinterSettings", "PrinterStatus", "RetryPolicy", "Spooler", "TicketLayout",
    "TicketLayoutSettings", "TicketPrint", "build_layout", "open_printer", "parse_printer_uri", "render_ticket",
]
