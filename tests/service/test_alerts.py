"""电子监察: each alert fires once while its condition holds, clears when it ends, is kept, and
a manager's acknowledgement records who and when."""
import pytest
from sqlalchemy import select

from queue_core.adapters.orm import Device, Event
from queue_core.domain.errors import Forbidden, NotFound
from queue_core.service import alerts, devices, rebalance, windows
from queue_core.service.presence import Presence
from queue_core.service.queries import get_site

from .helpers import call, issue, staff_window


def sweep(hall) -> list[dict]:
    return alerts.sweep(hall.uow(), "test")


def listed(hall, kind: str, open_only: bool = False) -> list[dict]:
    with hall.db.reader() as s:
        return [a for a in alerts.list_alerts(s, get_site(s, "test"), open_only)
                if a["kind"] == kind]


def events(hall, *types: str) -> list[dict]:
    with hall.db.reader() as s:
        return [{"type": e.type, **e.payload} for e in s.scalars(
            select(Event).where(Event.type.in_(types)).order_by(Event.seq))]


def test_wait_over_target_fires_once_and_clears_when_the_ticket_is_called(hall, kiosk, people,
                                                                          clock):
    issue(hall, kiosk, "social")                     # target 20 minutes
    sweep(hall)
    assert listed(hall, "wait_over_target") == []
    clock.advance(minutes=21)
    sweep(hall)
    sweep(hall)
    [alert] = listed(hall, "wait_over_target", open_only=True)
    assert alert["subject"] == "social" and alert["detail"]["oldest_wait_minutes"] == 21
    assert alert["detail"]["target_minutes"] == 20 and alert["cleared_at"] is None
    staff_window(hall, 2, people["staff1"])
    call(hall, 2, people["staff1"])
    sweep(hall)
    assert listed(hall, "wait_over_target", open_only=True) == []
    [kept] = listed(hall, "wait_over_target")
    assert kept["id"] == alert["id"] and kept["cleared_at"] == clock.now().isoformat()
    assert [e["type"] for e in events(hall, "alert_raised", "alert_cleared")
            if e["kind"] == "wait_over_target"] == ["alert_raised", "alert_cleared"]


def test_window_paused_too_long_fires_after_the_site_limit(hall, people, clock):
    staff_window(hall, 2, people["staff1"])
    windows.set_window_state(hall.uow(), "test", 2, "paused", people["staff1"], "会议")
    clock.advance(minutes=15)
    sweep(hall)
    assert listed(hall, "window_paused_too_long") == []   # the default limit is 15 minutes
    clock.advance(minutes=1)
    sweep(hall)
    [alert] = listed(hall, "window_paused_too_long", open_only=True)
    assert alert["subject"] == "2" and alert["detail"]["reason"] == "会议"
    assert alert["detail"]["paused_minutes"] == 16
    windows.set_window_state(hall.uow(), "test", 2, "open", people["staff1"])
    sweep(hall)
    assert listed(hall, "window_paused_too_long", open_only=True) == []


def test_a_post_absent_until_a_b_post_covers_and_again_when_b_is_forced_off(hall, kiosk, people):
    issue(hall, kiosk, "tax")                        # nobody at window 3, tax's A window
    sweep(hall)
    [alert] = listed(hall, "a_post_absent", open_only=True)
    assert alert["subject"] == "tax" and alert["detail"]["a_windows"] == [3]
    staff_window(hall, 1, people["staff1"])          # window 1 covers tax as B
    sweep(hall)
    assert listed(hall, "a_post_absent", open_only=True) == []
    rebalance.set_backup_override(hall.uow(), "test", "tax", False, people["boss"])
    sweep(hall)
    [again] = listed(hall, "a_post_absent", open_only=True)
    assert again["id"] != alert["id"] and again["detail"]["backup_forced_off"] is True
    staff_window(hall, 3, people["staff2"])
    sweep(hall)
    assert listed(hall, "a_post_absent", open_only=True) == []
    assert len(listed(hall, "a_post_absent")) == 2


