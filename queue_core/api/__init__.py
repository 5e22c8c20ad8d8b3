"""The REST API under /api/v1: thin Flask views that parse input, call a use case, shape JSON."""
from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")

from . import routes_appointments, routes_auth, routes_hall, routes_tickets, routes_windows, spec  # noqa: E402,F401
from . import routes_manager  # noqa: E402,F401
from . import routes_reports  # noqa: E402,F401
from . import routes_staffing  # noqa: E402,F401
from . import routes_accounts  # noqa: E402,F401
from . import routes_lookup  # noqa: E402,F401
