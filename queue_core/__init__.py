"""queuehall's core service: domain rules, persistence, REST API and real-time events."""
