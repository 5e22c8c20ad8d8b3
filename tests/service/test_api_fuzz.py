"""Property-based fuzzing of every documented endpoint (schemathesis, all of its checks): whoever
calls — nobody, a kiosk, a hall screen, staff, a manager, an admin — every answer is what the
OpenAPI document says (status code, content type, body schema), bad input is refused with a 4xx,
good input is not, and nothing is a 500."""
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings as hypothesis_settings

from tests.support.clock import FixedClock
from queuehall.app import create_app
from queue_core.service import accounts

from ..conftest import MONDAY_9AM, make_settings, prepare

PASSWORD = "password123"
PEOPLE = {"staff": "fuzz-staff", "manager": "fuzz-manager", "admin": "fuzz-admin"}
CALLERS = ["nobody", "kiosk", "hall_screen", "staff", "manager", "admin"]
# Generated cases per operation and caller; with schemathesis' coverage cases and method probes
# that is ~1,700 requests per caller over 58 operations, ~100 s for the six callers (2 cores).
EXAMPLES = 10


def _app():
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    settings = make_settings(f"sqlite:///{folder / 'fuzz.db'}", folder,
                             issue_rate_limit="100000 per minute", sqlite_synchronous="NORMAL")
    prepare(settings)
    app = create_app(settings, clock=FixedClock(MONDAY_9AM))
    app.config["WTF_CSRF_ENABLED"] = False  # the fuzzer probes the API, not the browser defence
    with app.extensions["queuehall"].db.writer() as s:
        app.config["TOKENS"] = {"kiosk": accounts.issue_device_token(s, "test", "kiosk-1"),
                                "hall_screen": accounts.issue_device_token(s, "test", "hall-1")}
        for role, username in PEOPLE.items():
            accounts.create_user(s, username, PASSWORD, role, f"Fuzz {role}",
                                 None if role == "admin" else "test")
        s.commit()
    return app


APP = _app()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


def _session(role: str) -> str:
    client = APP.test_client()
    answer = client.post("/api/v1/auth/login",
                         json={"username": PEOPLE[role], "password": PASSWORD})
    assert answer.status_code == 200, answer.data
    return client.get_cookie("session").value


@pytest.fixture(scope="module")
def sessions() -> dict[str, str]:
    return {role: _session(role) for role in PEOPLE}


def _headers(case, caller: str, sessions: dict[str, str]) -> dict[str, str]:
    if caller in APP.config["TOKENS"]:
        return {"Authorization": f"Bearer {APP.config['TOKENS'][caller]}"}
    if caller in sessions:
        # Signing out ends the session on the server: that case signs out a session of its own.
        own = case.path.endswith("/auth/logout")
        return {"Cookie": f"session={_session(caller) if own else sessions[caller]}"}
    return {}


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("caller", CALLERS)
def test_every_answer_is_what_the_api_document_promises(case, caller, sessions):
    case.call_and_validate(headers=_headers(case, caller, sessions))
