"""Which language a page or an answer speaks, decided in one place for every page and the API."""
from __future__ import annotations

from flask import Response, current_app, request

LANGUAGES = ("zh", "en")
COOKIE = "lang"
_YEAR = 365 * 86400


def best_language(chosen: str | None, accept: list[tuple[str, float]], default: str) -> str:
    """An explicit choice, then the browser's languages (when given), then the hall's."""
    if chosen in LANGUAGES:
        return chosen
    for tag, _quality in accept:
        base = tag.lower().split("-")[0]
        if base in LANGUAGES:
            return base
    return default if default in LANGUAGES else LANGUAGES[0]


def request_language(*, browser: bool = False) -> str:
    """?lang=, then the lang cookie, then — with `browser`, for a person's own phone and the API's
    messages — Accept-Language, then the hall's default. A hall's shared kiosks, screens and
    consoles speak the hall's language until someone switches, whatever the PC's locale."""
    chosen = request.args.get("lang") or request.cookies.get(COOKIE)
    accept = list(request.accept_languages) if browser else []
    return best_language(chosen, accept, current_app.config.get("DEFAULT_LANGUAGE", "zh"))


def remember_choice(response: Response) -> Response:
    """Keep an explicit ?lang= switch for every later page and API message."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(COOKIE, chosen, max_age=_YEAR, samesite="Lax")
    return response
