"""How this process runs concurrent work. `queuehall serve` runs on gevent: every connection is
a greenlet, so hundreds of open screens and phones cost memory, not threads. Tests and tools run
on plain threads. Work that would stall every greenlet at once (CPU-heavy planning, printer I/O
through C libraries, SQLite waiting on the disk) goes through `offload` to a native thread."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def cooperative() -> bool:
    """True when this process runs on gevent (gunicorn's gevent worker monkey-patches it)."""
    try:
        from gevent import monkey
    except ImportError:  # gevent is a dependency, but the domain tests need not care
        return False
    return monkey.is_module_patched("socket")


def async_mode() -> str:
    """Flask-SocketIO's async mode for this process: it follows the deployment."""
    return "gevent" if cooperative() else "threading"


def offload(fn: Callable[..., T], *args, **kwargs) -> T:
    """Run `fn` on a native thread of gevent's pool and wait for it cooperatively; on plain
    threads, just call it. `fn` must not touch greenlet-bound objects (sockets of this hub,
    Socket.IO): give it plain data and take plain data back."""
    if not cooperative():
        return fn(*args, **kwargs)
    import gevent
    return gevent.get_hub().threadpool.apply(fn, args, kwargs)


def pause() -> None:
    """Let the other greenlets run: long loops (a year's report) call it every few hundred
    steps, so screens and issuing are served meanwhile. A no-op on plain threads."""
    if cooperative():
        import gevent
        gevent.sleep(0)
