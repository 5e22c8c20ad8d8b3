"""Whether phones can open the link printed in a ticket's QR code (queuehall/start/reach.py)."""
import pytest

from queuehall.start.reach import unreachable_reason, warning


@pytest.mark.parametrize("public_url,served_at,reason", [
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000", "loopback"),   # make run's default
    ("http://localhost:8000", "http://[::]:8000", "loopback"),
    ("http://127.0.0.1:8000", "http://192.168.1.10:8000/", "loopback"),
    ("http://192.168.1.10:8000", "http://192.168.1.10:8000/", None),
    ("http://192.168.1.10:8000", "http://127.0.0.1:8000/", None),      # the server's own screen
    ("http://192.168.1.10:8000", "http://0.0.0.0:8000", None),         # serve --host 0.0.0.0
    ("http://192.168.1.10:8000", "http://10.0.0.5:8000/", "elsewhere"),
    ("http://192.168.1.10:8000", "http://192.168.1.10:9000/", "elsewhere"),
    ("https://hall.example.gov.cn", "https://hall.example.gov.cn/", None),
])
def test_qr_links_phones_cannot_open_are_recognised(public_url, served_at, reason):
    assert unreachable_reason(public_url, served_at) == reason


def test_the_warning_names_the_link_and_the_fix_in_both_languages():
    zh = warning("http://127.0.0.1:8000", "http://10.0.0.5:8000/", "zh")
    en = warning("http://127.0.0.1:8000", "http://10.0.0.5:8000/", "en")
    assert "http://127.0.0.1:8000" in zh and "手机" in zh and "public_url" in zh
    assert "phones" in en and "public_url" in en
    assert warning("http://192.168.1.10:8000", "http://192.168.1.10:8000/") is None
