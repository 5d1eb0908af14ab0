"""Which recorded events cause a notice (e-mail) to whom, and with what subject.

Pure: the store calls :func:`notices_for` for each event it appends and writes the result
to its outbox in the same transaction, so a notice exists exactly when its event does.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from domain import events as ev
from domain.values import Frozen, Recipient

_NOTICE_NAMESPACE = uuid.UUID("0b7d6c1e-3f55-4d8e-9a62-5c1f2e7a9b34")


class NoticeKind(StrEnum):
    """The kinds of notice of API.md."""

    DECISION = "decision"
    REMINDER = "reminder"
    OVERDUE = "overdue"
    RECEIPT = "receipt"
    FOLLOW_UP_DECISION = "follow_up_decision"
    CLOSURE = "closure"
    REFERRAL = "referral"


class Notice(Frozen):
    """A notice one event causes: its kind, who receives it and its subject line (Swedish)."""

    kind: NoticeKind
    recipient: Recipient
    subject: str


def notice_id(case_id: str, seq: int, kind: str, recipient: str) -> str:
    """A deterministic notice id: the same event always yields the same notices."""
    return str(uuid.uuid5(_NOTICE_NAMESPACE, f"{case_id}\n{seq}\n{kind}\n{recipient}"))


def notices_for(event: ev.Event, dnr: str) -> list[Notice]:
    """The notices ``event`` on the case with registration number ``dnr`` causes (often none)."""
    org, insp = Recipient.ORGANISER, Recipient.INSPECTORATE
    match event:
        case ev.DecisionSigned():
            return [Notice(kind=NoticeKind.DECISION, recipient=org, subject=f"Beslut i kvalitetsgranskning, Dnr {dnr}")]
        case ev.ReminderSent():
            if event.days_before_due > 0:
                subject = f"Påminnelse: redovisning ska lämnas senast {event.response_due.isoformat()}, Dnr {dnr}"
            else:
                subject = (
                    f"Påminnelse: redovisningen skulle ha lämnats senast {event.response_due.isoformat()}, Dnr {dnr}"
                )
            return [Notice(kind=NoticeKind.REMINDER, recipient=event.recipient, subject=subject)]
        case ev.ResponseOverdue():
            due = event.response_due.isoformat()
            return [
                Notice(
                    kind=NoticeKind.OVERDUE,
                    recipient=insp,
                    subject=f"Redovisning har inte kommit in (senast {due}), Dnr {dnr}",
                ),
                Notice(
                    kind=NoticeKind.OVERDUE,
                    recipient=org,
                    subject=f"Er redovisning är försenad (skulle ha lämnats senast {due}), Dnr {dnr}",
                ),
            ]
        case ev.ResponseSubmitted():
            return [Notice(kind=NoticeKind.RECEIPT, recipient=insp, subject=f"Redovisning har kommit in, Dnr {dnr}")]
        case ev.FollowUpSigned():
            return [
                Notice(
                    kind=NoticeKind.FOLLOW_UP_DECISION,
                    recipient=org,
                    subject=f"Uppföljningsbeslut i kvalitetsgranskning, Dnr {dnr}",
                )
            ]
        case ev.CaseClosed():
            return [
                Notice(kind=NoticeKind.CLOSURE, recipient=org, subject=f"Kvalitetsgranskningen avslutas, Dnr {dnr}")
            ]
        case ev.CaseReferred():
            return [
                Notice(kind=NoticeKind.REFERRAL, recipient=org, subject=f"Ärendet lämnas över till tillsyn, Dnr {dnr}")
            ]
        case _:
            return []
