"""Serves the console page; everything it does goes through /api/v1 with the staff session."""
from __future__ import annotations

from flask import Blueprint, make_response, render_template

from pagekit.language import remember_choice, request_language
from pagekit.words import page_words

from .words import CATALOGUE

counter = Blueprint("counter", __name__, url_prefix="/counter", template_folder="templates",
                    static_folder="static")
counter.context_processor(page_words(CATALOGUE))


@counter.get("/")
def console():
    return remember_choice(make_response(render_template("counter/console.html",
                                                         lang=request_language())))
