"""Every error is JSON with a stable code and a message in the caller's language; never a bare 500."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from pagekit.language import request_language

from ..domain.errors import DomainError
from ..i18n import error_message
from .endpoint import InvalidBody

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
HTTP_CODES = {404: "route_not_found", 405: "method_not_allowed", 429: "rate_limited",
              400: "invalid_input", 401: "unauthorized", 403: "forbidden",
              413: "payload_too_large"}
# Outside /api/ but fetched by scripts, not opened as pages: their errors are JSON too.
SCRIPT_ENDPOINTS = {"display.voice"}


def language() -> str:
    """Messages follow the caller's browser too: an applicant's phone, a script's Accept-Language."""
    return request_language(browser=True)


def error_response(code: str, status: int, params: dict | None = None, **extra: object):
    params = params or {}
    body = {"code": code, "message": error_message(code, params, language()), "params": params,
            **extra}
    return jsonify({"error": body}), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        response, status = error_response(exc.code, exc.http_status, exc.params)
        if status == 429 and "seconds" in exc.params:  # a throttled sign-in: when to try again
            response.headers["Retry-After"] = str(exc.params["seconds"])
        return response, status

    @app.errorhandler(InvalidBody)
    def invalid_body(exc: InvalidBody):
        fields = [{"field": ".".join(str(p) for p in e["loc"]) or "body", "problem": e["type"],
                   "detail": e["msg"]} for e in exc.errors]
        return error_response("invalid_input", 400, {"field": ", ".join(f["field"] for f in fields)},
                              fields=fields)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response("csrf_failed", 400)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, MethodNotAllowed):  # on pages too: no browser navigation gets one
            allowed = ", ".join(sorted(exc.valid_methods or ()))
            response, status = error_response("method_not_allowed", 405,
                                              {"method": request.method, "allowed": allowed})
            response.headers["Allow"] = allowed
            return response, status
        if not (request.path.startswith("/api/") or request.endpoint in SCRIPT_ENDPOINTS):
            return exc
        return error_response(HTTP_CODES.get(exc.code, "invalid_input"), exc.code or 400,
                              {"field": "request"})

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(exc: Exception):
        # The database restarting or out of reach: nothing was written (the transaction rolled
        # back), and the same request will work again once it is back, without a restart here.
        log.warning("database unavailable on %s %s: %s", request.method, request.path,
                    str(exc).splitlines()[0])
        response, status = error_response("database_unavailable", 503)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response, status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response("internal_error", 500)
