"""The page kit: what every web face of the hall shares — the core's pages and API, and the
kiosk agent on a kiosk PC — whichever process serves it: the language a page speaks and the
security headers of every answer. It imports no queuehall code, so the kiosk agent can use it
without the core."""
