"""The kiosk's list and issuing say the same thing about a category that cannot be taken, with
the hall's precedence: closed hours, then the category's hours, then paused, then the cap."""
import pytest

from queue_core.domain.errors import DomainError
from queue_core.service import queries, windows

from .helpers import issue


def listed_reason(hall, code: str) -> str | None:
    with hall.db.reader() as session:
        site = queries.get_site(session, "test")
        listed = queries.categories_overview(session, site, hall.clock.now())
    return next(c["unavailable_reason"] for c in listed if c["code"] == code)


def issuing_reason(hall, kiosk, code: str) -> str | None:
    try:
        issue(hall, kiosk, code)
    except DomainError as exc:
        return exc.code
    return None


def take_all_tax_tickets(hall, kiosk) -> None:
    for _ in range(3):  # tax: daily cap 3
        issue(hall, kiosk, "tax")


def test_a_capped_category_after_closing_time_reads_closed_on_the_kiosk_and_in_issuing(
        hall, kiosk, clock):
    take_all_tax_tickets(hall, kiosk)
    assert listed_reason(hall, "tax") == issuing_reason(hall, kiosk, "tax") == "daily_cap_reached"
    clock.advance(hours=9)  # 18:00 local
    assert listed_reason(hall, "tax") == issuing_reason(hall, kiosk, "tax") \
        == "outside_opening_hours"


def test_a_capped_category_outside_its_own_hours_reads_closed(hall, kiosk, clock):
    for _ in range(100):  # realty: cap 100, open 08:30-12:00
        issue(hall, kiosk, "realty")
    clock.advance(hours=3, minutes=30)  # 12:30 local
    assert listed_reason(hall, "realty") == issuing_reason(hall, kiosk, "realty") \
        == "category_closed"


def test_a_capped_category_whose_windows_are_paused_reads_paused(hall, kiosk, people):
    take_all_tax_tickets(hall, kiosk)
    for number in (1, 3, 4):  # every window serving tax
        windows.set_window_state(hall.uow(), "test", number, "paused", people["boss"],
                                 reason="系统维护")
    assert listed_reason(hall, "tax") == issuing_reason(hall, kiosk, "tax") == "category_paused"
    with hall.db.reader() as session:
        listed = queries.categories_overview(session, queries.get_site(session, "test"),
                                             hall.clock.now())
    assert next(c["pause_reason"] for c in listed if c["code"] == "tax") == "系统维护"


@pytest.mark.parametrize("code", ["social", "tax", "realty"])
def test_an_open_category_is_listed_available_and_issues(hall, kiosk, code):
    assert listed_reason(hall, code) is None
    assert issuing_reason(hall, kiosk, code) is None
