"""`python -m kiosk --server URL --token … --printer usb://…`: run the kiosk agent on a kiosk PC."""
from __future__ import annotations

import argparse
import logging
import os

from .agent import AgentSettings, create_agent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kiosk", description=__doc__)
    parser.add_argument("--server", required=True, help="the queue server, e.g. http://10.0.0.5:8000")
    parser.add_argument("--token", default=os.environ.get("QUEUEHALL_KIOSK_TOKEN"),
                        help="this kiosk's device token (or $QUEUEHALL_KIOSK_TOKEN)")
    parser.add_argument("--printer", required=True,
                        help="usb://0x0416:0x5011, tcp://host:9100, serial:///dev/ttyUSB0, file://…")
    parser.add_argument("--paper-mm", type=int, choices=[58, 80], default=80)
    parser.add_argument("--mode", choices=["text", "image"], default="text")
    parser.add_argument("--public-url", default=None, help="QR code address (default: --server)")
    parser.add_argument("--location", default=None, help="printed when a service names no place")
    parser.add_argument("--footer", action="append", default=[], help="a footer line (repeatable)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("--token (or $QUEUEHALL_KIOSK_TOKEN) is required")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_agent(AgentSettings(
        server=args.server, token=args.token, printer_uri=args.printer, public_url=args.public_url,
        paper_mm=args.paper_mm, mode=args.mode, location=args.location, footer_lines=args.footer))
    print(f"kiosk agent: open http://{args.host}:{args.port}/kiosk/ (core {args.server})", flush=True)
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
