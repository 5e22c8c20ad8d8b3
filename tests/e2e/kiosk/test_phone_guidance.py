"""What the phone page says and does at the moments that matter: an unknown link, a missed
number (what to do now), and the turn coming near (vibration, a beep, a notification)."""
from __future__ import annotations

import pytest
import requests

from ..browser import screenshot
from ..conftest import Client
from ..server import eventually, sqlite_server

PHONE = {"width": 390, "height": 844}
# Observes what the page asks of the phone (the calls still go through to the browser).
RECORD = """
window.__vibrations = [];
const vibrate = navigator.vibrate && navigator.vibrate.bind(navigator);
navigator.vibrate = pattern => { window.__vibrations.push(pattern); return vibrate ? vibrate(pattern) : true; };
window.__notifications = [];
if (window.Notification) {
  const Native = window.Notification;
  window.Notification = class extends Native {
    constructor(title, options) { super(title, options); window.__notifications.push(title + ' | ' + options.body); }
  };
}
"""


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    with sqlite_server(tmp_path_factory.mktemp("phone-guidance")) as srv:
        yield srv


@pytest.fixture
def phone(browser):
    contexts = []

    def open_(url: str):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                      permissions=["notifications"])
        context.set_default_timeout(10000)
        context.add_init_script(RECORD)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


def staff_at_window_1(hall) -> Client:
    staff = Client(hall.url).login("staff1", hall.passwords["staff1"])
    staff.post("/api/v1/sites/test/windows/1/sign-in", {"post": "A"})
    staff.post("/api/v1/sites/test/windows/1/open")
    return staff


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_number_gets_a_plain_not_found_page(hall, phone, lang):
    url = f"{hall.url}/t/no-such-ticket-token?lang={lang}"
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 404
    expected = "号码不存在或已过期" if lang == "zh" else "Number not found or expired"
    assert expected in answer.text
    assert requests.get(f"{hall.url}/t/bad%20token!", timeout=10).status_code == 404
    page = phone(url)
    assert page.get_by_test_id("missing").inner_text().startswith(expected)
    screenshot(page, f"phone_status_missing_{lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_missed_number_is_told_to_go_to_the_service_desk(hall, phone, lang):
    kiosk = Client(hall.url).as_device(hall.tokens["kiosk-1"])
    ticket = kiosk.post("/api/v1/sites/test/tickets", {"category": "tax"}).json()
    page = phone(f"{hall.url}/t/{ticket['status_token']}?lang={lang}")
    page.wait_for_selector("body[data-status='waiting']")
    assert not page.get_by_test_id("advice").is_visible()
    staff = Client(hall.url).login("staff2", hall.passwords["staff2"])
    staff.post("/api/v1/sites/test/windows/3/sign-in", {"post": "A"})
    staff.post("/api/v1/sites/test/windows/3/open")
    while True:  # call tax tickets at window 3 until this one is called
        called = staff.post("/api/v1/sites/test/windows/3/call-next").json()
        staff.post(f"/api/v1/sites/test/tickets/{called['id']}/no-show")
        if called["id"] == ticket["id"]:
            break
    page.wait_for_selector("body[data-status='no_show']")
    advice = page.get_by_test_id("advice").inner_text()
    assert ("服务台" in advice) if lang == "zh" else ("service desk" in advice)
    screenshot(page, f"phone_status_no_show_{lang}")
    staff.post("/api/v1/sites/test/windows/3/sign-out")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_phone_alerts_when_the_turn_is_near_and_when_called(hall, phone, lang):
    kiosk = Client(hall.url).as_device(hall.tokens["kiosk-1"])
    tickets = [kiosk.post("/api/v1/sites/test/tickets", {"category": "social"}).json()
               for _ in range(4)]
    mine = tickets[-1]
    assert mine["people_ahead"] >= 3
    page = phone(f"{hall.url}/t/{mine['status_token']}?lang={lang}")
    page.wait_for_selector("body[data-status='waiting']")
    assert not page.get_by_test_id("near").is_visible()
    assert page.get_by_test_id("wait-basis").is_visible()  # nobody signed in: a planned estimate
    page.get_by_test_id("alerts").click()  # the tap that allows sound and notifications
    page.wait_for_selector("body[data-alerts='on']")
    assert page.evaluate("Notification.permission") == "granted"
    assert page.get_by_test_id("alerts-on").is_visible()
    screenshot(page, f"phone_status_alerts_on_{lang}")
    beeps_before = int(page.evaluate("document.body.dataset.beeps"))

    staff = staff_at_window_1(hall)
    while True:  # call social tickets until fewer than 3 are ahead of mine
        ahead = requests.get(f"{hall.url}/api/v1/tickets/{mine['status_token']}",
                             timeout=10).json()["people_ahead"]
        if ahead < 3:
            break
        called = staff.post("/api/v1/sites/test/windows/1/call-next").json()
        staff.post(f"/api/v1/sites/test/tickets/{called['id']}/no-show")
    page.wait_for_selector("[data-testid='near']:visible")
    near = page.get_by_test_id("near").inner_text()
    assert ("快到您了" if lang == "zh" else "Almost your turn") in near
    assert eventually(lambda: page.evaluate("window.__notifications.length") == 1)
    assert near in page.evaluate("window.__notifications[0]")
    assert page.evaluate("window.__vibrations.length") >= 2  # the tap's, then the alert's
    assert int(page.evaluate("document.body.dataset.beeps")) == beeps_before + 1
    screenshot(page, f"phone_status_near_{lang}")

    while True:  # and once more when it is called
        called = staff.post("/api/v1/sites/test/windows/1/call-next").json()
        if called["id"] == mine["id"]:
            break
        staff.post(f"/api/v1/sites/test/tickets/{called['id']}/no-show")
    page.wait_for_selector("body[data-status='called']")
    assert eventually(lambda: page.evaluate("window.__notifications.length") == 2)
    assert "1" in page.evaluate("window.__notifications[1]")  # the window to go to
    staff.post(f"/api/v1/sites/test/tickets/{mine['id']}/no-show")
    staff.post("/api/v1/sites/test/windows/1/sign-out")
