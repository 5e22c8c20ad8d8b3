"""One decorator per endpoint: authentication, body/query validation, JSON out, and the
metadata the OpenAPI document is built from, so the document cannot drift from the routes."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, ValidationError

from ..domain.errors import InvalidInput
from ..domain.rights import Right
from ..service.access import require_site
from .auth import current_actor, hall


@dataclass(frozen=True)
class EndpointSpec:
    name: str
    method: str
    summary: str
    tag: str
    right: Right
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    status: int
    media_type: str = "application/json"  # of the success response (text/csv for downloads)


ENDPOINTS: dict[str, EndpointSpec] = {}


class InvalidJson(InvalidInput):
    code = "invalid_json"


class InvalidBody(Exception):
    """Body or query failed validation; carries pydantic's errors for the response."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__("invalid input")
        self.errors = errors


def endpoint(bp: Blueprint, rule: str, method: str = "GET", *, summary: str, tag: str,
             right: Right = Right.PUBLIC, body: type[BaseModel] | None = None,
             query: type[BaseModel] | None = None, status: int = 200,
             decorators: tuple[Callable, ...] = (),
             media_type: str = "application/json") -> Callable:
    """Register `fn(actor, [body], [query], **path)` as a JSON endpoint.

    right: the row of the rights table (domain/rights.py) a caller needs; where they may act
    (site, window, ticket) is the use case's to decide.
    """
    def register(fn: Callable) -> Callable:
        @wraps(fn)
        def view(**path: object):
            actor = current_actor(right)
            if "site" in path:
                require_site(actor, hall().site_id(str(path["site"])))  # 404 for no such site
            kwargs = dict(path)
            if body is not None:
                kwargs["body"] = _parse(body, _json_body())
            if query is not None:
                kwargs["query"] = _parse(query, request.args.to_dict())
            result = fn(actor=actor, **kwargs)
            if isinstance(result, Response):  # a download (CSV) made by the endpoint itself
                return result
            return jsonify(result), status

        wrapped = view
        for decorate in decorators:
            wrapped = decorate(wrapped)
        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=wrapped, methods=[method])
        ENDPOINTS[f"{bp.name}.{fn.__name__}"] = EndpointSpec(
            fn.__name__, method, summary, tag, right, body, query, status, media_type)
        return fn
    return register


def _json_body() -> object:
    if not request.get_data(cache=True):
        return {}
    try:
        data = request.get_json(force=True, silent=True)
    except RecursionError:  # nested hundreds deep: no real client sends that
        raise InvalidJson() from None
    if data is None:
        raise InvalidJson()
    return data


def _parse(model: type[BaseModel], data: object) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidBody(exc.errors(include_url=False, include_context=False)) from None
