"""A fake ESC/POS network printer on 127.0.0.1: prints, stalls, drops midway or reports paper out."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

from tests.support.escpos_decode import DecodedTicket, decode, scan
from tests.support.printer_replies import REPLY_ONLINE

IO_TIMEOUT = 0.1  # every socket here polls with this timeout so the fake always shuts down promptly


@dataclass
class Connection:
    behaviour: str
    printed: bytearray = field(default_factory=bytearray)  # bytes that reached the "paper"
    queries: list[int] = field(default_factory=list)  # DLE EOT n received


class FakePrinter:
    """Behaviours, one per incoming connection (then `default`):

    ok      read everything, answer status queries with `status`
    hangup  close as soon as the connection is accepted
    stall   accept, then never read nor answer
    drop    answer status, take `cut_after` ticket bytes, then close the connection
    freeze  answer status, take `cut_after` ticket bytes, then stop reading and answering
    """

    def __init__(self, behaviours: list[str] | None = None, default: str = "ok", cut_after: int = 200,
                 status: dict[int, int] | None = None) -> None:
        self.behaviours = list(behaviours or [])
        self.default = default
        self.cut_after = cut_after
        self.status = dict(status or REPLY_ONLINE)  # tests may swap this while running
        self.connections: list[Connection] = []
        self._stop = threading.Event()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self._server.settimeout(IO_TIMEOUT)
        self.port = self._server.getsockname()[1]
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def tickets(self) -> list[DecodedTicket]:
        """Every ticket that came out whole (ended with a cut), in order."""
        out = []
        for conn in self.connections:
            decoded = decode(bytes(conn.printed)) if conn.printed else None
            if decoded and decoded.cuts:
                out.append(decoded)
        return out

    def wait_for_tickets(self, count: int, timeout: float = 5.0) -> list[DecodedTicket]:
        """Whole tickets once `count` have come out (or whatever came out by the timeout)."""
        deadline = time.monotonic() + timeout
        while len(self.tickets()) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.tickets()

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(2)
        self._server.close()

    def __enter__(self) -> "FakePrinter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except socket.timeout:
                continue
            behaviour = self.behaviours.pop(0) if self.behaviours else self.default
            conn = Connection(behaviour)
            self.connections.append(conn)
            thread = threading.Thread(target=self._serve, args=(client, conn), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket, conn: Connection) -> None:
        client.settimeout(IO_TIMEOUT)
        with client:
            if conn.behaviour == "hangup":
                return
            if conn.behaviour == "stall":
                self._stop.wait()
                return
            self._print(client, conn)

    def _print(self, client: socket.socket, conn: Connection) -> None:
        pending = b""
        while not self._stop.is_set():
            try:
                chunk = client.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            if not chunk:
                return
            pending += chunk
            found, used = scan(pending)
            pending = pending[used:]
            for token in found:
                if token.name == b"\x10\x04":
                    conn.queries.append(token.params[0])
                    client.sendall(bytes([self.status.get(token.params[0], 0x12)]))
                    continue
                conn.printed += token.raw
                if conn.behaviour in ("drop", "freeze") and len(conn.printed) >= self.cut_after:
                    del conn.printed[self.cut_after:]
                    if conn.behaviour == "freeze":
                        self._stop.wait()
                    return
