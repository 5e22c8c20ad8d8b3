"""Status bytes a thermal printer sends to DLE EOT 1, 2 and 4 (fixed bits 1 and 4 set), for the
fake printer and the status tests."""
from printers.status import OFFLINE_CAUSE, PAPER_SENSOR, PRINTER

REPLY_ONLINE = {PRINTER: 0x12, OFFLINE_CAUSE: 0x12, PAPER_SENSOR: 0x12}
REPLY_PAPER_LOW = {PRINTER: 0x12, OFFLINE_CAUSE: 0x12, PAPER_SENSOR: 0x1E}
REPLY_PAPER_OUT = {PRINTER: 0x1A, OFFLINE_CAUSE: 0x32, PAPER_SENSOR: 0x72}
REPLY_COVER_OPEN = {PRINTER: 0x1A, OFFLINE_CAUSE: 0x16, PAPER_SENSOR: 0x12}
