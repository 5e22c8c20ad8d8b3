"""Voice packs: a folder of short recorded (or generated) segments — 请, A–Z, 零–九, 十, 百, 号,
到, 窗口, 办理 — joined into one WAV per call, the way hall calling systems speak. The pack's
manifest.toml names the file of each segment; README.md beside this module lists them.

`python -m display.voice_pack FOLDER` writes the default pack (Mandarin from Debian's espeak-ng,
one syllable at a time, offline); the server does the same at first use when its pack is missing.
"""
from __future__ import annotations

import array
import hashlib
import io
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
import wave
from dataclasses import dataclass
from pathlib import Path

DIGITS = "零一二三四五六七八九"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# espeak-ng's "cmn" voice reads the pinyin of its dictionary as English ("qing three"); the
# "cmn-Latn-pinyin" voice reads the same pinyin, and Chinese characters, as Mandarin.
ESPEAK_VOICE = "cmn-Latn-pinyin"
# Words a minute. A syllable said alone is long: at 280 the segments of a 14-syllable call add up
# to ~2.6 s; a whole phrase flows and is said slower.
SEGMENT_SPEED, PHRASE_SPEED = 280, 230

# The default pack: segment text → (file, what espeak-ng is given). Letters are said the way
# Chinese halls say them (A "ei", B "bi"), digits one by one (A001 "A 零零一").
DEFAULT_SEGMENTS: dict[str, tuple[str, str]] = {
    "请": ("qing.wav", "qing3"), "号": ("hao.wav", "hao4"), "到": ("dao.wav", "dao4"),
    "窗口": ("chuangkou.wav", "chuang1 kou3"), "办理": ("banli.wav", "ban4 li3"),
    "十": ("shi.wav", "shi2"), "百": ("bai.wav", "bai3"),
    **{d: (f"digit-{i}.wav", p) for i, (d, p) in enumerate(zip(DIGITS, (
        "ling2", "yi1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3")))},
    **{c: (f"letter-{c.lower()}.wav", c) for c in LETTERS},
}
PAUSES = {"，": 250, ",": 250, "、": 200, "。": 400, ".": 400, "；": 300, ";": 300, "！": 300,
          "!": 300, "：": 200, ":": 200}
MANIFEST = "manifest.toml"
CHIME_MS = 500  # the generated 叮咚
PAUSE_MS = 60   # between the chime and the phrase


class PackError(Exception):
    """The pack cannot be used as it is: no manifest, a bad manifest, or files that differ."""


def window_reading(window: int) -> str:
    """A window number as halls read it: 5 五, 10 十, 12 十二, 20 二十, 105 一百零五."""
    if not 0 < window < 1000:
        raise ValueError(window)
    hundreds, tens, ones = window // 100, window // 10 % 10, window % 10
    text = DIGITS[hundreds] + "百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    return text + (DIGITS[ones] if ones else "")


def number_reading(number: str) -> str:
    """A ticket number read letter by letter and digit by digit: "A001" or "A 0 0 1" → A零零一."""
    return "".join(DIGITS[int(c)] if c.isdigit() else c for c in number if not c.isspace())


@dataclass(frozen=True)
class Params:
    channels: int
    sample_width: int
    rate: int


@dataclass(frozen=True)
class Spoken:
    """One call's audio: chime then phrase; `chime_ms` says where the phrase starts."""
    wav: bytes
    chime_ms: int
    duration: float


