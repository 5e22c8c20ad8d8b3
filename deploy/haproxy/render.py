#!/usr/bin/env python3
"""Write haproxy's configuration for queuehall from queuehall.cfg.in (Python 3, stdlib only).

    python3 deploy/haproxy/render.py --system --bind :80 127.0.0.1:8001 127.0.0.1:8002 \
        > /etc/haproxy/haproxy.cfg

An instance is `host:port` (named after its port) or `name=host:port`; the name is also the
value of the SERVERID cookie that keeps a browser on it. `--system` adds the global lines of a
system install (chroot, the haproxy user, the admin socket; logs to /dev/log); without it the
file suits a process run in the foreground (`haproxy -db -f …`, logs to stdout), as the tests do.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

TEMPLATE = Path(__file__).with_name("queuehall.cfg.in")
SYSTEM_GLOBAL = ("    chroot /var/lib/haproxy\n"
                 "    stats socket /run/haproxy/admin.sock mode 660 level admin\n"
                 "    user haproxy\n"
                 "    group haproxy")


def render(bind: str, servers: list[str], *, system: bool = False,
           per_instance: int = 2000, template: Path = TEMPLATE) -> str:
    if not servers:
        raise ValueError("at least one queuehall instance (host:port)")
    lines = []
    for spec in servers:
        name, _, address = spec.rpartition("=")
        if not re.fullmatch(r"[\w.\-\[\]:]+:\d+", address):
            raise ValueError(f"not host:port: {address!r}")
        name = name or "q" + address.rsplit(":", 1)[1]
        lines.append(f"    server {name} {address} cookie {name}")
    text = template.read_text(encoding="utf-8")
    return (text.replace("@GLOBAL@\n", SYSTEM_GLOBAL + "\n" if system else "")
                .replace("@LOG@", "/dev/log" if system else "stdout format raw")
                .replace("@MAXCONN@", str(per_instance * len(servers) + 1000))
                .replace("@BIND@", bind)
                .replace("@SERVERS@", "\n".join(lines)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bind", default=":80", help="where haproxy listens (default :80)")
    parser.add_argument("--system", action="store_true",
                        help="a system install: chroot, user haproxy, admin socket, /dev/log")
    parser.add_argument("--connections", type=int, default=2000,
                        help="max_connections of each instance (default 2000)")
    parser.add_argument("servers", nargs="+", metavar="[name=]host:port")
    args = parser.parse_args()
    print(render(args.bind, args.servers, system=args.system, per_instance=args.connections),
          end="")


if __name__ == "__main__":
    main()
