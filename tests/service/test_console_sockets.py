"""A console's socket ends with its session: after signing out (or a password change, or a
deactivation) the socket of that session — even one opened with a copied cookie — is dropped."""
from queue_core.service import accounts
from queue_core.supervision import sweep_once
from queuehall.app import create_app


def test_a_signed_out_session_loses_its_socket(settings, clock):
    app = create_app(settings, clock=clock)
    app.config["WTF_CSRF_ENABLED"] = False
    with app.extensions["queuehall"].db.writer() as session:
        accounts.create_user(session, "mgr", "password123", "manager", "Mgr", "test")
        accounts.create_user(session, "boss", "password123", "manager", "Boss", "test")
        session.commit()
    socketio, consoles = app.extensions["socketio"], app.extensions["console_sockets"]
    sockets = {}
    for name in ("mgr", "boss"):
        client = app.test_client()
        assert client.post("/api/v1/auth/login",
                           json={"username": name, "password": "password123"}).status_code == 200
        sockets[name] = (client, socketio.test_client(app, auth={"site": "test"},
                                                      flask_test_client=client))
        assert sockets[name][1].is_connected()
    assert consoles.sweep() == []
    sockets["mgr"][0].post("/api/v1/auth/logout")
    sweep_once(app)  # the server's periodic sweep (supervision) drops it
    assert not sockets["mgr"][1].is_connected()
    assert sockets["boss"][1].is_connected()
