"""Shared foundations: settings, Redis connection, Redis key schema, clock."""
