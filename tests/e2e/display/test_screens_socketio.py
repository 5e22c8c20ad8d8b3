"""Screens as real Socket.IO clients: a snapshot on connect, then calls; nothing lost offline."""
from __future__ import annotations

import requests


def open_window(staff, number: int, who: str = "staff1", post: str = "A"):
    s = staff(who)
    assert s.post(f"/api/v1/sites/test/windows/{number}/sign-in", {"post": post}).status_code == 200
    assert s.post(f"/api/v1/sites/test/windows/{number}/open").status_code == 200
    return s


def test_a_screen_gets_a_snapshot_with_waiting_counts_windows_and_its_settings(server, kiosk, screen):
    kiosk.post("/api/v1/sites/test/tickets", {"category": "realty"})
    s = screen("window-1")
    snap = s.wait_for(lambda s: s.snapshots and s.snapshots[0])
    assert snap["site"]["code"] == "test" and snap["last_seq"] >= 1
    assert {c["code"] for c in snap["categories"]} >= {"social", "tax", "realty"}
    assert next(c for c in snap["categories"] if c["code"] == "realty")["waiting"] >= 1
    assert [w["number"] for w in snap["windows"]] == [1, 2, 3, 4]
    assert snap["screen"]["window"] == 1 and "{number}" in snap["screen"]["voice_template"]
    assert "status_token" not in str(snap)  # nothing that follows an applicant


def test_a_call_reaches_the_screen_and_the_next_snapshot_shows_it(server, kiosk, staff, screen):
    s = screen("hall-1")
    s.wait_for(lambda s: s.snapshots)
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
    console = open_window(staff, 2)
    while True:
        called = console.post("/api/v1/sites/test/windows/2/call-next").json()
        if called["id"] == ticket["id"]:
            break
        console.post(f"/api/v1/sites/test/tickets/{called['id']}/no-show")
    event = s.wait_for(lambda s: next((e for e in s.events if e["type"] == "called"
                                       and e["ticket_id"] == ticket["id"]), None))
    assert (event["number"], event["window"]) == (ticket["number"], 2)
    fresh = s.sio.call("snapshot", {}, timeout=5)
    assert fresh["last_seq"] >= event["seq"]
    window2 = next(w for w in fresh["windows"] if w["number"] == 2)
    assert window2["current"]["number"] == ticket["number"]
    assert fresh["recent_calls"][0]["number"] == ticket["number"]
    console.post(f"/api/v1/sites/test/tickets/{ticket['id']}/no-show")


def test_calls_made_while_a_screen_was_offline_are_found_on_reconnect(server, kiosk, staff, screen):
    s = screen("hall-1")
    before = s.wait_for(lambda s: s.snapshots)[0]["last_seq"]
    s.close()
    console = open_window(staff, 1, "staff3")
    numbers = []
    for _ in range(3):
        kiosk.post("/api/v1/sites/test/tickets", {"category": "social"})
        called = console.post("/api/v1/sites/test/windows/1/call-next").json()
        numbers.append(called["number"])
        console.post(f"/api/v1/sites/test/tickets/{called['id']}/no-show")
    back = screen("hall-1")
    snap = back.wait_for(lambda s: s.snapshots)[0]
    assert snap["last_seq"] > before
    feed = requests.get(f"{server.url}/api/v1/sites/test/events?since={before}&limit=500",
                        headers={"Authorization": f"Bearer {server.tokens['hall-1']}"},
                        timeout=10).json()
    missed = [e["number"] for e in feed["events"] if e["type"] == "called"]
    assert missed == numbers
    assert [c["number"] for c in snap["recent_calls"][:3]] == numbers[::-1]


def test_the_server_speaks_a_call_in_mandarin_for_screens_without_a_browser_voice(server):
    url = f"{server.url}/display/voice"
    phrase = {"text": "请A 0 2 3号到5号窗口办理"}
    assert requests.get(url, params=phrase, timeout=10).status_code == 401  # screens only
    in_url = {**phrase, "token": server.tokens["hall-1"]}
    assert requests.get(url, params=in_url, timeout=10).status_code == 401  # a header, never the URL
    headers = {"X-Device-Token": server.tokens["hall-1"]}
    first = requests.get(url, params=phrase, headers=headers, timeout=30)
    assert first.status_code == 200 and first.headers["Content-Type"] == "audio/wav"
    assert first.content[:4] == b"RIFF" and len(first.content) > 20000  # over a second of speech
    again = requests.get(url, params=phrase, headers=headers, timeout=10)
    assert again.content == first.content  # cached per phrase
    assert requests.get(url, params={"text": "x" * 200}, headers=headers, timeout=10).status_code == 400


def test_screens_asking_for_the_same_new_phrase_at_once_all_get_the_voice(server):
    """A call is spoken by the hall screen and the window screen at the same moment."""
    from concurrent.futures import ThreadPoolExecutor

    url = f"{server.url}/display/voice"
    phrase = {"text": "请B 0 4 2号到3号窗口办理"}
    tokens = [server.tokens[d] for d in ("hall-1", "window-1", "window-2")] * 3

    def ask(token: str) -> requests.Response:
        return requests.get(url, params=phrase, headers={"X-Device-Token": token}, timeout=60)

    with ThreadPoolExecutor(len(tokens)) as pool:
        answers = list(pool.map(ask, tokens))
    assert [a.status_code for a in answers] == [200] * len(tokens)
    assert len({a.content for a in answers}) == 1 and answers[0].content[:4] == b"RIFF"
