"""The kiosk: the touch page an applicant takes a ticket at, the phone status page behind the
ticket's QR code, and a standalone agent for a kiosk PC with its own printer (`python -m kiosk`)."""
