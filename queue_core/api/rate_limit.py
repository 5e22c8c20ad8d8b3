"""Rate limit on issuing, per device (kiosk) or staff account; storage from config (Redis at scale)."""
from __future__ import annotations

import hashlib

from flask import current_app, request
from flask_limiter import Limiter
from flask_login import current_user

from .auth import bearer_token


def _caller_key() -> str:
    token = bearer_token()
    if token:
        return "device:" + hashlib.sha256(token.encode()).hexdigest()[:24]
    if current_user.is_authenticated:
        return f"staff:{current_user.staff_id}"
    return f"ip:{request.remote_addr}"


limiter = Limiter(key_func=_caller_key, default_limits=[])

issue_limit = limiter.limit(lambda: current_app.config["ISSUE_RATE_LIMIT"],
                            key_func=_caller_key)
