"""Staffing and what-if planning: Erlang C, a discrete-event simulator of the hall through the
real calling policy, and staffing advice. Pure Python: imports queue_core.domain only."""
