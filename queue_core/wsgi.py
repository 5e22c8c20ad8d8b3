"""WSGI entry point for gunicorn: `gunicorn queue_core.wsgi:app`."""
from .app import create_app
from .supervision import start_sweeps

app = create_app()
start_sweeps(app)  # 电子监察: one periodic alert sweep per server process
