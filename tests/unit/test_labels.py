"""Every code a page shows has a label in both languages, taken from the code's own home."""
import inspect

import pytest

from printers.spooler import JobState
from printers.status import PrinterStatus
from queue_core.domain import alerts, errors, evaluation
from queue_core.domain.events import EventKind
from queue_core.domain.model import TicketStatus, WindowState
from queue_core.domain.policy import Rule, Trigger
from queue_core.domain.rights import Kind
from queue_core.labels import LABELS, labels_json
from queue_core.planning import staffing as planning_staffing
from queue_core.service import staffing as service_staffing


def _error_codes() -> set[str]:
    """Every DomainError's code, those of domain/errors.py and any defined elsewhere."""
    import queue_core.api  # noqa: F401  (its own errors, e.g. invalid_json)
    found, todo = set(), [errors.DomainError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub.code)
            todo.append(sub)
    assert {cls.code for _, cls in inspect.getmembers(errors, inspect.isclass)
            if issubclass(cls, errors.DomainError)} - {"domain_error"} <= found
    return found


HOMES = {
    "call_rules": set(Rule),
    "backup_triggers": set(Trigger),
    "events": set(EventKind),
    "alerts": set(alerts.KINDS),
    "alert_levels": set(alerts.LEVELS),
    "printer_states": set(PrinterStatus),
    "staffing_rows": set(planning_staffing.ROWS),
    "staffing_sources": (set(service_staffing.SOURCES) | set(service_staffing.PLAN_KINDS)
                         | set(service_staffing.SKILLS)),
    "staffing_stops": set(planning_staffing.STOPS),
    "print_job_states": set(JobState) | {"expired"},
    "ticket_statuses": set(TicketStatus),
    "window_states": set(WindowState),
    "device_kinds": {Kind.KIOSK, Kind.HALL_SCREEN, Kind.WINDOW_SCREEN, Kind.EVALUATOR},
    "errors": _error_codes(),
    "evaluation_levels": {str(level) for level in evaluation.LEVELS},
    "evaluation_reasons": set(evaluation.REASONS),
}


@pytest.mark.parametrize("group", sorted(HOMES))
def test_every_code_has_a_label_in_both_languages(group):
    codes = {str(getattr(c, "value", c)) for c in HOMES[group]}
    labelled = LABELS[group]
    assert codes - set(labelled) == set(), f"{group}: codes without a label"
    for code in codes:
        zh, en = labelled[code]
        assert zh.strip() and en.strip(), f"{group}.{code}: an empty label"
        assert zh != en or code in ("A", "B"), f"{group}.{code}: not translated"


def test_the_served_table_is_one_language_with_a_stable_etag():
    zh, etag = labels_json("zh")
    en, etag_en = labels_json("en")
    assert "等候超时" in zh.decode() and "等候超时" not in en.decode()
    assert etag != etag_en and labels_json("zh")[1] == etag
