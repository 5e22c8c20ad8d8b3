"""The start page: links every part of the hall (kiosks, screens, consoles) in both languages."""
from __future__ import annotations

from flask import Blueprint, current_app, make_response, render_template, request

from pagekit.language import remember_choice, request_language
from pagekit.words import page_words

from . import reach
from .words import CATALOGUE

start = Blueprint("start", __name__, template_folder="templates", static_folder="static",
                  static_url_path="/start/static")
start.context_processor(page_words(CATALOGUE))


@start.get("/")
def index():
    settings = current_app.extensions["queuehall"].settings
    lang = request_language()
    # the address this page was reached at, against the one ticket QR codes print
    qr_warning = reach.warning(settings.server.public_url, request.host_url, lang)
    return remember_choice(make_response(render_template(
        "start/index.html", sites=settings.sites, lang=lang, qr_warning=qr_warning)))
