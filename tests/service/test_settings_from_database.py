"""Settings come from the database at run time: `apply-config` changes a running server's screens
(notice, voice template) and kiosk printers at once; an edited config.toml alone changes nothing,
even for a server restarted on it."""
from datetime import timedelta

from sqlalchemy import event

from queuehall.app import create_app
from queue_core.config import load_settings
from queue_core.service import accounts, appointments
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


def device_token(db, device: str) -> str:
    with db.writer() as session:
        token = accounts.issue_device_token(session, "test", device)
        session.commit()
    return token


def prints_where_apply_config_puts_it(hall, settings, tmp_path, printer_used) -> None:
    """printer_used() (a kiosk's job's printer) is nowhere at first, p1 once apply-config puts
    kiosk-1's printer there, and nowhere again once it takes it away."""
    assert printer_used() is None
    for applied, printer in [(edited_settings(tmp_path, settings), "p1"), (settings, None)]:
        with hall.db.writer() as session:
            apply_config(session, applied)
            session.commit()
        assert printer_used() == printer


def screen_sees(app, token: str) -> dict:
    client = app.extensions["socketio"].test_client(app, auth={"token": token})
    snapshot = next(m["args"][0] for m in client.get_received() if m["name"] == "snapshot")
    client.disconnect()
    return snapshot["screen"]


def kiosk_printer(app) -> str | None:
    """kiosk-1's printer as the running server tells the kiosk page (read with its token)."""
    token = device_token(app.extensions["queuehall"].db, "kiosk-1")
    answer = app.test_client().get("/kiosk/device", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["printer"]


def voice_takes(app, token: str, text: str) -> int:
    """400: not the screen's template; anything else: the template was accepted."""
    return app.test_client().get("/display/voice", query_string={"text": text},
                                 headers={"X-Device-Token": token}).status_code


def test_apply_config_reaches_a_running_server_and_an_edited_file_alone_does_not(
        hall, settings, clock, tmp_path):
    token = device_token(hall.db, "hall-1")
    edited = edited_settings(tmp_path, settings)
    assert edited.site("test").kiosks[0].printer == "p1"
    new_call = "A 0 2 3号请到5号窗口"

    # A server started on the edited file, without apply-config: the database still rules.
    restarted = create_app(edited, clock=clock)
    seen = screen_sees(restarted, token)
    assert seen["notice"] == "" and seen["voice_template"] == "请{number}号到{window}号窗口办理"
    assert voice_takes(restarted, token, new_call) == 400
    assert kiosk_printer(restarted) is None

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
    assert kiosk_printer(running) == "p1"


def test_a_kiosk_ticket_prints_where_apply_config_last_put_its_printer(hall, settings, clock,
                                                                       tmp_path):
    """The issue path reads the kiosk's printer with its token, each request: no cache to go stale."""
    token = device_token(hall.db, "kiosk-1")
    kiosk = create_app(settings, clock=clock).test_client()

    def printed_on() -> str | None:
        answer = kiosk.post("/api/v1/sites/test/tickets", json={"category": "social"},
                            headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 201, answer.get_json()
        job = answer.get_json()["print"]
        return job and job["printer"]

    prints_where_apply_config_puts_it(hall, settings, tmp_path, printed_on)


def test_an_appointment_check_in_prints_on_the_kiosks_printer_as_a_walk_in_does(
        hall, settings, clock, tmp_path, people):
    """Check-in takes the kiosk's printer from the device row read with its token, like issuing:
    where apply-config last put it, and nowhere once it took it away."""
    token = device_token(hall.db, "kiosk-1")
    app = create_app(settings, clock=clock)
    kiosk, db = app.test_client(), app.extensions["queuehall"].db
    device_reads = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM devices" in statement:
            device_reads.append(statement)

    def checked_in_on() -> str | None:
        now = clock.now()
        code = appointments.book(hall.uow(), "test", "social", now + timedelta(minutes=10),
                                 now + timedelta(minutes=40), people["boss"])["code"]
        device_reads.clear()
        for engine in {db.reader_engine, db.writer_engine}:
            event.listen(engine, "before_cursor_execute", keep)
        try:
            answer = kiosk.post("/api/v1/sites/test/appointments/check-in", json={"code": code},
                                headers={"Authorization": f"Bearer {token}"})
        finally:
            for engine in {db.reader_engine, db.writer_engine}:
                event.remove(engine, "before_cursor_execute", keep)
        assert answer.status_code == 200, answer.get_json()
        assert len(device_reads) == 1  # the token's: no second read for the printer
        assert answer.get_json()["priority_class"] == "appointment"
        job = answer.get_json()["print"]
        return job and job["printer"]

    prints_where_apply_config_puts_it(hall, settings, tmp_path, checked_in_on)
