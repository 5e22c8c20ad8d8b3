"""Property-based fuzzing of every documented endpoint (schemathesis): malformed input never
gives a 500, whoever calls — a kiosk, a manager or nobody."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from queue_core.app import create_app
from queue_core.service import accounts

from ..conftest import make_settings, prepare


def _app():
    import tempfile
    from pathlib import Path

    from queue_core.adapters.clock import FixedClock
    from ..conftest import MONDAY_9AM
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    settings = make_settings(f"sqlite:///{folder / 'fuzz.db'}", folder,
                             issue_rate_limit="100000 per minute")
    prepare(settings)
    app = create_app(settings, clock=FixedClock(MONDAY_9AM))
    app.config["WTF_CSRF_ENABLED"] = False  # the fuzzer probes the API, not the browser defence
    with app.extensions["queuehall"].db.writer() as s:
        app.config["FUZZ_TOKEN"] = accounts.issue_device_token(s, "test", "kiosk-1")
        accounts.create_user(s, "fuzzer", "password123", "manager", "Fuzz", "test")
        s.commit()
    return app


APP = _app()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


def _manager_session() -> str:
    client = APP.test_client()
    client.post("/api/v1/auth/login", json={"username": "fuzzer", "password": "password123"})
    return client.get_cookie("session").value


@pytest.fixture(scope="module")
def manager_cookie():
    return _manager_session()


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None,
                     suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("caller", ["nobody", "kiosk", "manager"])
def test_no_input_makes_the_api_fail(case, caller, manager_cookie):
    headers = {}
    if caller == "kiosk":
        headers["Authorization"] = f"Bearer {APP.config['FUZZ_TOKEN']}"
    elif caller == "manager":
        # Signing out ends the session on the server: that case signs out a session of its own.
        cookie = _manager_session() if case.path.endswith("/auth/logout") else manager_cookie
        headers["Cookie"] = f"session={cookie}"
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error])
