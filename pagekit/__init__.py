"""The page kit: what every web face of the hall shares — the core's pages and API, and the
kiosk agent on a kiosk PC — whichever process serves it: the language a page speaks, the
security headers of every answer, and the browser kit every page loads (pagekit/web.py: api,
feed, i18n and escaping scripts, Socket.IO, and one <head> template). It imports no queuehall
code, so the kiosk agent can use it without the core."""
