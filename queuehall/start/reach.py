"""Whether phones can open the link a ticket's QR code prints (`public_url`): a loopback
address never reaches the hall from a phone, and an address other than the one the hall is
served or reached at is most likely a config left over from another setup."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

ALL_ADDRESSES = {"0.0.0.0", "::", ""}


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url if "//" in url else f"http://{url}")
    return (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)


def unreachable_reason(public_url: str, served_at: str) -> str | None:
    """Why phones may not reach `public_url` when the hall is served or reached at
    `served_at` (a URL): "loopback" (it names this machine only), "elsewhere" (the hall is
    reached at another address), or None. Reaching the hall from the server itself
    (loopback) while public_url names the LAN address is the normal case: no warning."""
    public_host, public_port = _host_port(public_url)
    if _is_loopback(public_host):
        return "loopback"
    host, port = _host_port(served_at)
    if _is_loopback(host) or host in ALL_ADDRESSES:
        return None
    return None if (host, port) == (public_host, public_port) else "elsewhere"


def warning(public_url: str, served_at: str, lang: str = "zh") -> str | None:
    """The warning a person starting or opening the hall reads, in `lang`; None when fine."""
    reason = unreachable_reason(public_url, served_at)
    if reason is None:
        return None
    if lang == "zh":
        where = ("是本机地址" if reason == "loopback" else f"与本服务的访问地址 {served_at} 不同")
        return (f"注意：号码票二维码指向 {public_url}，{where}，手机扫码将无法打开排队进度页。"
                f"请把 config.toml 中 [server] public_url 改为手机可访问的大厅地址"
                f"（如 http://192.168.1.10:8000），并以 --host 0.0.0.0 启动。")
    where = ("is this machine's own address" if reason == "loopback"
             else f"differs from the address the hall is served at, {served_at}")
    return (f"Warning: ticket QR codes point at {public_url}, which {where}: phones scanning "
            f"them cannot open the queue page. Set [server] public_url in config.toml to the "
            f"hall's address phones can reach (e.g. http://192.168.1.10:8000) and serve with "
            f"--host 0.0.0.0.")
