"""Payloads of the activities: one pydantic model in, one out (Temporal's pydantic converter).

The audit activity takes the store's own record type (the store owns it) and answers with a
receipt: where each event now stands in the case's chain (id, seq, hash), not the events'
data again — the workflow already has them, and its history need not hold them twice. They
are named here so that workflows depend on this module, the activities' interface, and not
on the store.
"""

from __future__ import annotations

from pydantic import BaseModel

from store.records import RecordedEvents, RecordEvents, StoredEvent

__all__ = ["EventRef", "RecordEvents", "RecordReceipt", "RecordedEvents", "StoredEvent"]


class EventRef(BaseModel):
    """One recorded event, by reference: its id, its place in the case and its hash."""

    event_id: str
    seq: int
    hash: str


class RecordReceipt(BaseModel):
    """What ``record_events`` answers: the case's last seq and a reference to each event of the batch.

    A batch the store already held (a retry) is answered with the seqs it was recorded at.
    Histories of earlier releases hold the full ``RecordedEvents`` here; it reads as a receipt.
    """

    case_id: str
    last_seq: int
    events: list[EventRef]

    @classmethod
    def of(cls, recorded: RecordedEvents) -> RecordReceipt:
        """The receipt of the store's answer."""
        return cls(
            case_id=recorded.case_id,
            last_seq=recorded.last_seq,
            events=[EventRef(event_id=e.event_id, seq=e.seq, hash=e.hash) for e in recorded.events],
        )
