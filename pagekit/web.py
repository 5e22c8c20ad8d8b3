"""The page kit's browser side, served by every process that serves pages (the hall server and
the kiosk agent): its scripts (api, feed, i18n, escaping, Socket.IO) and stylesheet under
/pagekit/static/, and the <head> every page starts with (templates/pagekit/head.html)."""
from __future__ import annotations

from flask import Blueprint

pagekit = Blueprint("pagekit", __name__, url_prefix="/pagekit", static_folder="static",
                    template_folder="templates")
