"""The server-made voice (/display/voice) through the Flask app with the real espeak-ng: only
hall and window screens, only their template's call phrases, a rate per screen, a bounded cache."""
import shutil

import pytest

from queuehall.app import create_app
from queue_core.config import load_settings
from queue_core.service import accounts

from ..conftest import HALL_TOML, make_settings, prepare

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")

SCREENS = """
[[sites.screens]]
code = "window-2"
name = "2号窗口屏"
kind = "window"
window = 2
voice_template = "{number}号请到{window}号窗口"

[[sites.screens]]
code = "evaluator-1"
name = "1号窗口评价器"
kind = "evaluator"
window = 1
"""
DEVICES = ("kiosk-1", "hall-1", "window-2", "evaluator-1")
CALL = "请A 0 2 3号到5号窗口办理"  # hall-1 has the default template


def voice_app(tmp_path, clock, **server):
    toml = tmp_path / "hall.toml"
    toml.write_text(HALL_TOML.read_text(encoding="utf-8") + SCREENS, encoding="utf-8")
    settings = make_settings(f"sqlite:///{tmp_path / 'voice.db'}", tmp_path, **server)
    settings = load_settings(toml).model_copy(update={"server": settings.server})
    prepare(settings)
    app = create_app(settings, clock=clock)
    with app.extensions["queuehall"].db.writer() as s:
        app.config["TOKENS"] = {d: accounts.issue_device_token(s, "test", d) for d in DEVICES}
        s.commit()
    return app


def ask(app, device: str | None, text: str, lang: str = "zh"):
    headers = {"Accept-Language": lang}
    if device:
        headers["X-Device-Token"] = app.config["TOKENS"][device]
    return app.test_client().get("/display/voice", query_string={"text": text}, headers=headers)


@pytest.fixture
def app(tmp_path, clock):
    return voice_app(tmp_path, clock)


def test_hall_and_window_screens_get_their_call_spoken(app):
    hall = ask(app, "hall-1", CALL)
    assert hall.status_code == 200 and hall.mimetype == "audio/wav"
    assert hall.data[:4] == b"RIFF" and len(hall.data) > 20000
    window = ask(app, "window-2", "B 1 0 4号请到2号窗口")  # its own template
    assert window.status_code == 200 and window.data[:4] == b"RIFF"


@pytest.mark.parametrize("device, status, code", [
    (None, 401, "unauthorized"), ("kiosk-1", 403, "forbidden"), ("evaluator-1", 403, "forbidden")])
def test_only_hall_and_window_screens_may_ask(app, device, status, code):
    refused = ask(app, device, CALL, "en")
    assert refused.status_code == status and refused.mimetype == "application/json"
    assert refused.get_json()["error"]["code"] == code


@pytest.mark.parametrize("text", [
    "你好，欢迎光临",                           # free text
    "请A 0 2 3号到5号窗口办理，另请关门",        # a call with more after it
    "B 1 0 4号请到2号窗口",                     # another screen's template
    "请A 0 2 3号到 号窗口办理",                  # no window
    "请\x00号到5号窗口办理",                     # a NUL (was a 500)
    "请" + "A 0 2 3 " * 30 + "号到5号窗口办理",  # long
])
def test_a_phrase_not_made_from_the_screens_template_is_refused(app, text):
    refused = ask(app, "hall-1", text, "en")
    assert refused.status_code == 400
    assert refused.get_json()["error"] == {"code": "invalid_input", "params": {"field": "text"},
                                           "message": "Invalid input: text"}
    assert ask(app, "hall-1", text).get_json()["error"]["message"] == "输入有误：text"


def test_a_screen_asking_too_often_is_told_to_wait(tmp_path, clock):
    app = voice_app(tmp_path, clock, voice_rate_limit="3 per minute")
    assert [ask(app, "hall-1", CALL).status_code for _ in range(3)] == [200] * 3
    refused = ask(app, "hall-1", CALL, "en")
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    assert ask(app, "window-2", "A 0 2 3号请到5号窗口").status_code == 200  # per screen


def test_the_voice_cache_keeps_its_size_dropping_the_least_recently_used(tmp_path, clock):
    probe = tmp_path / "probe"
    probe.mkdir()
    size = len(ask(voice_app(probe, clock), "hall-1", "请A 0 0 1号到1号窗口办理").data)
    app = voice_app(tmp_path, clock, voice_cache_mb=2.5 * size / 2**20)  # two phrases fit
    phrase = "请A 0 0 {n}号到{n}号窗口办理".format
    first, second = ask(app, "hall-1", phrase(n=1)).data, ask(app, "hall-1", phrase(n=2)).data
    assert ask(app, "hall-1", phrase(n=1)).data == first  # used again: the second is now older
    third = ask(app, "hall-1", phrase(n=3)).data
    kept = list((tmp_path / "voice-cache").glob("*.wav"))
    assert {p.read_bytes() for p in kept} == {first, third}
    assert sum(p.stat().st_size for p in kept) <= 2.5 * size
    assert ask(app, "hall-1", phrase(n=2)).data == second  # made again when asked again
