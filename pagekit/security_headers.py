"""Security headers on every answer of the hall server: pages, the API, static files, error pages
and Socket.IO's polling answers. A WSGI wrapper rather than an after_request hook, because the
Socket.IO server answers before Flask sees the request (flask-talisman, an after_request hook,
would miss those, decides HSTS per request only and rewrites the session cookie's settings)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# Scripts and styles come only from this server's files: no inline <script>, no on*= handlers,
# no style="" attributes or <style> blocks (styles a script sets through element.style are not
# inline markup and stay allowed). The voice of a screen is played from a blob: URL, the QR code
# and charts are this server's SVGs.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "media-src": "'self' blob:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HSTS = "max-age=31536000"  # no includeSubDomains: a hall's host may share a domain with others
PLAIN_HOST = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")

StartResponse = Callable[..., Callable[[bytes], object]]


def content_security_policy(host: str | None) -> str:
    """The policy for a request to `host` (its Host header). 'self' covers ws:/wss: of the same
    host in current browsers; older ones (Safari before 15.4, on some phones) need them named."""
    connect = "'self'"
    if host and PLAIN_HOST.fullmatch(host):
        connect += f" ws://{host} wss://{host}"
    return "; ".join(f"{name} {value}" for name, value in {**POLICY, "connect-src": connect}.items())


def security_headers(environ: dict, https_site: bool) -> list[tuple[str, str]]:
    headers = [
        ("Content-Security-Policy", content_security_policy(environ.get("HTTP_HOST"))),
        ("X-Content-Type-Options", "nosniff"),
        # A phone page's address holds its ticket's status token: never send it to another
        # site. Same-origin requests keep it, as Flask-WTF checks the Referer over https.
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ]
    if https_site or environ.get("wsgi.url_scheme") == "https":
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


def with_security_headers(wsgi_app, public_url: str = ""):
    """Wrap `wsgi_app` so that every answer carries the headers (a header the answer already set
    is kept: a view may choose its own). HSTS when the hall is reached over https: its public
    address is https (TLS ends at a proxy in front), or this very request came over https."""
    https_site = public_url.lower().startswith("https://")

    def app(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        extra = security_headers(environ, https_site)

        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend((name, value) for name, value in extra if name.lower() not in present)
            return start_response(status, headers, exc_info)
        return wsgi_app(environ, start)
    return app
