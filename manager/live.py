"""Live hall (实时大厅) and staffing advice (排班建议): pages that call /api/v1 with the manager's
session. Sign-in happens in the page (POST /api/v1/auth/login); the server decides who may see
the console, so a staff account gets a clear refusal instead of a half-working dashboard."""
from __future__ import annotations

from flask import Response, current_app, make_response, render_template, request
from flask_login import current_user

from pagekit.language import remember_choice, request_language

from . import manager


def halls_of(actor, lang: str) -> list[dict]:
    """The halls (sites) the console may show: an admin's every hall, a manager's own."""
    hall = current_app.extensions["queuehall"]
    return [{"code": s.code, "name": s.name_zh if lang == "zh" else (s.name_en or s.name_zh),
             "timezone": s.timezone}
            for s in hall.settings.sites
            if actor is None or actor.site_id is None or actor.site_id == hall.site_id(s.code)]


def render_console(template: str, **context: object) -> Response:
    """Render a console page for whoever holds the session: the sign-in form for nobody, a
    refusal (403) for staff without the manager role, the page itself for managers and admins."""
    lang = request_language()
    actor = current_user.actor if current_user.is_authenticated else None
    sites = halls_of(actor, lang)
    chosen = request.args.get("site")
    site = next((s for s in sites if s["code"] == chosen), sites[0] if sites else None)
    access = "login" if actor is None else ("granted" if actor.is_manager else "refused")
    body = render_template(template, lang=lang, access=access, user=actor, sites=sites, site=site,
                           **context)
    response = make_response(body, 403 if access == "refused" else 200)
    response.headers["Cache-Control"] = "no-store"  # what it shows depends on who is signed in
    return remember_choice(response)


@manager.get("/")
def hall_page() -> Response:
    return render_console("manager/hall.html", page="hall")


@manager.get("/staffing")
def staffing_page() -> Response:
    return render_console("manager/staffing.html", page="staffing")
