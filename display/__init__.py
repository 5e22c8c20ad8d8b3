"""Hall screens (综合屏) and window screens (窗口屏): pages that follow the hall over Socket.IO."""
from .routes import display

__all__ = ["display"]
