"""The store's own record types: an event as stored, and one append request and its answer.

They are the store's vocabulary; the audit activity uses them as its payloads (``activities.models``
re-exports them), so the store never depends on the layer above it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from domain.actors import ActorRef
from domain.events import Event, event_from_record


class StoredEvent(BaseModel):
    """An event as the audit store keeps it (the fields of docs/api.md's event listing)."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    seq: int
    event_id: str
    type: str
    occurred_on: date
    recorded_at: datetime
    actor: ActorRef
    data: dict[str, Any]
    prev_hash: str
    hash: str

    def domain_event(self) -> Event:
        """The typed domain event this stored event holds (for folds and documents)."""
        return event_from_record(
            type=self.type,
            event_id=self.event_id,
            case_id=self.case_id,
            occurred_on=self.occurred_on,
            actor=self.actor.model_dump(mode="json"),
            data=self.data,
        )


class RecordEvents(BaseModel):
    """Append ``events`` to a case whose last stored ``seq`` is ``expected_seq`` (0 for a new case).

    A retry with the same event ids records nothing new and answers with the stored events.
    """

    case_id: str
    expected_seq: int
    events: list[Event]


class RecordedEvents(BaseModel):
    """What the store holds for the events of one :class:`RecordEvents` call."""

    case_id: str
    last_seq: int
    events: list[StoredEvent]