class VoicePack:
    """A loaded pack: its segments by text, and its chime (made when it has none)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            manifest = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PackError(f"{folder} has no {MANIFEST}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise PackError(f"{folder / MANIFEST}: {e}") from None
        segments = manifest.get("segments")
        if not isinstance(segments, dict) or not all(
                isinstance(k, str) and k and isinstance(v, str) for k, v in segments.items()):
            raise PackError(f"{folder / MANIFEST}: [segments] maps text to a file name")
        self.name = str(manifest.get("name", folder.name))
        self.gap_ms = int(manifest.get("gap_ms", 0))
        self.files = {text: folder / name for text, name in segments.items()}
        self.chime_file = folder / manifest["chime"] if manifest.get("chime") else None
        self.longest = max(map(len, self.files), default=1)

    def identity(self) -> str:
        """Changes when any file of the pack does: cached calls of an older pack are not reused."""
        digest = hashlib.sha256(str(self.folder.resolve()).encode())
        for path in sorted({self.folder / MANIFEST, *self.files.values()}):
            try:
                stat = path.stat()
                digest.update(f"{path.name}:{stat.st_mtime_ns}:{stat.st_size};".encode())
            except FileNotFoundError:
                digest.update(f"{path.name}:-;".encode())
        return digest.hexdigest()[:16]

    def split(self, reading: str) -> tuple[list[str], list[str]]:
        """The segments that say `reading` (longest first, so a pack may record 十二号窗口 whole),
        pauses for punctuation as "," entries, and the characters the pack lacks."""
        parts, missing, i = [], [], 0
        while i < len(reading):
            if reading[i].isspace():
                i += 1
                continue
            if reading[i] in PAUSES:
                parts.append(reading[i])
                i += 1
                continue
            for size in range(min(self.longest, len(reading) - i), 0, -1):
                if reading[i:i + size] in self.files:
                    parts.append(reading[i:i + size])
                    i += size
                    break
            else:
                missing.append(reading[i])
                i += 1
        return parts, missing

    def missing_files(self, parts: list[str]) -> list[str]:
        return [p for p in parts if p in self.files and not self.files[p].is_file()]

    def speak(self, parts: list[str]) -> Spoken:
        """Chime, then the segments joined (with the pack's gap), in one WAV."""
        clips = [_read(self.files[p]) for p in parts if p not in PAUSES]
        if not clips:
            raise PackError("nothing to say")
        params = clips[0][0]
        for (other, _), name in zip(clips, (p for p in parts if p not in PAUSES)):
            if other != params:
                raise PackError(f"{self.files[name].name} is {other}, the pack is {params}")
        frames, it = [], iter(clips)
        for p in parts:
            if p in PAUSES:
                frames.append(silence(params, PAUSES[p]))
            else:
                if frames and self.gap_ms:
                    frames.append(silence(params, self.gap_ms))
                frames.append(next(it)[1])
        return with_chime(params, b"".join(frames), self.chime(params))

    def chime(self, params: Params) -> bytes:
        """The pack's own chime when it is in the segments' format, else the generated one."""
        if self.chime_file is not None and self.chime_file.is_file():
            own, frames = _read(self.chime_file)
            if own == params:
                return frames
        return chime(params)

    def chime_ms(self) -> int:
        """Where the phrase starts in this pack's calls (chime and pause)."""
        first = next((f for f in self.files.values() if f.is_file()), None)
        if first is None:
            return CHIME_MS + PAUSE_MS
        params = _read(first)[0]
        frames = len(self.chime(params)) // (params.channels * params.sample_width)
        return round(frames / params.rate * 1000) + PAUSE_MS


def with_chime(params: Params, phrase: bytes, chime_frames: bytes) -> Spoken:
    frame = params.channels * params.sample_width
    pause = silence(params, PAUSE_MS)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(params.channels)
        w.setsampwidth(params.sample_width)
        w.setframerate(params.rate)
        w.writeframes(chime_frames + pause + phrase)
    chime_ms = round(len(chime_frames) / frame / params.rate * 1000) + PAUSE_MS
    return Spoken(out.getvalue(), chime_ms,
                  (len(chime_frames) + len(pause) + len(phrase)) / frame / params.rate)


def _read(path: Path) -> tuple[Params, bytes]:
    try:
        with wave.open(str(path), "rb") as w:
            return (Params(w.getnchannels(), w.getsampwidth(), w.getframerate()),
                    w.readframes(w.getnframes()))
    except (wave.Error, EOFError) as e:
        raise PackError(f"{path.name} is not a PCM WAV file: {e}") from None


def silence(params: Params, ms: int) -> bytes:
    return bytes(params.channels * params.sample_width * (params.rate * ms // 1000))


def chime(params: Params) -> bytes:
    """A two-tone 叮咚 (880 Hz then 660 Hz, each fading), CHIME_MS long, in the pack's format."""
    if params.sample_width != 2:
        return silence(params, CHIME_MS)  # 16-bit packs only; any other format gets a pause
    samples = array.array("h")
    half = params.rate * CHIME_MS // 2000
    for freq in (880.0, 660.0):
        for n in range(half):
            t = n / params.rate
            value = int(0.35 * 32767 * math.exp(-5 * t) * math.sin(2 * math.pi * freq * t))
            samples.extend([value] * params.channels)
    if sys.byteorder != "little":
        samples.byteswap()
    return samples.tobytes()


# --- the default pack, made with espeak-ng -------------------------------------------------

def espeak(engine: str, text: str, path: str, speed: int) -> None:
    subprocess.run([engine, "-v", ESPEAK_VOICE, "-s", str(speed), "-w", path, "--", text],
                   check=True, timeout=20, capture_output=True)


def trim(params: Params, frames: bytes, threshold: int = 400, keep_ms: int = 15) -> bytes:
    """Cut the silence espeak-ng leaves before and after a syllable, so joined calls flow."""
    samples = array.array("h", frames)
    if sys.byteorder != "little":
        samples.byteswap()
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if not loud:
        return frames
    keep = params.rate * keep_ms // 1000 * params.channels
    start, end = max(0, loud[0] - keep), min(len(samples), loud[-1] + 1 + keep)
    return frames[start * 2:end * 2]


def write_default_pack(folder: Path, engine: str) -> None:
    """Make the default pack in `folder` (which must not exist yet): every segment synthesized in
    Mandarin, trimmed, a chime, and the manifest. Made aside and renamed into place, so another
    process never sees half a pack; if one beat us to it, theirs stays."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        params = None
        for text, (name, say) in DEFAULT_SEGMENTS.items():
            raw = work / (name + ".raw.wav")
            espeak(engine, say, str(raw), SEGMENT_SPEED)
            params, frames = _read(raw)
            raw.unlink()
            _write(work / name, params, trim(params, frames))
        _write(work / "chime.wav", params, chime(params))
        (work / MANIFEST).write_text(default_manifest(), encoding="utf-8")
        shutil.copyfile(Path(__file__).with_name("voice_packs") / "README.md", work / "README.md")
        try:
            os.rename(work, folder)
        except OSError:
            if not (folder / MANIFEST).is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def default_manifest() -> str:
    lines = ["# queuehall voice pack: each segment's text and its WAV file (same rate, width and",
             "# channels for all). Replace the files with recordings, or list your own segments.",
             'name = "queuehall default (espeak-ng cmn-Latn-pinyin, generated)"',
             'chime = "chime.wav"', "gap_ms = 0", "", "[segments]"]
    lines += [f'"{text}" = "{name}"' for text, (name, _) in DEFAULT_SEGMENTS.items()]
    return "\n".join(lines) + "\n"


def _write(path: Path, params: Params, frames: bytes) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(params.channels)
        w.setsampwidth(params.sample_width)
        w.setframerate(params.rate)
        w.writeframes(frames)


_making = threading.Lock()


def ensure_default_pack(folder: Path, engine: str | None) -> bool:
    """Make the default pack at first use; False when it is not there and cannot be made."""
    if (folder / MANIFEST).is_file():
        return True
    if engine is None:
        return False
    with _making:
        if not (folder / MANIFEST).is_file():
            write_default_pack(folder, engine)
    return True


def synthesize(engine: str, reading: str) -> Spoken:
    """The whole phrase from espeak-ng in Mandarin (when the pack lacks a segment), chime first."""
    fd, path = tempfile.mkstemp(suffix=".wav")
    os.close(fd)
    try:
        espeak(engine, reading, path, PHRASE_SPEED)
        params, frames = _read(Path(path))
    finally:
        Path(path).unlink(missing_ok=True)
    return with_chime(params, trim(params, frames), chime(params))


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0].startswith("-"):
        print("usage: python -m display.voice_pack FOLDER   (writes the default pack there)")
        return 2
    engine = shutil.which("espeak-ng")
    folder = Path(argv[0])
    if engine is None:
        print("espeak-ng is not installed (apt-get install espeak-ng)")
        return 1
    if folder.exists():
        print(f"{folder} exists; remove it first (a recorded pack is never overwritten)")
        return 1
    write_default_pack(folder, engine)
    print(f"voice pack written to {folder} ({len(DEFAULT_SEGMENTS)} segments)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
