"""WSGI entry point for gunicorn: `gunicorn queue_core.wsgi:app`."""
from .app import create_app

app = create_app()
