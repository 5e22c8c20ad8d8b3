"""Printer URIs from config.toml: every backend, and clear errors for bad ones."""

from __future__ import annotations

import pytest

from printers.backends import open_printer, parse_printer_uri
from printers.backends.dummy import DummyBackend
from printers.backends.file import FileBackend
from printers.backends.network import NetworkBackend
from printers.backends.serial import SerialBackend
from printers.backends.usb import UsbBackend


def test_network():
    backend = parse_printer_uri("tcp://10.0.0.31:9100")
    assert isinstance(backend, NetworkBackend) and (backend.host, backend.port) == ("10.0.0.31", 9100)
    assert parse_printer_uri("tcp://printer-2f.local").port == 9100


def test_usb_ids_are_hex():
    backend = parse_printer_uri("usb://0x0416:0x5011")
    assert isinstance(backend, UsbBackend) and (backend.vendor_id, backend.product_id) == (0x0416, 0x5011)
    assert parse_printer_uri("usb://0416:5011?out_ep=0x03").endpoints == {"out_ep": 3}


def test_serial():
    backend = parse_printer_uri("serial:///dev/ttyUSB0?baud=9600")
    assert isinstance(backend, SerialBackend) and (backend.device, backend.baud) == ("/dev/ttyUSB0", 9600)
    assert parse_printer_uri("serial:///dev/ttyS1").baud == 9600
    assert parse_printer_uri("serial://COM3?baud=115200&flow=none").device == "COM3"


def test_file_absolute_and_relative():
    assert parse_printer_uri("file:///var/queuehall/kiosk1.bin").path == "/var/queuehall/kiosk1.bin"
    relative = parse_printer_uri("file://data/kiosk1.bin")
    assert isinstance(relative, FileBackend) and relative.path == "data/kiosk1.bin"
    assert parse_printer_uri("file://kiosk1.bin").path == "kiosk1.bin"


def test_dummy():
    assert isinstance(parse_printer_uri("dummy://"), DummyBackend)


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("", "empty"),
        ("10.0.0.31:9100", "no scheme"),
        ("http://10.0.0.31", "unknown scheme 'http'"),
        ("tcp://", "missing host"),
        ("tcp://10.0.0.31:70000", "port"),
        ("tcp://10.0.0.31:abc", "port"),
        ("tcp://10.0.0.31:9100/x", "no path"),
        ("tcp://10.0.0.31?timeout=3", "unknown option"),
        ("usb://0x0416", "VENDOR:PRODUCT"),
        ("usb://0xZZ:0x5011", "vendor id"),
        ("serial://", "missing device"),
        ("serial:///dev/ttyUSB0?baud=9601", "baud"),
        ("serial:///dev/ttyUSB0?baud=9600&baud=19200", "more than once"),
        ("serial:///dev/ttyUSB0?flow=magic", "flow"),
        ("file://", "missing file name"),
        ("dummy://x", "no host or path"),
    ],
)
def test_bad_uris_say_what_is_wrong(uri, problem):
    with pytest.raises(ValueError, match=problem):
        parse_printer_uri(uri)


def test_open_file_and_dummy_printers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    printer = open_printer("file://kiosk.bin", timeout=1)
    printer._raw(b"\x1b@")
    printer.close()
    assert (tmp_path / "kiosk.bin").read_bytes() == b"\x1b@"
    dummy = open_printer("dummy://")
    dummy._raw(b"x")
    assert dummy.output == b"x"


def test_network_printer_not_listening_raises_quickly():
    import socket
    import time

    from escpos.exceptions import DeviceNotFoundError

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(DeviceNotFoundError):
        open_printer(f"tcp://127.0.0.1:{port}", timeout=0.5)
    assert time.monotonic() - started < 2
