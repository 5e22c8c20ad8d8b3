"""查询码: a kiosk's short tag and what staff may type (case, spaces, dashes), never a look-alike."""
import pytest

from queue_core.domain import lookup_code
from queue_core.domain.errors import InvalidLookupCode


@pytest.mark.parametrize("device,tag", [("kiosk-1", "K1"), ("lobby-east-2", "LE2"),
                                        ("kiosk12", "K12"), ("---", "K")])
def test_a_kiosks_tag_is_short(device, tag):
    assert lookup_code.device_tag(device) == tag


def test_parsing_forgives_case_spaces_and_dashes_but_not_look_alikes():
    assert lookup_code.parse(" k1 - 7qx4p2 ").key == "7QX4P2"
    assert lookup_code.parse("12345678").appointment == "12345678"
    with pytest.raises(InvalidLookupCode):
        lookup_code.parse("K1-7QX4PO")
