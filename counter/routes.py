"""Serves the console page; everything it does goes through /api/v1 with the staff session."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

counter = Blueprint("counter", __name__, url_prefix="/counter", template_folder="templates",
                    static_folder="static")


@counter.get("/")
def console():
    hall = current_app.extensions["queuehall"]
    lang = request.args.get("lang") or request.cookies.get("lang") or hall.settings.server.default_language
    response = current_app.make_response(
        render_template("counter/console.html", lang=lang if lang in ("zh", "en") else "zh"))
    if request.args.get("lang") in ("zh", "en"):
        response.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax")
    return response
