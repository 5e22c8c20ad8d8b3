"""The start page: links every part of the hall (kiosks, screens, consoles) in both languages."""
from __future__ import annotations

from flask import Blueprint, current_app, make_response, render_template

from pagekit.language import remember_choice, request_language

start = Blueprint("start", __name__, template_folder="templates", static_folder="static",
                  static_url_path="/start/static")


@start.get("/")
def index():
    sites = current_app.extensions["queuehall"].settings.sites
    return remember_choice(make_response(render_template("start/index.html", sites=sites,
                                                         lang=request_language())))