def test_printer_out_of_paper_raises_at_once_and_clears_once_back_for_a_while(hall, clock):
    devices.record_printer_status(hall.uow(), "test", "kiosk-1", "paper_low")
    [low] = listed(hall, "printer_fault", open_only=True)
    assert low["detail"] == {"printer": "kiosk-1", "status": "paper_low", "level": "warning"}
    devices.record_printer_status(hall.uow(), "test", "kiosk-1", "paper_out")  # no sweep call
    [out] = listed(hall, "printer_fault", open_only=True)
    assert out["id"] != low["id"]
    assert (out["detail"]["status"], out["detail"]["level"]) == ("paper_out", "critical")
    published = [e["type"] for _, e in hall.publisher.sent
                 if e["type"].startswith("alert_") and e["kind"] == "printer_fault"]
    assert published == ["alert_raised", "alert_cleared", "alert_raised"]
    devices.record_printer_status(hall.uow(), "test", "kiosk-1", "online")
    assert len(listed(hall, "printer_fault", open_only=True)) == 1  # settling: back for how long?
    clock.advance(seconds=60)
    sweep(hall)
    assert listed(hall, "printer_fault", open_only=True) == []
    assert len(listed(hall, "printer_fault")) == 2


def test_a_printer_dropping_data_is_one_alert_not_a_flicker(hall, clock):
    for status in ["offline", "online", "offline", "online", "offline", "online"]:
        devices.record_printer_status(hall.uow(), "test", "kiosk-1", status)
        clock.advance(seconds=1)
    published = [e["type"] for _, e in hall.publisher.sent
                 if e["type"].startswith("alert_") and e["kind"] == "printer_fault"]
    assert published == ["alert_raised"]
    clock.advance(seconds=60)
    sweep(hall)
    assert listed(hall, "printer_fault", open_only=True) == []


def test_screen_offline_when_not_seen_and_clears_once_it_connects(hall, clock):
    sweep(hall)
    [alert] = listed(hall, "screen_offline", open_only=True)
    assert alert["subject"] == "hall-1" and alert["detail"]["last_seen"] is None
    with hall.db.reader() as s:
        screen_id = s.scalars(select(Device.id).where(Device.code == "hall-1")).one()
    presence = Presence(hall.db, clock)
    presence.connected("sid-1", screen_id)
    sweep(hall)
    assert len(listed(hall, "screen_offline", open_only=True)) == 1  # settling
    clock.advance(minutes=1)
    presence.refresh_connected()                     # still connected: seen again
    sweep(hall)
    assert listed(hall, "screen_offline", open_only=True) == []
    clock.advance(seconds=30)
    sweep(hall)
    assert listed(hall, "screen_offline", open_only=True) == []
    presence.disconnected("sid-1")
    clock.advance(minutes=2, seconds=1)
    presence.refresh_connected()
    sweep(hall)
    assert len(listed(hall, "screen_offline", open_only=True)) == 1


def test_screens_switched_off_at_night_are_not_an_alert(hall, clock):
    clock.advance(hours=12)                          # 21:00 in the hall
    sweep(hall)
    assert listed(hall, "screen_offline") == []


def test_presence_writes_at_most_once_per_half_minute(hall, clock):
    with hall.db.reader() as s:
        screen_id = s.scalars(select(Device.id).where(Device.code == "hall-1")).one()
    presence = Presence(hall.db, clock)
    first = clock.now()
    presence.seen([screen_id])
    clock.advance(seconds=20)
    presence.seen([screen_id])
    with hall.db.reader() as s:
        assert s.get(Device, screen_id).last_seen == first
    clock.advance(seconds=10)
    presence.seen([screen_id])
    with hall.db.reader() as s:
        assert s.get(Device, screen_id).last_seen == clock.now()


