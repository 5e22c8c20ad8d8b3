"""The screen pages and their offline voice: audio made on the hall server (display/voice.py)."""
from __future__ import annotations

import hashlib

from flask import (Blueprint, Response, abort, current_app, make_response, render_template,
                   request)

from pagekit.language import remember_choice, request_language
from pagekit.words import page_words
from queue_core.api.rate_limit import limiter
from queue_core.config import ScreenSettings
from queue_core.domain.errors import Forbidden, InvalidInput
from queue_core.domain.rights import Right, may
from queue_core.service import accounts, devices

from .voice import CallVoice, call_parts, call_reading
from .words import CATALOGUE

display = Blueprint("display", __name__, url_prefix="/display", template_folder="templates",
                    static_folder="static")
display.context_processor(page_words(CATALOGUE))

MAX_PHRASE = 80


def _screen_page(template: str) -> Response:
    return remember_choice(make_response(render_template(template, lang=request_language())))


@display.get("/hall")
def hall_screen():
    return _screen_page("display/hall.html")


@display.get("/window")
def window_screen():
    return _screen_page("display/window.html")


@display.get("/evaluator")
def evaluator_pad():
    return _screen_page("display/evaluator.html")


def _screen_key() -> str:
    token = request.headers.get("X-Device-Token", "")
    return "voice:" + hashlib.sha256(token.encode()).hexdigest()[:24]


def _voice_template(device) -> str:
    """The screen's template as apply-config stored it (the default before it did)."""
    return (devices.screen_settings(device)["voice_template"]
            or ScreenSettings.model_fields["voice_template"].default)


@display.get("/voice")
@limiter.limit(lambda: current_app.extensions["queuehall"].settings.server.voice_rate_limit,
               key_func=_screen_key)
def voice():
    """A WAV of one call (chime, then the phrase joined from the voice pack's segments; no
    internet needed). Only hall and window screens may ask (their token), only for their voice
    template filled with a ticket and a window, at a bounded rate per screen; each phrase is made
    once and kept within the cache's size. Errors are JSON in the caller's language, like the
    API's."""
    token = request.headers.get("X-Device-Token", "")  # a header only: a URL ends up in logs
    text = request.args.get("text", "").strip()
    hall = current_app.extensions["queuehall"]
    with hall.db.reader() as session:
        device = accounts.device_for_token(session, token)  # Unauthorized: a 401
        if not may(device.kind, Right.VOICE):
            raise Forbidden(action="voice")
        template = _voice_template(device)
    # Anything else (a NUL, free text) would be said and kept on disk for anyone.
    parts = call_parts(text, template) if len(text) <= MAX_PHRASE else None
    if parts is None:
        raise InvalidInput(field="text")
    said = CallVoice.of(hall.settings.server).say(call_reading(template, *parts))
    if said is None:
        abort(404)  # neither a pack nor a synthesizer: the page chimes
    return Response(said.wav, mimetype="audio/wav",
                    headers={"Cache-Control": "private, max-age=86400", **said.headers()})


@display.get("/staff-photo/<key>")
def staff_photo(key: str):
    """The photo a window screen shows of its staff (an <img>, so no token: the address is an
    unguessable key that only screens and consoles get, in their snapshot)."""
    hall = current_app.extensions["queuehall"]
    with hall.db.reader() as session:
        photo, media_type = accounts.staff_photo(session, key[:32])  # NotFound: a 404
    # a new photo gets a new key, so the old one may be kept for long
    return Response(photo, mimetype=media_type,
                    headers={"Cache-Control": "private, max-age=86400"})
