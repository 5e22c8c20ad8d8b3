"""Room delivery: a closed client is skipped and a stalled one dropped; the rest get everything."""
import engineio
import socketio

from queue_core.realtime.fan_out import guard_fan_out


def hall_room(clients: int):
    """A real python-socketio server with `clients` engine.io sockets in one room (no network:
    what is queued for a client is what its transport would write)."""
    server = socketio.Server(async_mode="threading")
    guard_fan_out(server, max_backlog=20)
    sockets = []
    for n in range(clients):
        eio_sid = f"eio{n}"
        sock = engineio.socket.Socket(server.eio, eio_sid)
        sock.connected = True
        server.eio.sockets[eio_sid] = sock
        sid = server.manager.connect(eio_sid, "/")
        server.manager.enter_room(sid, "/", "site:test")
        sockets.append(sock)
    return server, sockets


def drain(sock) -> int:
    got = 0
    while not sock.queue.empty():
        if sock.queue.get() is not None:
            got += 1
    return got


def test_a_closed_client_does_not_stop_the_rest_of_the_room():
    server, sockets = hall_room(5)
    sockets[1].closed = True   # gone between the room lookup and the send
    sockets[3].closing = True  # on its way out
    server.emit("event", {"type": "called", "number": "A001"}, to="site:test")
    assert [drain(s) for s in sockets] == [1, 0, 1, 0, 1]


def test_a_stalled_client_is_dropped_and_the_others_get_every_event():
    server, sockets = hall_room(3)
    stalled, reading = sockets[0], sockets[1:]
    received = [0, 0]
    for n in range(50):
        server.emit("event", {"type": "called", "seq": n}, to="site:test")
        for i, sock in enumerate(reading):
            received[i] += drain(sock)
    assert received == [50, 50]
    assert stalled.closed and stalled.queue.qsize() <= 21  # dropped at its 20-packet backlog
