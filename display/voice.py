"""Calls spoken by the hall server (espeak-ng, offline): which phrases a screen may ask for, and
their audio kept on disk within a size limit, the least recently used going first."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from pathlib import Path

# What screen.js fills a voice template with: a ticket number spelled out ("A 0 2 3": a one or
# two letter prefix, then three or four digits) and a window number.
SPELLED_NUMBER = r"[A-Z]( [A-Z])?( [0-9]){3,4}"
WINDOW_NUMBER = r"[1-9][0-9]{0,2}"


def may_say(phrase: str, template: str) -> bool:
    """Whether `phrase` is `template` filled as a screen fills it (the first {number} and the
    first {window}, as JavaScript's String.replace does): nothing else is synthesized."""
    marked = template.strip().replace("{number}", "\0n", 1).replace("{window}", "\0w", 1)
    pattern = "".join(SPELLED_NUMBER if part == "\0n" else WINDOW_NUMBER if part == "\0w"
                      else re.escape(part) for part in re.split("(\0[nw])", marked))
    return re.fullmatch(pattern, phrase) is not None


class VoiceCache:
    """One WAV per phrase in `folder`, at most `max_bytes` in all. A file's modification time
    is its last use (touched on every hit); making a new one removes the oldest past the limit.
    Several processes may share the folder: every step tolerates a file gone meanwhile."""

    def __init__(self, folder: Path, max_bytes: int, engine: str) -> None:
        self.folder, self.max_bytes, self.engine = folder, max_bytes, engine

    def audio(self, phrase: str) -> bytes:
        path = self.folder / (hashlib.sha256(phrase.encode()).hexdigest()[:32] + ".wav")
        try:
            os.utime(path)  # used now
            return path.read_bytes()
        except FileNotFoundError:
            pass
        self.folder.mkdir(parents=True, exist_ok=True)
        self._make(phrase, path)
        audio = path.read_bytes()  # kept in memory: another process may evict the file next
        self._evict()
        return audio

    def _make(self, phrase: str, path: Path) -> None:
        # The hall and window screens ask for the same phrase at the same moment: each request
        # writes its own file and renames it into place (atomic), so neither finds the other's
        # half-written or already-moved file.
        fd, partial = tempfile.mkstemp(suffix=".part", dir=self.folder)
        os.close(fd)
        try:
            subprocess.run([self.engine, "-v", "cmn", "-s", "150", "-w", partial, "--", phrase],
                           check=True, timeout=20, capture_output=True)
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


def cache_folder(secret_key_file: str) -> Path:
    """Beside the hall's other data (the secret key's folder)."""
    return Path(secret_key_file).resolve().parent / "voice-cache"

