"""Notices: the e-mails recorded events cause, their kinds and ids.

Which event causes which notice, to whom and with what subject, is declared by each event
type (``notices`` in ``domain.events``). Pure: the store calls :func:`notices_for` for each
event it appends and writes the result to its outbox in the same transaction, so a notice
exists exactly when its event does.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.values import Frozen, Recipient

if TYPE_CHECKING:  # events declare their notices, so they import this module
    from domain.events import Event

_NOTICE_NAMESPACE = uuid.UUID("0b7d6c1e-3f55-4d8e-9a62-5c1f2e7a9b34")


class NoticeKind(StrEnum):
    """The kinds of notice of docs/api.md."""

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


def notices_for(event: Event, dnr: str) -> list[Notice]:
    """The notices ``event`` on the case with registration number ``dnr`` causes (often none).

    Each event type declares its notices itself (``EventBase.notices`` in ``domain.events``).
    """
    return event.notices(dnr)
