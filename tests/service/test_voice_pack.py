"""Calls joined from a voice pack through the Flask app: the default pack made at first use with
the real espeak-ng (Mandarin, within 3.5 s with the chime), a hall's recorded pack used from the
configured folder, and a missing segment said by the synthesizer with a warning naming it."""
import array
import io
import logging
import math
import shutil
import subprocess
import wave
from pathlib import Path
from urllib.parse import unquote

import pytest

from display.voice import CallVoice, VoiceCache
from display.voice_pack import (DEFAULT_SEGMENTS, ESPEAK_VOICE, LETTERS, MANIFEST, DIGITS,
                                write_default_pack)

from .test_voice import ask, voice_app

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng not installed")
CALL = "请A 0 0 1号到12号窗口办理"


def audio(answer) -> tuple[wave._wave_params, float]:
    with wave.open(io.BytesIO(answer.data)) as w:
        params = w.getparams()
        assert len(w.readframes(w.getnframes())) == params.nframes * params.sampwidth * params.nchannels
    return params, params.nframes / params.framerate


def phonemes(voice: str, text: str) -> str:
    return subprocess.run([ESPEAK, "-v", voice, "-x", "-q", "--", text], capture_output=True,
                          text=True, check=True, timeout=20).stdout


@needs_espeak
def test_a_call_is_joined_from_the_default_pack_made_at_first_use(tmp_path, clock):
    app = voice_app(tmp_path, clock)
    answer = ask(app, "hall-1", CALL)
    assert answer.status_code == 200 and answer.headers["X-Voice-Source"] == "pack"
    params, seconds = audio(answer)
    chime = int(answer.headers["X-Voice-Chime-Ms"]) / 1000
    assert 0.3 <= chime <= 0.8 and 1.5 < seconds - chime
    assert seconds <= 3.5  # an announcement, chime and phrase, within 3.5 s
    pack = tmp_path / "voice-pack"
    files = {name for name, _ in DEFAULT_SEGMENTS.values()} | {"chime.wav"}
    assert files <= {p.name for p in pack.glob("*.wav")} and (pack / MANIFEST).is_file()
    formats = set()
    for name in files:
        with wave.open(str(pack / name)) as w:
            formats.add((w.getnchannels(), w.getsampwidth(), w.getframerate()))
            assert w.getnframes() > 0
    assert formats == {(params.nchannels, params.sampwidth, params.framerate)}


@needs_espeak
def test_the_default_pack_is_said_in_mandarin_not_english_pinyin():
    # Debian's `-v cmn` reads the dictionary's pinyin in English: 请 is "(en)kI55NTr'i:55".
    assert "(en)" in phonemes("cmn", "请号到窗口办理")
    for text, (name, say) in DEFAULT_SEGMENTS.items():
        said = phonemes(ESPEAK_VOICE, say)
        assert "(en)" not in said, (text, said)
        if text not in LETTERS:  # a letter keeps its name ("ei"); a syllable has its tone
            assert any(tone in said for tone in ("55", "35", "214", "21", "51")), (text, said)
    # the synthesizer, when a pack lacks a segment, is given characters in the same voice
    whole = phonemes(ESPEAK_VOICE, "请A零零一号到十二号窗口办理")
    assert "(en)" not in whole and whole.count("_|") == 14


