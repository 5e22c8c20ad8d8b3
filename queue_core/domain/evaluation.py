"""好差评: the applicant rates the service at the window, 5 levels; a bad rating needs a reason."""
from __future__ import annotations

from .errors import InvalidInput

# 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意
LEVELS = range(1, 6)
BAD_BELOW = 3
REASONS = ("long_wait", "attitude", "not_explained", "not_resolved", "too_many_visits", "other")


def check_evaluation(level: int, reason: str | None) -> str | None:
    """The reason to store: required for a bad rating, dropped for a good one."""
    if level not in LEVELS:
        raise InvalidInput(field="level")
    if level < BAD_BELOW:
        if reason not in REASONS:
            raise InvalidInput(field="reason")
        return reason
    return None
