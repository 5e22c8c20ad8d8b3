"""The kiosk agent tells the applicant plainly when the core cannot be reached."""
import socket

from printers.spooler import RetryPolicy

from kiosk.agent import AgentSettings, create_agent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_core_gives_a_clear_message_in_the_callers_language(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    app = create_agent(AgentSettings(server=dead, token="t", printer_uri=f"file://{tmp_path}/p.bin",
                                     timeout=2), retry=RetryPolicy(poll_interval=None))
    try:
        client = app.test_client()
        zh = client.post("/api/v1/sites/test/tickets", json={"category": "social"})
        assert zh.status_code == 503 and zh.json["error"]["message"].startswith("无法连接")
        en = client.get("/api/v1/sites/test/categories", headers={"Accept-Language": "en"})
        assert en.status_code == 503 and "cannot be reached" in en.json["error"]["message"]
        assert client.get("/api/v1/sites/test/printers").json == [{"code": "local",
                                                                   "status": "unknown"}]
    finally:
        app.extensions["kiosk_agent"]["spooler"].close()
