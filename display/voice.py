"""Calls spoken by the hall server, offline: which phrases a screen may ask for, how a call is
read (A001 → A零零一, window 12 → 十二), its audio joined from the voice pack's segments (or
said by espeak-ng in Mandarin when the pack lacks one), kept on disk within a size limit."""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from queue_core.config import ServerSettings

from .voice_pack import (CHIME_MS, PAUSE_MS, PackError, VoicePack, ensure_default_pack,
                         number_reading, synthesize, window_reading)

log = logging.getLogger(__name__)

# What the screen fills a voice template with: a ticket number spelled out ("A 0 2 3": a one or
# two letter prefix, then three or four digits) and a window number.
SPELLED_NUMBER = r"[A-Z]( [A-Z])?( [0-9]){3,4}"
WINDOW_NUMBER = r"[1-9][0-9]{0,2}"


def call_parts(phrase: str, template: str) -> tuple[str, str] | None:
    """The ticket number and window of `phrase` when it is `template` filled as a screen fills it
    (the first {number} and the first {window}, as JavaScript's String.replace does); None for
    anything else, which is never said."""
    marked = template.strip().replace("{number}", "\0n", 1).replace("{window}", "\0w", 1)
    pattern = "".join(f"(?P<number>{SPELLED_NUMBER})" if part == "\0n"
                      else f"(?P<window>{WINDOW_NUMBER})" if part == "\0w"
                      else re.escape(part) for part in re.split("(\0[nw])", marked))
    found = re.fullmatch(pattern, phrase)
    if found is None:
        return None
    groups = found.groupdict()
    return groups.get("number") or "", groups.get("window") or ""


def may_say(phrase: str, template: str) -> bool:
    return call_parts(phrase, template) is not None


def call_reading(template: str, number: str, window: str) -> str:
    """The call as it is said: "请A 0 0 1号到12号窗口办理" → 请A零零一号到十二号窗口办理."""
    said_window = window_reading(int(window)) if window else ""
    return (template.strip().replace("{number}", number_reading(number), 1)
            .replace("{window}", said_window, 1))


class VoiceCache:
    """One WAV per key in `folder`, at most `max_bytes` in all. A file's modification time
    is its last use (touched on every hit); making a new one removes the oldest past the limit.
    Several processes may share the folder: every step tolerates a file gone meanwhile."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder, self.max_bytes = folder, max_bytes

    def audio(self, key: str, make: Callable[[], bytes]) -> bytes:
        path = self.folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".wav")
        try:
            os.utime(path)  # used now
            return path.read_bytes()
        except FileNotFoundError:
            pass
        self.folder.mkdir(parents=True, exist_ok=True)
        audio = make()  # kept in memory: another process may evict the file next
        self._store(audio, path)
        self._evict()
        return audio

    def _store(self, audio: bytes, path: Path) -> None:
        # The hall and window screens ask for the same phrase at the same moment: each request
        # writes its own file and renames it into place (atomic), so neither finds the other's
        # half-written or already-moved file.
        fd, partial = tempfile.mkstemp(suffix=".part", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(audio)
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)

    def _evict(self) -> None:
        files = []
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".wav"):
                try:
                    stat = entry.stat()
                except FileNotFoundError:
                    continue
                files.append((stat.st_mtime_ns, stat.st_size, entry.path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            Path(path).unlink(missing_ok=True)
            total -= size


@dataclass(frozen=True)
class CallAudio:
    """A call's WAV: the chime, then the phrase from `chime_ms` on (a repeat plays from there)."""
    wav: bytes
    chime_ms: int
    source: str                 # "pack" or "synthesizer"
    missing: tuple[str, ...]    # what the pack lacked, when the synthesizer said it

    def headers(self) -> dict[str, str]:
        headers = {"X-Voice-Source": self.source, "X-Voice-Chime-Ms": str(self.chime_ms)}
        if self.missing:
            headers["X-Voice-Missing"] = quote(" ".join(self.missing))
        return headers


@dataclass(frozen=True)
class CallVoice:
    """Where calls come from: the pack folder (the default one is made at first use), the cache,
    and espeak-ng (None when not installed)."""
    pack_folder: Path
    make_default_pack: bool
    cache: VoiceCache
    engine: str | None

    def say(self, reading: str) -> CallAudio | None:
        """The call in the pack's voice; said by the synthesizer (in Mandarin) when the pack lacks
        a segment, with a warning naming it; None when neither can say it (the screen chimes)."""
        try:
            pack = self._pack()
            parts, missing = pack.split(reading)
            missing += pack.missing_files(parts)
            if not missing:
                wav = self.cache.audio(f"pack\0{pack.identity()}\0{reading}",
                                       lambda: pack.speak(parts).wav)
                return CallAudio(wav, pack.chime_ms(), "pack", ())
        except PackError as e:
            missing = [str(e)]
        log.warning("voice pack %s cannot say %s (missing: %s); espeak-ng says it",
                    self.pack_folder, reading, ", ".join(missing))
        if self.engine is None:
            return None
        engine = self.engine
        wav = self.cache.audio(f"espeak\0{reading}", lambda: synthesize(engine, reading).wav)
        return CallAudio(wav, CHIME_MS + PAUSE_MS, "synthesizer", tuple(missing))

    @classmethod
    def of(cls, server: ServerSettings) -> "CallVoice":
        data = data_folder(server.secret_key_file)
        return cls(Path(server.voice_pack) if server.voice_pack else data / "voice-pack",
                   not server.voice_pack,
                   VoiceCache(data / "voice-cache", int(server.voice_cache_mb * 2**20)),
                   shutil.which("espeak-ng"))

    def _pack(self) -> VoicePack:
        if self.make_default_pack:
            ensure_default_pack(self.pack_folder, self.engine)
        return VoicePack(self.pack_folder)


def data_folder(secret_key_file: str) -> Path:
    """Beside the hall's other data (the secret key's folder)."""
    return Path(secret_key_file).resolve().parent


def cache_folder(secret_key_file: str) -> Path:
    return data_folder(secret_key_file) / "voice-cache"
