"""Events: the facts of a case, one frozen model per event type of API.md.

Every event carries the same envelope (id, case, business date, actor) and its own
data. The audit store adds the sequence number, the recording time and the hash chain.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from domain.actors import ActorRef
from domain.values import (
    AreaSpec,
    DecisionArea,
    DraftKind,
    FollowUpArea,
    Frozen,
    Recipient,
    ResponseArea,
)

ENVELOPE_FIELDS = frozenset({"type", "event_id", "case_id", "occurred_on", "actor"})


class EventBase(Frozen):
    """The envelope every event shares."""

    event_id: str
    case_id: str
    occurred_on: date
    actor: ActorRef

    def data(self) -> dict[str, Any]:
        """The event's own data as JSON-ready values (what the store keeps in ``data``)."""
        return self.model_dump(mode="json", exclude=set(ENVELOPE_FIELDS))


class CaseOpened(EventBase):
    type: Literal["CaseOpened"] = "CaseOpened"
    dnr: str
    organiser_id: str
    title: str
    opened_on: date
    areas: tuple[AreaSpec, ...]


class DecisionDrafted(EventBase):
    type: Literal["DecisionDrafted"] = "DecisionDrafted"
    areas: tuple[DecisionArea, ...]
    response_due: date | None


class DecisionSigned(EventBase):
    type: Literal["DecisionSigned"] = "DecisionSigned"
    decided_on: date
    drafted_by: str
    response_due: date | None


class DraftRejected(EventBase):
    type: Literal["DraftRejected"] = "DraftRejected"
    draft: DraftKind
    drafted_by: str
    reason: str


class ResponseDrafted(EventBase):
    type: Literal["ResponseDrafted"] = "ResponseDrafted"
    round: int
    areas: tuple[ResponseArea, ...]


class ResponseApproved(EventBase):
    type: Literal["ResponseApproved"] = "ResponseApproved"
    round: int
    body: str
    decided_on: date
    paragraph: str


class ResponseSubmitted(EventBase):
    type: Literal["ResponseSubmitted"] = "ResponseSubmitted"
    round: int
    submitted_on: date


class SupplementRequested(EventBase):
    type: Literal["SupplementRequested"] = "SupplementRequested"
    round: int
    what: str
    response_due: date


class DeadlineExtended(EventBase):
    type: Literal["DeadlineExtended"] = "DeadlineExtended"
    round: int
    previous_due: date
    response_due: date
    reason: str


class ReminderSent(EventBase):
    type: Literal["ReminderSent"] = "ReminderSent"
    round: int
    response_due: date
    recipient: Recipient
    days_before_due: int
    """Positive: days left before the due date; negative: days overdue."""


class ResponseOverdue(EventBase):
    type: Literal["ResponseOverdue"] = "ResponseOverdue"
    round: int
    response_due: date


class FollowUpDrafted(EventBase):
    type: Literal["FollowUpDrafted"] = "FollowUpDrafted"
    round: int
    areas: tuple[FollowUpArea, ...]
    next_response_due: date | None


class FollowUpSigned(EventBase):
    type: Literal["FollowUpSigned"] = "FollowUpSigned"
    round: int
    decided_on: date
    drafted_by: str


class RoundStarted(EventBase):
    type: Literal["RoundStarted"] = "RoundStarted"
    round: int
    areas: tuple[str, ...]
    response_due: date


class CaseClosed(EventBase):
    type: Literal["CaseClosed"] = "CaseClosed"
    reason: Literal["no_requirements", "all_in_line"]


class CaseReferred(EventBase):
    type: Literal["CaseReferred"] = "CaseReferred"
    reason: str
    decided_on: date
    reference: str


Event = Annotated[
    CaseOpened
    | DecisionDrafted
    | DecisionSigned
    | DraftRejected
    | ResponseDrafted
    | ResponseApproved
    | ResponseSubmitted
    | SupplementRequested
    | DeadlineExtended
    | ReminderSent
    | ResponseOverdue
    | FollowUpDrafted
    | FollowUpSigned
    | RoundStarted
    | CaseClosed
    | CaseReferred,
    Field(discriminator="type"),
]

EVENT_TYPES: tuple[str, ...] = (
    "CaseOpened",
    "DecisionDrafted",
    "DecisionSigned",
    "DraftRejected",
    "ResponseDrafted",
    "ResponseApproved",
    "ResponseSubmitted",
    "SupplementRequested",
    "DeadlineExtended",
    "ReminderSent",
    "ResponseOverdue",
    "FollowUpDrafted",
    "FollowUpSigned",
    "RoundStarted",
    "CaseClosed",
    "CaseReferred",
)

_EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def event_from_record(
    *,
    type: str,
    event_id: str,
    case_id: str,
    occurred_on: date | str,
    actor: dict[str, str],
    data: dict[str, Any],
) -> Event:
    """Rebuild a typed event from the store's columns (the inverse of envelope + ``data()``)."""
    fields = dict(data)
    fields.update(type=type, event_id=event_id, case_id=case_id, occurred_on=occurred_on, actor=actor)
    return _EVENT_ADAPTER.validate_python(fields)
