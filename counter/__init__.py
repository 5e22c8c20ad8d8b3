"""The staff console (窗口工作台): one page per window that calls the API and holds no rules."""
from .routes import counter

__all__ = ["counter"]
