"""The manager console (管理控制台): live hall, reports and staffing advice.

Pages only call the API and show its answers; every rule lives in queue_core.
"""
from flask import Blueprint
from jinja2 import pass_context
from jinja2.runtime import Context

from pagekit.words import page_words
from queue_core.i18n import pick
from queue_core.labels import LABELS

from .words import CATALOGUE

manager = Blueprint(
    "manager", __name__, url_prefix="/manager", template_folder="templates", static_folder="static"
)
manager.context_processor(page_words(CATALOGUE))


@pass_context
def label(context: Context, group: str, code: str) -> str:
    """A code's server label (queue_core/labels.py) in the template's language: the words the
    scripts show for the same code through Queuehall.label."""
    return pick(LABELS[group][code], context.get("lang") or "zh")


manager.context_processor(lambda: {"label": label})

from . import live, reports  # noqa: E402,F401

__all__ = ["manager"]
