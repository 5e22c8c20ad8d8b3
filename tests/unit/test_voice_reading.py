"""How a call is read and cut into a voice pack's segments: numbers the way halls read them, the
default pack's segment list covering every call, and the README's list kept equal to it."""
import re
from pathlib import Path

import pytest

from display.voice import call_parts, call_reading
from display.voice_pack import DEFAULT_SEGMENTS, MANIFEST, VoicePack, default_manifest, window_reading

README = Path(__file__).parents[2] / "display" / "voice_packs" / "README.md"
TEMPLATE = "请{number}号到{window}号窗口办理"  # the screens' default


@pytest.fixture
def default_pack(tmp_path) -> VoicePack:
    (tmp_path / MANIFEST).write_text(default_manifest(), encoding="utf-8")
    return VoicePack(tmp_path)  # splitting reads only the manifest


@pytest.mark.parametrize("window, said", [
    (1, "一"), (5, "五"), (10, "十"), (11, "十一"), (12, "十二"), (20, "二十"), (21, "二十一"),
    (99, "九十九"), (100, "一百"), (101, "一百零一"), (105, "一百零五"), (110, "一百一十"),
    (112, "一百一十二"), (999, "九百九十九")])
def test_a_window_is_read_as_a_number(window, said):
    assert window_reading(window) == said


def test_the_screens_phrase_becomes_the_halls_segments(default_pack):
    phrase = "请A 0 0 1号到12号窗口办理"  # what a screen sends for A001 at window 12
    reading = call_reading(TEMPLATE, *call_parts(phrase, TEMPLATE))
    assert reading == "请A零零一号到十二号窗口办理"
    assert default_pack.split(reading) == (
        ["请", "A", "零", "零", "一", "号", "到", "十", "二", "号", "窗口", "办理"], [])


def test_another_template_and_a_two_letter_prefix(default_pack):
    template = "{number}号请到{window}号窗口"
    reading = call_reading(template, *call_parts("A B 1 0 4 0号请到105号窗口", template))
    assert reading == "AB一零四零号请到一百零五号窗口"
    assert default_pack.split(reading)[1] == []


def test_a_recorded_longer_segment_wins_over_single_characters(tmp_path):
    (tmp_path / MANIFEST).write_text(default_manifest() + '"十二号窗口" = "window-12.wav"\n'
                                     '"请到" = "qingdao.wav"\n', encoding="utf-8")
    pack = VoicePack(tmp_path)
    assert pack.split("请A零零一号到十二号窗口办理")[0] == [
        "请", "A", "零", "零", "一", "号", "到", "十二号窗口", "办理"]
    assert pack.split("A零零一号请到三号窗口")[0][-4:] == ["请到", "三", "号", "窗口"]


def test_words_the_pack_lacks_are_named_and_punctuation_is_a_pause(default_pack):
    parts, missing = default_pack.split("请A零零一号到十二号柜台，办理")
    assert missing == ["柜", "台"]
    assert "，" in parts


def test_every_call_of_the_default_template_is_in_the_default_pack(default_pack):
    for prefix in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for window in range(1, 1000):
            reading = call_reading(TEMPLATE, f"{prefix} 0 0 7", str(window))
            assert default_pack.split(reading)[1] == [], reading


def test_the_readme_lists_the_default_packs_files():
    text = README.read_text(encoding="utf-8")
    named = {m for m in re.findall(r"[a-z0-9-]+\.wav", text)}
    files = {name for name, _ in DEFAULT_SEGMENTS.values()}
    ranges = {"digit-0.wav", "digit-9.wav", "letter-a.wav", "letter-z.wav"}  # "…" between
    singles = {f for f in files if not re.fullmatch(r"(digit|letter)-\w\.wav", f)}
    assert singles | ranges <= named
    assert len(files) == 7 + 10 + 26  # 请 号 到 窗口 办理 十 百, 零–九, A–Z
