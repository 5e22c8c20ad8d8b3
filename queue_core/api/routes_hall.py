"""The hall at a glance: sites, categories with waits, windows, events since a sequence, stats."""
from __future__ import annotations

from flask import Response, current_app, request

from ..adapters.message_queue import redis_state
from ..domain.events import as_seen_by_devices
from ..domain.rights import Right
from ..labels import labels_json
from ..service import queries
from . import api
from .auth import hall
from .endpoint import endpoint
from .errors import language
from .schemas import EventsQuery, LabelsQuery


def open_connections(socketio) -> int:
    """Socket.IO connections open now (engine.io drops closed ones from its table only on its
    next housekeeping pass, up to ~20 s later)."""
    return sum(1 for s in list(socketio.server.eio.sockets.values()) if not s.closed)


def reading(fn, site_code: str, *args, **kwargs):
    """Run a query on a read session with the site loaded and the clock read once."""
    with hall().db.reader() as session:
        site = queries.get_site(session, site_code)
        return fn(session, site, *args, **kwargs)


@endpoint(api, "/health", tag="hall", summary="Liveness, the database, Redis (null when not used; "
          "\"unreachable\": the hall goes on, degraded) and the connections this process holds")
def health(actor) -> dict:
    server = hall().settings.server
    with hall().db.reader() as session:
        sites = len(queries.list_sites(session))
    return {"ok": True, "sites": sites,
            "redis": redis_state([server.message_queue, server.rate_limit_storage]),
            "connections": open_connections(current_app.extensions["socketio"]),
            "max_connections": server.max_connections}


@endpoint(api, "/labels", tag="hall", query=LabelsQuery,
          summary="The zh/en label of every code a page shows (call rules, B triggers, event and "
          "alert kinds, printer and ticket states, errors…); cacheable, 304 to If-None-Match")
def labels(actor, query: LabelsQuery) -> Response:
    body, etag = labels_json(query.lang or language())
    answer = Response(status=304) if etag in request.if_none_match else Response(
        body, mimetype="application/json")
    answer.set_etag(etag)
    answer.headers["Cache-Control"] = "public, max-age=3600"
    if query.lang is None:
        answer.vary.add("Accept-Language")
    return answer


@endpoint(api, "/sites", summary="Sites (halls) served by this deployment", tag="hall")
def sites(actor) -> list:
    with hall().db.reader() as session:
        return queries.list_sites(session)


@endpoint(api, "/sites/<site>/categories", tag="hall",
          summary="Categories with waiting counts, wait estimate and availability now")
def categories(actor, site: str) -> list:
    return reading(queries.categories_overview, site, hall().clock.now())


@endpoint(api, "/sites/<site>/windows", summary="Every window with state, posts and current ticket",
          tag="windows", right=Right.WATCH_HALL)
def windows(actor, site: str) -> list:
    return reading(queries.windows_overview, site, hall().clock.now())


@endpoint(api, "/sites/<site>/events", summary="Events after a sequence number (resync feed)",
          tag="hall", right=Right.WATCH_HALL, query=EventsQuery)
def events(actor, site: str, query: EventsQuery) -> dict:
    answer = reading(queries.events_since, site, query.since, query.limit)
    if actor.kind == "device":
        answer["events"] = [as_seen_by_devices(e) for e in answer["events"]]
    return answer


@endpoint(api, "/sites/<site>/stats/today", summary="Today's figures per category", tag="hall",
          right=Right.READ_QUEUE)
def stats_today(actor, site: str) -> dict:
    return reading(queries.stats_today, site, hall().clock.now())
