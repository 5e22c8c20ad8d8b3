"""A running server per backend, and HTTP clients for kiosks and staff."""
from __future__ import annotations

import pytest
import requests

from ..conftest import BACKENDS, database_url
from .server import start_server


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"server-{request.param}")
    srv = start_server(folder, database_url(request.param, folder))
    yield srv
    srv.stop()


class Client:
    """A requests session that speaks for a kiosk (bearer token) or a staff member (cookie+CSRF)."""

    def __init__(self, base: str, lang: str = "zh") -> None:
        self.base, self.http = base, requests.Session()
        self.http.headers["Accept-Language"] = lang

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.base + path, timeout=10, **kw)

    def post(self, path: str, json=None, **kw) -> requests.Response:
        return self.http.post(self.base + path, json=json, timeout=10, **kw)

    def as_device(self, token: str) -> "Client":
        self.http.headers["Authorization"] = f"Bearer {token}"
        return self

    def login(self, username: str, password: str) -> "Client":
        csrf = self.get("/api/v1/auth/csrf").json()["csrf_token"]
        r = self.post("/api/v1/auth/login", {"username": username, "password": password},
                      headers={"X-CSRFToken": csrf})
        assert r.status_code == 200, r.text
        self.http.headers["X-CSRFToken"] = r.json()["csrf_token"]
        return self


@pytest.fixture
def kiosk_client(server):
    return Client(server.url).as_device(server.tokens["kiosk-1"])


@pytest.fixture
def staff_client(server):
    return lambda name="staff1", lang="zh": Client(server.url, lang).login(name, server.passwords[name])


# The page tests (display/, manager/) call them by the person they stand for.
@pytest.fixture
def kiosk(kiosk_client):
    return kiosk_client


@pytest.fixture
def staff(staff_client):
    return staff_client