def test_manager_acknowledges_and_the_alert_keeps_who_and_when(hall, kiosk, people, clock):
    devices.record_printer_status(hall.uow(), "test", "kiosk-1", "offline")
    [alert] = listed(hall, "printer_fault")
    with pytest.raises(Forbidden):
        alerts.acknowledge(hall.uow(), "test", alert["id"], people["staff1"])
    clock.advance(minutes=2)
    acked = alerts.acknowledge(hall.uow(), "test", alert["id"], people["boss"])
    assert acked["acknowledged_by"] == {"id": people["boss"].id, "name": "Boss"}
    assert acked["acknowledged_at"] == clock.now().isoformat() and acked["cleared_at"] is None
    clock.advance(minutes=1)
    again = alerts.acknowledge(hall.uow(), "test", alert["id"], people["boss"])
    assert again["acknowledged_at"] == acked["acknowledged_at"]
    devices.record_printer_status(hall.uow(), "test", "kiosk-1", "online")
    clock.advance(minutes=1)
    sweep(hall)
    [kept] = listed(hall, "printer_fault")
    assert kept["cleared_at"] and kept["acknowledged_by"]["name"] == "Boss"
    [event] = events(hall, "alert_acknowledged")
    assert event["by"]["name"] == "Boss" and event["alert"] == alert["id"]
    with pytest.raises(NotFound):
        alerts.acknowledge(hall.uow(), "test", 999999, people["boss"])


def test_devices_show_presence_and_the_kiosk_printer(hall, clock):
    devices.record_printer_status(hall.uow(), "test", "kiosk-1", "paper_out")
    with hall.db.reader() as s:
        screen_id = s.scalars(select(Device.id).where(Device.code == "hall-1")).one()
    Presence(hall.db, clock).seen([screen_id])
    with hall.db.reader() as s:
        listed_devices = {d["code"]: d for d in alerts.devices_overview(s, get_site(s, "test"),
                                                                        clock.now())}
    assert listed_devices["kiosk-1"]["printer"] == {"code": "kiosk-1", "status": "paper_out"}
    assert listed_devices["kiosk-1"]["online"] is False
    assert listed_devices["hall-1"]["online"] is True
    assert listed_devices["hall-1"]["printer"] is None
    clock.advance(minutes=3)
    with hall.db.reader() as s:
        later = alerts.devices_overview(s, get_site(s, "test"), clock.now())
    assert not any(d["online"] for d in later)


def test_no_effective_cover_fires_when_realtys_a_window_closes_and_one_tax_window_backs_it_up(
        hall, kiosk, people, clock):
    # The issue's case: realty (15-minute services) keeps coming at 6 an hour, 1.5 windows' work;
    # its A window closes at 10:00 and its only backup is tax window 3, itself busy a third of
    # the time with tax. One backup window counts as cover, so a_post_absent stays quiet.
    rebalance.set_window_categories(hall.uow(), "test", 3, ["tax"], ["realty"], people["boss"])
    staff_window(hall, 3, people["staff2"])
    staff_window(hall, 4, people["staff3"])
    issue(hall, kiosk, "tax")
    for _ in range(3):                                   # 09:00–09:30: three realty tickets
        issue(hall, kiosk, "realty")
        clock.advance(minutes=10)
    sweep(hall)
    assert listed(hall, "no_effective_cover") == []      # window 4 and spare time of window 3
    windows.set_window_state(hall.uow(), "test", 4, "closed", people["staff3"])
    sweep(hall)
    assert listed(hall, "a_post_absent", open_only=True) == []
    [alert] = listed(hall, "no_effective_cover", open_only=True)
    detail = alert["detail"]
    assert alert["subject"] == "realty" and detail["level"] == "warning"
    assert detail["arrivals_per_hour"] == 6.0 and detail["windows_needed"] == 1.5
    assert detail["b_windows"] == [3] and detail["a_windows"] == []
    assert detail["effective_windows"] < 1 and detail["horizon_minutes"] == 30
    # Window 4 opens again: the alert clears once that has held a minute (no flicker).
    staff_window(hall, 4, people["staff3"])
    sweep(hall)
    clock.advance(seconds=61)
    sweep(hall)
    assert listed(hall, "no_effective_cover", open_only=True) == []


def test_no_effective_cover_weighs_only_the_arrivals_still_to_come(hall, kiosk, people, clock):
    # Realty is issued until 12:00: at 11:50 only a third of the next half hour brings any.
    rebalance.set_window_categories(hall.uow(), "test", 3, ["tax"], ["realty"], people["boss"])
    staff_window(hall, 3, people["staff2"])
    clock.advance(minutes=140)                           # 11:20
    for _ in range(3):
        issue(hall, kiosk, "realty")
        clock.advance(minutes=10)
    sweep(hall)                                          # 11:50: 6 an hour for 10 minutes
    assert listed(hall, "no_effective_cover", open_only=True) == []
