"""The floor of the issuing benchmark: a Flask endpoint that does no work.

Served by gunicorn with the same settings as `queuehall serve` (1 process, gevent worker)
and driven by the same client as the issue phase, it shows what the framework and the machine
cost per request before queuehall does anything: every issue figure is read against it.
"""
from __future__ import annotations

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/api/v1/sites/<site>/tickets")
def issue(site: str):
    body = request.get_json()
    return jsonify(site=site, category=body["category"], number="A001"), 201
