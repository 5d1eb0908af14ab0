"""Payloads of the activities: one pydantic model in, one out (Temporal's pydantic converter).

The audit activity's payloads are the store's own record types (the store owns them); they are
named here so that workflows depend on this module, the activities' interface, and not on the store.
"""

from __future__ import annotations

from store.records import RecordedEvents, RecordEvents, StoredEvent

__all__ = ["RecordEvents", "RecordedEvents", "StoredEvent"]
