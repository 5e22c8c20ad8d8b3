"""Column counting and wrapping with double-width Chinese characters."""

from __future__ import annotations

import pytest

from printers.columns import char_columns, text_columns, wrap


def test_chinese_characters_take_two_columns():
    assert text_columns("A023") == 4
    assert text_columns("社保") == 4
    assert text_columns("二楼 B区") == 8
    assert char_columns("，") == 2 and char_columns("·") == 2  # fullwidth and ambiguous: printer's 24-dot font


@pytest.mark.parametrize("width", [8, 16, 24, 32, 48])
def test_wrapped_lines_never_exceed_the_width(width):
    text = "社会保障卡申领及补换（含异地就医备案、养老保险关系转移接续） Social security card application"
    lines = wrap(text, width)
    assert all(text_columns(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_english_wraps_between_words():
    assert wrap("Missed your call? Please take a new ticket.", 32) == ["Missed your call? Please take a", "new ticket."]


def test_a_closing_comma_never_starts_a_line():
    lines = wrap("过号请重新取号，号票当日有效。", 14)  # 7 characters fit; the 8th is "，"
    assert all(not line.startswith("，") for line in lines)
    assert all(text_columns(line) <= 14 for line in lines)


def test_overlong_word_is_hard_broken():
    assert wrap("x" * 40, 16) == ["x" * 16, "x" * 16, "x" * 8]


def test_too_narrow_is_an_error():
    with pytest.raises(ValueError):
        wrap("abc", 1)
