"""Every answer of the server carries the security headers (pages, API, static files, errors,
Socket.IO polling), the policy allows no inline script or style, HSTS only over https, and the
rendered pages hold no inline script, style or event handler the policy would block."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from werkzeug.routing.converters import NumberConverter

from queuehall.app import create_app
from queue_core.service import accounts

from ..conftest import make_settings, prepare

EXPECTED = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
            "X-Frame-Options": "DENY"}
PAGES = ["/", "/?lang=en", "/kiosk/", "/t/abcdefgh12345678", "/display/hall", "/display/window",
         "/display/evaluator", "/counter/", "/manager/", "/manager/reports", "/manager/staffing"]


def make_app(tmp_path, public_url: str = "http://127.0.0.1:8000"):
    settings = make_settings(f"sqlite:///{tmp_path / 'hall.db'}", tmp_path, public_url=public_url)
    prepare(settings)
    app = create_app(settings)
    with app.extensions["queuehall"].db.writer() as session:
        accounts.create_user(session, "boss", "password123", "manager", "王经理", "test")
        session.commit()
    return app


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)


def policy(response) -> dict[str, list[str]]:
    csp = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}


def assert_secured(response, where: str) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (where, name, response.headers.get(name))
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'none'"], where
    assert directives["object-src"] == ["'none'"], where


def sample_url(rule) -> str:
    """The rule's path with a plausible value for each part (the answer may well be a 404)."""
    values = {arg: 1 if isinstance(conv, NumberConverter) else "test" if arg == "site" else "x"
              for arg, conv in rule._converters.items()}
    return rule.build(values)[1]


def test_every_route_answers_with_the_security_headers_whatever_the_answer(app):
    client = app.test_client()
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods]
    assert len(rules) > 30
    for rule in rules:
        url = sample_url(rule)
        assert_secured(client.get(url), url)  # 200, 401, 404 alike


def test_pages_static_files_writes_and_errors_carry_the_headers(app):
    client = app.test_client()
    for url in PAGES + ["/kiosk/static/kiosk.js", "/display/static/screen.css",
                        "/start/static/start.css", "/api/v1/health", "/api/v1/openapi.json",
                        "/no/such/page"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_secured(response, url)
    refused = client.post("/api/v1/sites/test/tickets", json={"category": "social"})
    assert refused.status_code in (400, 401) and refused.is_json
    assert_secured(refused, "POST tickets")
    assert_secured(client.post("/api/v1/auth/login", data=b"x" * 300_000,
                               content_type="application/json"), "413")


def test_socketio_polling_answers_carry_the_headers(app):
    response = app.test_client().get("/socket.io/?EIO=4&transport=polling")
    assert response.status_code == 200 and response.get_data(as_text=True).startswith("0{")
    assert_secured(response, "socket.io")


def test_the_policy_allows_scripts_and_styles_only_from_the_server_files(app):
    directives = policy(app.test_client().get("/display/hall", headers={"Host": "hall.lan:8000"}))
    for directive in ("script-src", "style-src", "default-src"):
        assert directives[directive] == ["'self'"], directive
    assert directives["connect-src"] == ["'self'", "ws://hall.lan:8000", "wss://hall.lan:8000"]
    assert directives["media-src"] == ["'self'", "blob:"]  # the server-made voice, played as a blob
    odd = policy(app.test_client().get("/", headers={"Host": "evil; script-src *"}))
    assert odd["connect-src"] == ["'self'"] and odd["script-src"] == ["'self'"]


def test_hsts_only_when_the_hall_is_served_over_https(tmp_path):
    plain = make_app(tmp_path / "plain").test_client()
    assert "Strict-Transport-Security" not in plain.get("/").headers
    secure_request = plain.get("/", base_url="https://hall.example")
    assert secure_request.headers["Strict-Transport-Security"].startswith("max-age=")
    https_site = make_app(tmp_path / "https", public_url="https://hall.example").test_client()
    for url in ("/", "/api/v1/health", "/kiosk/static/kiosk.js"):
        assert https_site.get(url).headers["Strict-Transport-Security"] == "max-age=31536000"


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block in a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> block")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_no_page_holds_inline_script_style_or_handlers(app):
    anonymous = app.test_client()
    manager = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    signed_in = manager.post("/api/v1/auth/login", json={"username": "boss", "password": "password123"})
    assert signed_in.status_code == 200, signed_in.get_data(as_text=True)
    for client, who in ((anonymous, "anonymous"), (manager, "manager")):
        for url in PAGES:
            response = client.get(url)
            # an unknown ticket's status page is a plain 404 page, with the same rules
            assert response.status_code == (404 if url.startswith("/t/") else 200), (who, url)
            assert inline_code(response.get_data(as_text=True)) == [], (who, url)
    assert inline_code('<p style="x" onclick="y">') == ["p style=", "p onclick="]  # it can fail
