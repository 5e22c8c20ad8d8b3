"""The Flask app in-process: the OpenAPI document matches the routes, issuing is rate limited."""
import pytest

from queuehall.app import create_app

from ..conftest import make_settings, prepare


@pytest.fixture
def app(settings, clock):
    return create_app(settings, clock=clock)


@pytest.fixture
def limited_app(tmp_path, clock):
    settings = make_settings(f"sqlite:///{tmp_path / 'limited.db'}", tmp_path,
                             issue_rate_limit="3 per minute")
    prepare(settings)
    return create_app(settings, clock=clock)


def test_openapi_document_lists_exactly_the_api_routes(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi":
            path = rule.rule
            for conv in ("int:", "id:"):
                path = path.replace(f"<{conv}", "<")
            path = path.replace("<", "{").replace(">", "}")
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    issue = doc["paths"]["/api/v1/sites/{site}/tickets"]["post"]
    schema_name = issue["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert "category" in doc["components"]["schemas"][schema_name]["properties"]


def test_issuing_is_rate_limited_per_device(limited_app):
    from sqlalchemy import select

    from queue_core.adapters.orm import Device
    from queue_core.service import accounts
    hall = limited_app.extensions["queuehall"]
    with hall.db.writer() as s:
        token = accounts.issue_device_token(s, "test", "kiosk-1")
        s.commit()
        assert s.scalars(select(Device)).first() is not None
    client = limited_app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    codes = [client.post("/api/v1/sites/test/tickets", json={"category": "social"},
                         headers=headers).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    refused = client.post("/api/v1/sites/test/tickets", json={"category": "social"}, headers=headers)
    assert refused.get_json()["error"]["code"] == "rate_limited"


def test_start_page_links_the_hall_in_both_languages(app):
    client = app.test_client()
    assert "测试政务服务中心" in client.get("/").get_data(as_text=True)
    assert "Test Service Center" in client.get("/?lang=en").get_data(as_text=True)
