"""The OpenAPI document, built from the registered routes and their endpoint metadata."""
from __future__ import annotations

import inspect
import re

from flask import current_app, jsonify
from pydantic import BaseModel

from ..domain.rights import RIGHTS, Kind, Right
from . import api
from .endpoint import ENDPOINTS

ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "description": "stable error code"},
        "message": {"type": "string", "description": "zh-CN or en, from Accept-Language"},
        "params": {"type": "object"}, "fields": {"type": "array", "items": {"type": "object"}}}}},
}
DEVICE_KINDS = {Kind.KIOSK, Kind.HALL_SCREEN, Kind.WINDOW_SCREEN, Kind.EVALUATOR}


def security(right: Right) -> list[dict]:
    """How the kinds the rights table allows prove who they are: a device token or a session."""
    if right == Right.PUBLIC:
        return []
    kinds = RIGHTS[right]
    return ([{"session": []}] if kinds - DEVICE_KINDS else []) + \
        ([{"device": []}] if kinds & DEVICE_KINDS else [])


@api.get("/openapi.json")
def openapi():
    return jsonify(build_openapi())


def build_openapi() -> dict:
    schemas: dict[str, dict] = {"Error": ERROR_SCHEMA}
    paths: dict[str, dict] = {}
    for rule in current_app.url_map.iter_rules():
        spec = ENDPOINTS.get(rule.endpoint)
        if spec is None:
            continue
        path = re.sub(r"<(?:(\w+):)?(\w+)>", r"{\2}", rule.rule)
        params = [{"name": name, "in": "path", "required": True,
                   "schema": {"type": "integer" if conv in ("int", "id") else "string"}}
                  for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule)]
        if spec.query is not None:
            params += _query_params(spec.query)
        op: dict = {"operationId": spec.name, "summary": spec.summary, "tags": [spec.tag],
                    "security": security(spec.right), "parameters": params,
                    "x-right": spec.right.value,
                    "x-allowed": [k.value for k in Kind if k in RIGHTS[spec.right]],
                    "responses": {str(spec.status): {"description": "OK", "content": {
                                      spec.media_type: _success(current_app.view_functions[
                                          rule.endpoint], spec.media_type)}},
                                  "4XX": _error("Refused"),
                                  "503": _error("The database is briefly unavailable: the same "
                                                "request works again after Retry-After seconds")}}
        if spec.body is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": _ref(spec.body, schemas)}}}
        paths.setdefault(path, {})[spec.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "queuehall API", "version": "1",
                 "description": "Queue ticketing for walk-in service halls."},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": schemas, "securitySchemes": {
            "device": {"type": "http", "scheme": "bearer",
                       "description": "device token of a kiosk or screen"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "staff login session; unsafe methods need X-CSRFToken"}}},
    }


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}


def _success(view, media_type: str) -> dict:
    """A JSON answer is an object or a list, as the endpoint's function says it returns."""
    returns = inspect.unwrap(view).__annotations__.get("return")
    kind = {"dict": "object", "list": "array"}.get(getattr(returns, "__name__", returns))
    return {"schema": {"type": kind}} if media_type == "application/json" and kind else {}


def _ref(model: type[BaseModel], schemas: dict) -> dict:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_params(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema["properties"].items()]
