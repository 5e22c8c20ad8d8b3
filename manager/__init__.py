"""The manager console (管理控制台): live hall, reports and staffing advice.

Pages only call the API and show its answers; every rule lives in queue_core.
"""
from flask import Blueprint

from pagekit.words import page_words

from .words import CATALOGUE

manager = Blueprint(
    "manager", __name__, url_prefix="/manager", template_folder="templates", static_folder="static"
)
manager.context_processor(page_words(CATALOGUE))

from . import live, reports  # noqa: E402,F401

__all__ = ["manager"]
