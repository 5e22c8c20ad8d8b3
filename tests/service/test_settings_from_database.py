"""Settings come from the database at run time: `apply-config` changes a running server's screens
(notice, voice template) and kiosk printers at once; an edited config.toml alone changes nothing,
even for a server restarted on it."""
from queuehall.app import create_app
from queue_core.config import load_settings
from queue_core.service import accounts
from queue_core.service.setup import apply_config

from ..conftest import HALL_TOML

EDITED = """
[[sites.printers]]
code = "p1"
uri = "file://printer-p1.bin"
paper_mm = 80
mode = "text"
"""
NOTICE = "今日下午系统升级，请提前取号"
TEMPLATE = "{number}号请到{window}号窗口"


def edited_settings(tmp_path, settings):
    """config.toml with hall-1's notice and voice template and kiosk-1's printer changed."""
    text = HALL_TOML.read_text(encoding="utf-8").replace(
        'code = "kiosk-1"\nname = "取号机 1"\n', 'code = "kiosk-1"\nname = "取号机 1"\nprinter = "p1"\n')
    text = text.replace('code = "hall-1"\nname = "综合屏"\n',
                        f'code = "hall-1"\nname = "综合屏"\nnotice = "{NOTICE}"\n'
                        f'voice_template = "{TEMPLATE}"\n')
    path = tmp_path / "edited.toml"
    path.write_text(text + EDITED, encoding="utf-8")
    return load_settings(path).model_copy(update={"server": settings.server})


def screen_sees(app, token: str) -> dict:
    client = app.extensions["socketio"].test_client(app, auth={"token": token})
    snapshot = next(m["args"][0] for m in client.get_received() if m["name"] == "snapshot")
    client.disconnect()
    return snapshot["screen"]


def voice_takes(app, token: str, text: str) -> int:
    """400: not the screen's template; anything else: the template was accepted."""
    return app.test_client().get("/display/voice", query_string={"text": text},
                                 headers={"X-Device-Token": token}).status_code


def test_apply_config_reaches_a_running_server_and_an_edited_file_alone_does_not(
        hall, settings, clock, tmp_path):
    with hall.db.writer() as session:
        token = accounts.issue_device_token(session, "test", "hall-1")
        session.commit()
    edited = edited_settings(tmp_path, settings)
    assert edited.site("test").kiosks[0].printer == "p1"
    new_call = "A 0 2 3号请到5号窗口"

    # A server started on the edited file, without apply-config: the database still rules.
    restarted = create_app(edited, clock=clock)
    seen = screen_sees(restarted, token)
    assert seen["notice"] == "" and seen["voice_template"] == "请{number}号到{window}号窗口办理"
    assert voice_takes(restarted, token, new_call) == 400
    assert restarted.extensions["queuehall"].printing.printer_for("test", "kiosk-1") is None

    # apply-config (another process, as the CLI is): the server running on the old file follows.
    running = create_app(settings, clock=clock)
    with hall.db.writer() as session:
        apply_config(session, edited)
        session.commit()
    seen = screen_sees(running, token)
    assert seen["notice"] == NOTICE and seen["voice_template"] == TEMPLATE
    assert seen["window"] is None and seen["kind"] == "hall_screen"
    assert voice_takes(running, token, new_call) != 400
    assert voice_takes(running, token, "请A 0 2 3号到5号窗口办理") == 400
    assert running.extensions["queuehall"].printing.printer_for("test", "kiosk-1") == "p1"


def test_a_kiosk_ticket_prints_where_apply_config_last_put_its_printer(hall, settings, clock,
                                                                       tmp_path):
    """The issue path reads the kiosk's printer with its token, each request: no cache to go stale."""
    with hall.db.writer() as session:
        token = accounts.issue_device_token(session, "test", "kiosk-1")
        session.commit()
    kiosk = create_app(settings, clock=clock).test_client()

    def printed_on() -> str | None:
        answer = kiosk.post("/api/v1/sites/test/tickets", json={"category": "social"},
                            headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 201, answer.get_json()
        job = answer.get_json()["print"]
        return job and job["printer"]

    assert printed_on() is None
    with hall.db.writer() as session:
        apply_config(session, edited_settings(tmp_path, settings))
        session.commit()
    assert printed_on() == "p1"
    with hall.db.writer() as session:
        apply_config(session, settings)
        session.commit()
    assert printed_on() is None
