"""A lean keep-alive JSON client for load generation: one `http.client` connection per thread.

The benchmarks' clients share the machine's 2 cores with the server they measure, so whatever
CPU a client spends per request is taken from the server. `requests` spends about 2 ms of CPU
per request here, this client about 0.25 ms; setup and checks keep using `requests`.
"""
from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import requests

# What a failed request raises: the socket's errors and http.client's protocol errors.
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


class JsonClient:
    """POST JSON to one server over one keep-alive connection, reconnecting after an error."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None,
                 timeout: float = 30) -> None:
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.headers = {"Accept": "application/json", **(headers or {})}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    @classmethod
    def like(cls, session: requests.Session, base_url: str) -> "JsonClient":
        """A client sending what a signed-in `requests` session sends: its headers and cookies."""
        headers = {k: v for k, v in session.headers.items()
                   if k.lower() in ("authorization", "x-csrftoken")}
        cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        if cookies:
            headers["Cookie"] = cookies
        return cls(base_url, headers)

    def post(self, path: str, body: dict | None = None) -> tuple[int, dict | None]:
        """(status, parsed JSON body or None)."""
        headers = self.headers
        data = None
        if body is not None:
            data = json.dumps(body)
            headers = {**headers, "Content-Type": "application/json"}
        try:
            self.conn.request("POST", path, data, headers)
            response = self.conn.getresponse()
            raw = response.read()
        except TRANSPORT_ERRORS:
            self.conn.close()  # http.client reconnects on the next request
            raise
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, None

    def close(self) -> None:
        self.conn.close()
