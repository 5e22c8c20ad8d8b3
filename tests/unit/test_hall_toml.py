"""The config blocks tests append (tests/support/hall_toml.py) read back as what they were given,
names with quotes, backslashes and control characters included."""
import tomllib

from tests.support.hall_toml import category, screen, window


def test_blocks_read_back_as_given():
    awkward = 'Say "A 12" \\ then\ttab\x7fdel\n二楼'
    text = (category("fund", "GJ", "公积金", awkward, daily_cap=9999, location=None)
            + window(12, a=["fund"], b=[], open=True) + screen("hall-1", "综合屏", "hall",
                                                               notice=awkward))
    site = tomllib.loads(text)["sites"]
    assert site["categories"] == [{"code": "fund", "prefix": "GJ", "name_zh": "公积金",
                                   "name_en": awkward, "daily_cap": 9999}]
    assert site["windows"] == [{"number": 12, "a": ["fund"], "b": [], "open": True}]
    assert site["screens"] == [{"code": "hall-1", "name": "综合屏", "kind": "hall",
                                "notice": awkward}]
