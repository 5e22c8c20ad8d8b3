"""The screen pages and their offline voice: audio made on the hall server, cached per phrase."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file

from queue_core.service import accounts
from queue_core.domain.errors import DomainError

display = Blueprint("display", __name__, url_prefix="/display", template_folder="templates",
                    static_folder="static")

MAX_PHRASE = 80


def _lang() -> str:
    hall = current_app.extensions["queuehall"]
    lang = request.args.get("lang") or request.cookies.get("lang") or hall.settings.server.default_language
    return lang if lang in ("zh", "en") else "zh"


@display.get("/hall")
def hall_screen():
    return render_template("display/hall.html", lang=_lang())


@display.get("/window")
def window_screen():
    return render_template("display/window.html", lang=_lang())


@display.get("/evaluator")
def evaluator_pad():
    return render_template("display/evaluator.html", lang=_lang())


@display.get("/voice")
def voice():
    """A WAV of one call phrase for screens whose browser has no zh-CN voice (no internet needed).
    Only screens may ask (their token), the phrase is short, and each phrase is made once."""
    token = request.headers.get("X-Device-Token", "")  # a header only: a URL ends up in logs
    text = request.args.get("text", "").strip()
    if not text or len(text) > MAX_PHRASE or not text.isprintable():
        abort(400)  # a control character (a NUL) cannot even be handed to the synthesizer
    hall = current_app.extensions["queuehall"]
    with hall.db.reader() as session:
        try:
            accounts.device_for_token(session, token)
        except DomainError:
            abort(401)
    engine = shutil.which("espeak-ng")
    if engine is None:
        abort(404)  # the page falls back to a chime
    cache = Path(hall.settings.server.secret_key_file).resolve().parent / "voice-cache"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / (hashlib.sha256(text.encode()).hexdigest()[:32] + ".wav")
    if not path.exists():
        # The hall and window screens ask for the same phrase at the same moment: each request
        # writes its own file and renames it into place (atomic), so neither finds the other's
        # half-written or already-moved file.
        fd, partial = tempfile.mkstemp(suffix=".part", dir=cache)
        os.close(fd)
        try:
            subprocess.run([engine, "-v", "cmn", "-s", "150", "-w", partial, "--", text],
                           check=True, timeout=20, capture_output=True)
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)
    return send_file(path, mimetype="audio/wav", max_age=86400)
