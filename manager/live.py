"""Live hall (实时大厅) and staffing advice (排班建议) pages."""
from . import manager  # noqa: F401
