"""The standalone kiosk agent for a kiosk PC with its own (USB) printer: serves the touch page
locally, forwards it to a remote core with the kiosk's device token, and prints what the core
issued on the local printer through the spooler (the core's config gives this kiosk no printer)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import requests
from flask import Flask, Response, jsonify, request

from printers.settings import PrinterSettings, build_layout
from printers.spooler import RetryPolicy, Spooler, job_view
from printers.ticket_json import ticket_print
from pagekit.language import request_language
from pagekit.security_headers import with_security_headers
from pagekit.web import pagekit

from .web import kiosk_blueprint

log = logging.getLogger(__name__)
LOCAL_PRINTER = "local"
UNREACHABLE = ("无法连接取号服务器，请稍后再试或联系工作人员",
               "The queue server cannot be reached; please try again or ask the staff")


@dataclass
class AgentSettings:
    server: str                       # the core, e.g. https://hall.example.gov.cn
    token: str                        # this kiosk's device token
    printer_uri: str                  # usb://0x0416:0x5011, tcp://…:9100, serial://…, file://…
    public_url: str | None = None     # where QR codes point; the core's address by default
    paper_mm: int = 80
    mode: str = "text"
    location: str | None = None       # printed when a category names no place
    footer_lines: list[str] = field(default_factory=list)
    timeout: float = 8.0              # per request to the core


class CoreLink:
    """HTTP to the core as this kiosk; who the kiosk is and its site, fetched once."""

    def __init__(self, settings: AgentSettings) -> None:
        self.settings, self.http = settings, requests.Session()
        self.http.headers["Authorization"] = f"Bearer {settings.token}"
        self._device: dict | None = None
        self._site: dict | None = None

    def url(self, path: str) -> str:
        return self.settings.server.rstrip("/") + path

    def call(self, method: str, path: str, **kw) -> requests.Response:
        return self.http.request(method, self.url(path), timeout=self.settings.timeout, **kw)

    def device(self) -> dict:
        if self._device is None:
            response = self.call("GET", "/kiosk/device")
            response.raise_for_status()
            self._device = response.json()
        return self._device

    def site(self) -> dict:
        """The kiosk's site as the core lists it (names and timezone, for the printed ticket)."""
        if self._site is None:
            code = self.device()["site"]["code"]
            response = self.call("GET", "/api/v1/sites")
            response.raise_for_status()
            self._site = next(s for s in response.json() if s["code"] == code)
        return self._site

    def report_printer(self, status: str) -> None:
        """Tell the core how the local printer is (paper out, offline alert the managers); the
        printer is named after this kiosk. Called from the spooler's thread: never raises."""
        try:
            device = self.device()
            self.call("POST", f"/api/v1/sites/{device['site']['code']}/printers/"
                              f"{device['code']}/status", json={"status": status})
        except requests.RequestException as exc:
            log.warning("could not report printer status %s to the core: %s", status, exc)


def create_agent(settings: AgentSettings, retry: RetryPolicy = RetryPolicy()) -> Flask:
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.wsgi_app = with_security_headers(app.wsgi_app)  # the same pages as the core's, same policy
    core = CoreLink(settings)
    printer = PrinterSettings(code=LOCAL_PRINTER, uri=settings.printer_uri,
                              paper_mm=settings.paper_mm, mode=settings.mode)
    spooler = Spooler([printer], retry=retry,
                      on_printer_status=lambda _code, status: core.report_printer(status.value))
    app.extensions["kiosk_agent"] = {"core": core, "spooler": spooler}
    public_url = settings.public_url or settings.server

    def device_view() -> dict:
        return {**core.device(), "printer": LOCAL_PRINTER}

    app.register_blueprint(pagekit)
    app.register_blueprint(kiosk_blueprint(device_view, lambda: public_url))

    @app.errorhandler(requests.RequestException)
    def core_unreachable(exc: requests.RequestException):
        log.warning("core unreachable: %s", exc)
        lang = request_language(browser=True)
        message = UNREACHABLE[0] if lang == "zh" else UNREACHABLE[1]
        return jsonify({"error": {"code": "core_unreachable", "message": message}}), 503

    @app.get("/api/v1/sites/<site>/categories")
    def categories(site: str):
        return _relay(core.call("GET", f"/api/v1/sites/{site}/categories", headers=_language()))

    @app.get("/api/v1/tickets/<token>")
    def ticket_status(token: str):
        return _relay(core.call("GET", f"/api/v1/tickets/{token}", headers=_language()))

    @app.post("/api/v1/sites/<site>/tickets")
    def issue(site: str):
        """Issued (and committed) by the core first, then printed here; a repeated request id
        gets the same ticket, and the same ticket id is the same print job, so never two."""
        return issue_and_print(f"/api/v1/sites/{site}/tickets")

    @app.post("/api/v1/sites/<site>/appointments/check-in")
    def check_in(site: str):
        """预约签到: the core turns the code into a ticket (once), printed here like any other."""
        return issue_and_print(f"/api/v1/sites/{site}/appointments/check-in")

    def issue_and_print(path: str):
        response = core.call("POST", path, json=request.get_json(silent=True), headers=_language())
        if response.status_code not in (200, 201):
            return _relay(response)
        ticket = response.json()
        where = core.site()
        job = spooler.submit(f"ticket-{ticket['id']}", LOCAL_PRINTER,
                             ticket_print(ticket, site_name=where["name_zh"],
                                          timezone=where["timezone"], public_url=public_url,
                                          location=settings.location,
                                          footer_lines=tuple(settings.footer_lines)),
                             build_layout(printer))
        ticket["print"] = job_view(job)
        return jsonify(ticket), response.status_code

    @app.get("/api/v1/sites/<site>/printers")
    def printers(site: str):
        return jsonify([{"code": LOCAL_PRINTER,
                         "status": spooler.printer_status(LOCAL_PRINTER).value}])

    return app


def _language() -> dict:
    value = request.headers.get("Accept-Language")
    return {"Accept-Language": value} if value else {}


def _relay(response: requests.Response) -> Response:
    return Response(response.content, status=response.status_code,
                    content_type=response.headers.get("Content-Type", "application/json"))
