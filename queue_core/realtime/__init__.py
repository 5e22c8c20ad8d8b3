"""Socket.IO: who may connect and which room they join (handlers), applicants' own tickets pushed
to their phones (phone_feed), consoles' sockets ended with their sessions (console_sockets), and
delivery that no dead or stalled client can hold up (fan_out)."""
from .console_sockets import ConsoleSockets
from .fan_out import guard_fan_out, websocket_deadline
from .handlers import register_socket_handlers
from .phone_feed import PhoneFeed

__all__ = ["ConsoleSockets", "PhoneFeed", "guard_fan_out", "register_socket_handlers", "websocket_deadline"]
