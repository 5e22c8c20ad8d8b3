"""A day at the hall over real HTTP: a kiosk issues, staff call and serve, the QR link follows."""
import socketio

from .conftest import Client


def test_kiosk_ticket_is_called_served_and_followed_by_its_qr_link(server, kiosk_client, staff_client):
    issued = kiosk_client.post("/api/v1/sites/test/tickets", {"category": "tax"})
    assert issued.status_code == 201, issued.text
    ticket = issued.json()
    assert ticket["number"].startswith("B") and ticket["status_token"]

    public = Client(server.url)  # the applicant's phone: no credentials at all
    status = public.get(f"/api/v1/tickets/{ticket['status_token']}").json()
    assert status["status"] == "waiting" and status["people_ahead"] == 0

    staff = staff_client("staff2")
    assert staff.post("/api/v1/sites/test/windows/3/sign-in", {"post": "A"}).status_code == 200
    assert staff.post("/api/v1/sites/test/windows/3/open").json()["state"] == "open"
    called = staff.post("/api/v1/sites/test/windows/3/call-next")
    assert called.status_code == 200, called.text
    assert called.json()["number"] == ticket["number"]
    assert called.json()["call_reason"]["rule"] == "arrival"
    assert "status_token" not in called.json()  # the phone page's key is the applicant's alone
    windows = staff.get("/api/v1/sites/test/windows").text
    screen = Client(server.url).as_device(server.tokens["hall-1"]).get("/api/v1/sites/test/windows")
    assert ticket["status_token"] not in windows and ticket["status_token"] not in screen.text

    status = public.get(f"/api/v1/tickets/{ticket['status_token']}").json()
    assert (status["status"], status["window"]) == ("called", 3)

    assert staff.post(f"/api/v1/sites/test/tickets/{ticket['id']}/start").status_code == 200
    done = staff.post(f"/api/v1/sites/test/tickets/{ticket['id']}/finish").json()
    assert done["status"] == "done"
    stats = staff.get("/api/v1/sites/test/stats/today").json()
    tax = next(r for r in stats["categories"] if r["category"] == "tax")
    assert tax["served"] >= 1 and tax["issued"] >= 1


def test_screen_receives_the_call_over_socketio(server, kiosk_client, staff_client):
    received, hello = [], []
    screen = socketio.Client(reconnection=False)
    screen.on("hello", hello.append)
    screen.on("event", received.append)
    screen.connect(server.url, auth={"token": server.tokens["hall-1"]}, wait_timeout=10,
                   transports=["websocket"])
    try:
        ticket = kiosk_client.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
        staff = staff_client("staff1")
        staff.post("/api/v1/sites/test/windows/2/sign-in", {"post": "A"})
        staff.post("/api/v1/sites/test/windows/2/open")
        while True:  # earlier tests may have left social tickets waiting
            called = staff.post("/api/v1/sites/test/windows/2/call-next").json()
            staff.post(f"/api/v1/sites/test/tickets/{called['id']}/no-show")
            if called["id"] == ticket["id"]:
                break
        screen.sleep(0.5)
        calls = [e for e in received if e["type"] == "called" and e["ticket_id"] == ticket["id"]]
        assert calls and calls[0]["number"] == ticket["number"] and calls[0]["window"] == 2
        assert hello and hello[0]["site"] == "test"
        seqs = [e["seq"] for e in received]
        assert seqs == sorted(seqs) and seqs[0] > hello[0]["last_seq"] - 1
    finally:
        screen.disconnect()


def test_screen_without_a_valid_token_is_refused(server):
    screen = socketio.Client(reconnection=False)
    try:
        screen.connect(server.url, auth={"token": "dev_wrong"}, wait_timeout=5,
                       transports=["websocket"])
        connected = True
    except socketio.exceptions.ConnectionError:
        connected = False
    finally:
        screen.disconnect()
    assert not connected


def test_events_feed_lets_a_screen_catch_up(server, kiosk_client):
    screen = Client(server.url).as_device(server.tokens["hall-1"])
    first = screen.get("/api/v1/sites/test/events?since=0&limit=5").json()
    assert [e["seq"] for e in first["events"]] == [1, 2, 3, 4, 5] or first["last_seq"] < 5
    kiosk_client.post("/api/v1/sites/test/tickets", {"category": "social"})
    later = screen.get(f"/api/v1/sites/test/events?since={first['last_seq']}").json()
    assert later["events"][-1]["type"] == "issued" and later["last_seq"] == later["events"][-1]["seq"]