def recorded_pack(folder: Path, *, rate: int = 16000, without: str = "",
                  bad_width: str = "") -> dict[str, int]:
    """A stand-in for a hall's recorded pack: one tone per segment, 16 kHz, own file names."""
    folder.mkdir()
    texts = ["请", "号", "到", "窗口", "办理", "十", "百", *DIGITS, *LETTERS]
    lines, frames = ['name = "录音包"', "gap_ms = 20", "[segments]"], {}
    for i, text in enumerate(texts):
        if text == without:
            continue
        name = f"seg{i:02d}.wav"
        lines.append(f'"{text}" = "{name}"')
        n = rate * (150 + 5 * i) // 1000
        samples = array.array("h", (int(8000 * math.sin(2 * math.pi * (200 + 20 * i) * k / rate))
                                    for k in range(n)))
        with wave.open(str(folder / name), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(1 if text == bad_width else 2)
            w.setframerate(rate)
            w.writeframes(samples.tobytes() if text != bad_width else bytes(n))
        frames[text] = n
    (folder / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return frames


def test_a_halls_recorded_pack_in_the_configured_folder_is_used(tmp_path, clock):
    frames = recorded_pack(tmp_path / "recorded")
    app = voice_app(tmp_path, clock, voice_pack=str(tmp_path / "recorded"))
    answer = ask(app, "hall-1", CALL)
    assert answer.headers["X-Voice-Source"] == "pack"
    params, _ = audio(answer)
    assert params.framerate == 16000
    said = ["请", "A", "零", "零", "一", "号", "到", "十", "二", "号", "窗口", "办理"]
    chime = int(answer.headers["X-Voice-Chime-Ms"]) * 16  # generated chime and pause, 16 kHz
    gaps = (len(said) - 1) * 20 * 16
    assert params.nframes == chime + sum(frames[t] for t in said) + gaps
    assert not (tmp_path / "voice-pack").exists()  # no default pack made beside it
    # A re-recorded segment is heard at the next call: the cached call is not reused.
    shutil.copyfile(tmp_path / "recorded" / "seg05.wav", tmp_path / "recorded" / "seg00.wav")
    again = ask(app, "hall-1", CALL)  # 请 now sounds like 十
    assert audio(again)[0].nframes == params.nframes - frames["请"] + frames["十"]


@needs_espeak
def test_a_segment_missing_from_the_pack_is_said_by_the_synthesizer_and_named(
        tmp_path, clock, caplog):
    recorded_pack(tmp_path / "recorded", without="窗口")
    app = voice_app(tmp_path, clock, voice_pack=str(tmp_path / "recorded"))
    with caplog.at_level(logging.WARNING, logger="display.voice"):
        answer = ask(app, "hall-1", CALL)
    assert answer.status_code == 200 and answer.headers["X-Voice-Source"] == "synthesizer"
    assert unquote(answer.headers["X-Voice-Missing"]) == "窗 口"
    assert audio(answer)[0].framerate == 22050  # espeak-ng's, not the pack's
    assert "窗" in caplog.text and "recorded" in caplog.text


@needs_espeak
def test_a_segment_in_another_format_is_named_and_the_call_still_spoken(tmp_path, clock, caplog):
    recorded_pack(tmp_path / "recorded", bad_width="号")
    app = voice_app(tmp_path, clock, voice_pack=str(tmp_path / "recorded"))
    with caplog.at_level(logging.WARNING, logger="display.voice"):
        answer = ask(app, "hall-1", CALL)
    assert answer.status_code == 200 and answer.headers["X-Voice-Source"] == "synthesizer"
    assert "seg01.wav" in unquote(answer.headers["X-Voice-Missing"])
    assert "seg01.wav" in caplog.text


def test_without_pack_or_synthesizer_the_screen_is_told_to_chime(tmp_path, clock):
    recorded_pack(tmp_path / "recorded", without="办理")
    voice = CallVoice(tmp_path / "recorded", False, VoiceCache(tmp_path / "cache", 2**20), None)
    assert voice.say("请A零零一号到十二号窗口办理") is None
    assert voice.say("请A零零一号到十二号窗口") is not None  # what the pack has, it says
    app = voice_app(tmp_path, clock, voice_pack=str(tmp_path / "nowhere"))  # a wrong path
    answer = ask(app, "hall-1", CALL)
    if ESPEAK is None:
        assert answer.status_code == 404
    else:
        assert answer.headers["X-Voice-Source"] == "synthesizer"
        assert "nowhere has no manifest.toml" in unquote(answer.headers["X-Voice-Missing"])
    assert not (tmp_path / "nowhere").exists()  # a configured folder is never filled by us


@needs_espeak
def test_the_default_pack_command_writes_a_complete_pack(tmp_path):
    write_default_pack(tmp_path / "pack", ESPEAK)
    manifest = (tmp_path / "pack" / MANIFEST).read_text(encoding="utf-8")
    for text, (name, _) in DEFAULT_SEGMENTS.items():
        assert f'"{text}" = "{name}"' in manifest and (tmp_path / "pack" / name).is_file()
    assert (tmp_path / "pack" / "README.md").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["pack"]  # nothing left aside
