"""The event table: an unknown kind or a payload that is not the kind's own is refused."""
import pytest

from queue_core.domain.events import PAYLOADS, EventKind, check_event


def test_every_kind_has_a_declared_payload():
    assert set(PAYLOADS) == set(EventKind)


def test_a_called_event_with_its_fields_passes():
    assert check_event("called", {"post", "reason", "wait_seconds"}, True, True) is EventKind.CALLED


@pytest.mark.parametrize("kind, fields, ticket, window, problem", [
    ("calld", {"post", "reason", "wait_seconds"}, True, True, "unknown event kind"),
    ("called", {"post", "reason"}, True, True, "missing ['wait_seconds']"),
    ("called", {"post", "reason", "wait_seconds", "colour"}, True, True, "unknown ['colour']"),
    ("called", {"post", "reason", "wait_seconds"}, True, False, "window is required"),
    ("day_started", {"service_date"}, True, False, "ticket is none"),
])
def test_a_wrong_event_fails_loudly(kind, fields, ticket, window, problem):
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        check_event(kind, fields, ticket, window)
