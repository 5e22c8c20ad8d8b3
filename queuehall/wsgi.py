"""WSGI entry point for gunicorn (`queuehall serve` runs `gunicorn queuehall.wsgi:app`)."""
from queue_core.supervision import start_sweeps

from .app import create_app

app = create_app()
start_sweeps(app)  # 电子监察: one periodic alert sweep per server process
