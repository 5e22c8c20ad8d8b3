"""Adapters: database tables and engine, unit of work, clock, tokens, event publishing."""
