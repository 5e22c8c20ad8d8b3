"""Pages shared by the in-server kiosk and the standalone agent: the touch page, the on-screen
QR code and the phone status page. They call the JSON API and hold no queue rules."""
from __future__ import annotations

import io
import re
from collections.abc import Callable

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, jsonify, make_response, render_template

from pagekit.language import remember_choice, request_language
from pagekit.words import page_words

from .words import CATALOGUE

STATUS_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what the core hands out, nothing else
DeviceView = Callable[[], dict]
PublicUrl = Callable[[], str]
TicketKnown = Callable[[str], bool]


def kiosk_blueprint(device_view: DeviceView, public_url: PublicUrl,
                    ticket_known: TicketKnown | None = None) -> Blueprint:
    """`device_view` answers who the calling kiosk is ({site, code, name, printer}) or raises;
    `public_url` is where a ticket's QR code points (the core's public address);
    `ticket_known` whether a status token names a ticket (None: the page asks the API itself)."""
    pages = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/kiosk/static")
    pages.context_processor(page_words(CATALOGUE))

    @pages.get("/kiosk/")
    def touch_page():
        return render_template("kiosk/kiosk.html")

    @pages.get("/kiosk/device")
    def device():
        return jsonify(device_view())

    @pages.get("/kiosk/qr/<token>.svg")
    def qr_code(token: str):
        if not STATUS_TOKEN.fullmatch(token):
            abort(404)
        return Response(qr_svg(status_url(public_url(), token)), mimetype="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})

    @pages.get("/t/<token>")
    def ticket_status(token: str):
        """Where the printed QR code points: the ticket's state on the holder's phone."""
        lang = request_language(browser=True)  # the applicant's own phone
        if not STATUS_TOKEN.fullmatch(token) or (ticket_known and not ticket_known(token)):
            # a mistyped link or a ticket long gone: a plain page saying so, not a broken one
            return remember_choice(make_response(render_template("kiosk/missing.html", lang=lang),
                                                 404))
        return remember_choice(make_response(render_template("kiosk/status.html", token=token,
                                                             lang=lang)))

    return pages


def status_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/t/{token}"


def qr_svg(data: str) -> bytes:
    """A QR code as SVG, for the screen (the printer draws its own)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
