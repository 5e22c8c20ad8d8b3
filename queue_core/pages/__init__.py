"""Web pages served by the core: the start page that links every part of the hall."""
from __future__ import annotations

from flask import Blueprint, current_app, make_response, render_template, request

pages = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
                  static_url_path="/pages/static")


@pages.get("/")
def index():
    hall = current_app.extensions["queuehall"]
    chosen = request.args.get("lang")
    lang = chosen or request.cookies.get("lang") or hall.settings.server.default_language
    if lang not in ("zh", "en"):
        lang = hall.settings.server.default_language
    response = make_response(render_template("index.html", sites=hall.settings.sites, lang=lang))
    if chosen == lang:  # remember an explicit switch for every page and API message
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="Lax")
    return response

