"""The request and answer models of the JSON API (docs/api.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel

from domain.actors import ActorRef
from domain.views import CaseView


class Credentials(BaseModel):
    username: str
    password: str


class TokenAnswer(BaseModel):
    access_token: str
    token_type: str = "bearer"


class NewUser(BaseModel):
    username: str
    password: str
    roles: list[str]
    organiser_id: str | None = None
    full_name: str | None = None


class UserAnswer(BaseModel):
    username: str
    roles: list[str]
    organiser_id: str | None
    full_name: str | None
    active: bool = True
    """False once deactivated: the user cannot log in, and every login of theirs has ended."""


class NewOrganiser(BaseModel):
    organiser_id: str
    name: str
    email: str


class CaseList(BaseModel):
    """One page of cases; follow ``next_cursor`` (``?cursor=``) until it is null: nothing is cut off."""

    cases: list[CaseView]
    next_cursor: str | None = None


class WorkItemAnswer(BaseModel):
    """One thing the caller can do now: the case, the command (``export`` for an auditor) and its due date."""

    case: CaseView
    action: str
    due: date | None
    since: date | None
    """Since when the case has waited for this step (the draft, the account, the decision)."""


class CheckpointAnswer(BaseModel):
    """How far the latest signed checkpoint lags behind the log (for auditors)."""

    log_size: int
    checkpoint_size: int | None
    checkpoint_at: datetime | None


class WorklistAnswer(BaseModel):
    """docs/api.md's worklist: what the caller can do now, most urgent first."""

    items: list[WorkItemAnswer]
    checkpoint: CheckpointAnswer | None = None


class EventAnswer(BaseModel):
    """One event of the audit trail, as recorded (docs/api.md's event listing)."""

    seq: int
    event_id: str
    type: str
    occurred_on: date
    recorded_at: datetime
    actor: ActorRef
    data: dict[str, Any]
    prev_hash: str
    hash: str


class EventList(BaseModel):
    events: list[EventAnswer]


class NoticeAnswer(BaseModel):
    """One notice (letter) of the case and its delivery status."""

    notice_id: str
    kind: Literal["decision", "reminder", "overdue", "receipt", "follow_up_decision", "closure", "referral"]
    recipient: str
    subject: str
    status: Literal["pending", "sent", "failed"]
    created_at: datetime
    sent_at: datetime | None


class NoticeList(BaseModel):
    notices: list[NoticeAnswer]
