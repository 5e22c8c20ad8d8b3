"""Web pages served by the core: the start page that links every part of the hall."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request

pages = Blueprint("pages", __name__, template_folder="templates")


@pages.get("/")
def index():
    hall = current_app.extensions["queuehall"]
    lang = request.args.get("lang") or request.cookies.get("lang") or \
        hall.settings.server.default_language
    return render_template("index.html", sites=hall.settings.sites, lang=lang)


@pages.get("/t/<token>")
def ticket_link(token: str):
    """Where a ticket's QR code points; the phone page comes with the kiosk, until then its data."""
    return redirect(f"/api/v1/tickets/{token}")
