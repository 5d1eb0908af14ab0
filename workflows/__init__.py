"""Temporal workflows: one per case, and one child per response round. No I/O here."""
