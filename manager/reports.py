"""Reports page (统计报表): a date range of the hall as tables, SVG charts and CSV downloads.
The figures come from queue_core's report of the event log; this page only lays them out."""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from flask import Response, current_app, request
from flask_login import current_user

from pagekit.language import request_language
from pagekit.words import say

from queue_core.api.auth import current_actor
from queue_core.domain.errors import DomainError, InvalidInput, NotFound
from queue_core.domain.rights import Right
from queue_core.i18n import error_message
from queue_core.service import queries
from queue_core.service.access import require_site
from queue_core.service.reports import TABLES, report_table, site_report, today_range

from . import manager
from .charts import CHARTS, render_chart
from .live import render_console
from .words import CATALOGUE


@manager.get("/reports")
def reports_page() -> Response:
    actor = current_user.actor if current_user.is_authenticated else None
    if actor is None or not actor.is_manager:
        return render_console("manager/reports.html", page="reports")
    lang = request_language()
    code = _site_code(actor)
    try:
        report = _report(code)
    except DomainError as exc:
        response = render_console("manager/reports.html", page="reports", report=None,
                                  problem=error_message(exc.code, exc.params, lang),
                                  first=request.args.get("from", ""),
                                  last=request.args.get("to", ""), ranges=[])
        response.status_code = exc.http_status
        return response
    query = {"site": code, "from": report["from"], "to": report["to"]}
    tables = [{"name": name, "title": say(CATALOGUE, lang, f"reports.table_{name}", {}),
               "columns": columns, "rows": rows,
               "csv": _url(f"/api/v1/sites/{code}/reports.csv", table=name, lang=lang,
                           **{"from": report["from"], "to": report["to"]})}
              for name in TABLES for columns, rows in [report_table(report, name, lang)]]
    charts = [_url(f"/manager/charts/{name}.svg", lang=lang, **query) for name in CHARTS]
    ranges, today = _quick_ranges(code, lang)
    return render_console("manager/reports.html", page="reports", report=report, tables=tables,
                          charts=charts, problem=None, first=report["from"], last=report["to"],
                          ranges=ranges, live=report["to"] >= today.isoformat())


@manager.get("/charts/<name>.svg")
def chart(name: str) -> Response:
    """One chart of the report of ?from=&to= (default today) for managers of the site."""
    actor = current_actor(Right.REPORTS)
    if name not in CHARTS:
        raise NotFound(what="chart", key=name)
    code = _site_code(actor)
    require_site(actor, current_app.extensions["queuehall"].site_id(code))
    svg = render_chart(name, _report(code), request_language())
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


def _site_code(actor) -> str:
    """?site= when this manager may see it, else the manager's own site (or the first one)."""
    hall = current_app.extensions["queuehall"]
    codes = [s.code for s in hall.settings.sites
             if actor.site_id in (None, hall.site_id(s.code))]
    chosen = request.args.get("site")
    return chosen if chosen in codes else (codes[0] if codes else chosen or "")


def _report(code: str) -> dict:
    hall = current_app.extensions["queuehall"]
    with hall.db.reader() as session:
        site = queries.get_site(session, code)
        first, last = _day("from"), _day("to")
        first = first or last or today_range(site, hall.clock.now())[0]
        return site_report(session, site, first, last or first, hall.clock.now())


def _day(name: str) -> date | None:
    text = request.args.get(name) or ""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field=name, value=text) from None


def _quick_ranges(code: str, lang: str) -> tuple[list[dict], date]:
    """Today, yesterday, the last 7 and 30 days, this month: one click each; and today."""
    hall = current_app.extensions["queuehall"]
    with hall.db.reader() as session:
        today, _ = today_range(queries.get_site(session, code), hall.clock.now())
    spans = [("today", today, today),
             ("yesterday", today - timedelta(days=1), today - timedelta(days=1)),
             ("last_7", today - timedelta(days=6), today),
             ("last_30", today - timedelta(days=29), today),
             ("this_month", today.replace(day=1), today)]
    return [{"label": say(CATALOGUE, lang, f"reports.range_{span}", {}),
             "url": _url("/manager/reports", site=code, lang=lang,
                         **{"from": first.isoformat(), "to": last.isoformat()})}
            for span, first, last in spans], today


def _url(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}"
