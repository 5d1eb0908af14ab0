"""A case's state is a fold of its events: ``evolve(state, event) -> state``.

The state is never stored on its own; the workflow, the read model and the tests all
rebuild it from the events with :func:`fold`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from domain.values import (
    Approval,
    AreaStatus,
    CaseStatus,
    DecisionArea,
    FollowUpArea,
    Frozen,
    Outcome,
    ResponseArea,
)

if TYPE_CHECKING:  # events say how they change the state, so they import this module
    from domain.events import Event


class AreaState(Frozen):
    """One assessment area and where it stands."""

    code: str
    title: str
    legal_basis: str
    status: AreaStatus = AreaStatus.OPEN
    assessment: str | None = None
    requirements: tuple[str, ...] = ()
    last_outcome: Outcome | None = None


class DecisionDraft(Frozen):
    """A decision text awaiting its signature."""

    drafted_by: str
    drafted_on: date
    areas: tuple[DecisionArea, ...]
    response_due: date | None


class FollowUpDraft(Frozen):
    """A follow-up decision text awaiting its signature."""

    drafted_by: str
    drafted_on: date
    areas: tuple[FollowUpArea, ...]
    next_response_due: date | None


class ResponseDraft(Frozen):
    """The organiser's latest draft of its account for the current round."""

    drafted_by: str
    drafted_on: date
    areas: tuple[ResponseArea, ...]
    attachments: tuple[str, ...] = ()
    """The SHA-256 of each document attached to the draft (the case's document store holds them)."""


class CaseState(Frozen):
    """Everything the rules need to know about one case."""

    case_id: str
    dnr: str
    organiser_id: str
    title: str
    opened_on: date
    review_type: str | None = None
    """E.g. "planerad kvalitetsgranskning" (shown in decisions); None for cases opened before it was asked."""
    review_period: str | None = None
    """When the review was carried out, e.g. "vårterminen 2025"; None when not given."""
    responsible: str | None = None
    """The responsible inspector (handläggare): who opened the case, or whom it was last assigned to."""
    designated_signer: str | None = None
    """The decision maker who is to sign the case's decisions; None: any decision maker but the drafter."""
    status: CaseStatus = CaseStatus.UNDER_REVIEW
    areas: tuple[AreaState, ...]
    round: int = 0
    round_areas: tuple[str, ...] = ()
    response_due: date | None = None
    overdue: bool = False
    decided_on: date | None = None
    decision_draft: DecisionDraft | None = None
    follow_up_draft: FollowUpDraft | None = None
    response_draft: ResponseDraft | None = None
    approval: Approval | None = None
    submitted_on: date | None = None
    last_signed_on: date | None = None
    reminders_sent: tuple[str, ...] = ()
    closed_reason: str | None = None
    referral_reference: str | None = None
    version: int = 0

    def area(self, code: str) -> AreaState | None:
        """The area with ``code``, or None when the case has no such area."""
        return next((a for a in self.areas if a.code == code), None)

    @property
    def open_codes(self) -> tuple[str, ...]:
        """Codes of the areas still open, in the case's order."""
        return tuple(a.code for a in self.areas if a.status is AreaStatus.OPEN)

    def areas_with(self, changes: dict[str, dict[str, object]]) -> tuple[AreaState, ...]:
        """The areas, those named in ``changes`` (by code) with those fields changed."""
        return tuple(a.model_copy(update=changes[a.code]) if a.code in changes else a for a in self.areas)

    @property
    def pending_drafter(self) -> str | None:
        """Who drafted the text that now awaits a signature, if any."""
        draft = self.decision_draft or self.follow_up_draft
        return draft.drafted_by if draft else None


def reminder_key(round: int, response_due: date, recipient: str, days_before_due: int) -> str:
    """Identifies one reminder so the same reminder is never recorded twice."""
    return f"{round}:{response_due.isoformat()}:{recipient}:{days_before_due}"


def evolve(state: CaseState | None, event: Event) -> CaseState:
    """Apply one event to the state and return the new state (the old one is untouched).

    Each event type says how it changes the state (``EventBase.changes`` in ``domain.events``).
    """
    return event.evolve(state)


def fold(events: Iterable[Event]) -> CaseState | None:
    """The state after all ``events`` (None when there are none)."""
    state: CaseState | None = None
    for event in events:
        state = evolve(state, event)
    return state
