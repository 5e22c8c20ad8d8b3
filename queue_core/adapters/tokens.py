"""Unguessable tokens: ticket status links and device credentials (stored only as hashes)."""
from __future__ import annotations

import hashlib
import secrets


def new_status_token() -> str:
    return secrets.token_urlsafe(16)


def new_device_token() -> str:
    return "dev_" + secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
