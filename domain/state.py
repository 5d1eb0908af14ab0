"""A case's state is a fold of its events: ``evolve(state, event) -> state``.

The state is never stored on its own; the workflow, the read model and the tests all
rebuild it from the events with :func:`fold`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain import events as ev
from domain.values import (
    AreaStatus,
    BoardApproval,
    CaseStatus,
    DecisionArea,
    DraftKind,
    FollowUpArea,
    Frozen,
    Outcome,
    ResponseArea,
)


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


class CaseState(Frozen):
    """Everything the rules need to know about one case."""

    case_id: str
    dnr: str
    organiser_id: str
    title: str
    opened_on: date
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
    approval: BoardApproval | None = None
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

    @property
    def pending_drafter(self) -> str | None:
        """Who drafted the text that now awaits a signature, if any."""
        draft = self.decision_draft or self.follow_up_draft
        return draft.drafted_by if draft else None


def reminder_key(round: int, response_due: date, recipient: str, days_before_due: int) -> str:
    """Identifies one reminder so the same reminder is never recorded twice."""
    return f"{round}:{response_due.isoformat()}:{recipient}:{days_before_due}"


def _with_areas(state: CaseState, changes: dict[str, dict[str, object]]) -> tuple[AreaState, ...]:
    return tuple(a.model_copy(update=changes[a.code]) if a.code in changes else a for a in state.areas)


def evolve(state: CaseState | None, event: ev.Event) -> CaseState:
    """Apply one event to the state and return the new state (the old one is untouched)."""
    if isinstance(event, ev.CaseOpened):
        return CaseState(
            case_id=event.case_id,
            dnr=event.dnr,
            organiser_id=event.organiser_id,
            title=event.title,
            opened_on=event.opened_on,
            version=1,
            areas=tuple(AreaState(code=a.code, title=a.title, legal_basis=a.legal_basis) for a in event.areas),
        )
    if state is None:
        raise ValueError(f"{event.type} cannot come before CaseOpened")
    update: dict[str, object] = {"version": state.version + 1}
    match event:
        case ev.DecisionDrafted():
            update["status"] = CaseStatus.DECISION_PENDING_SIGNATURE
            update["decision_draft"] = DecisionDraft(
                drafted_by=event.actor.username,
                drafted_on=event.occurred_on,
                areas=event.areas,
                response_due=event.response_due,
            )
        case ev.DecisionSigned():
            draft = state.decision_draft
            assert draft is not None, "DecisionSigned without a draft"
            update["areas"] = _with_areas(
                state,
                {
                    a.code: {
                        "assessment": a.assessment,
                        "requirements": a.requirements,
                        "status": AreaStatus.OPEN if a.requirements else AreaStatus.NO_REQUIREMENTS,
                    }
                    for a in draft.areas
                },
            )
            update.update(decision_draft=None, decided_on=event.decided_on, last_signed_on=event.decided_on)
            update["status"] = CaseStatus.AWAITING_RESPONSE
        case ev.DraftRejected():
            if event.draft is DraftKind.DECISION:
                update.update(status=CaseStatus.UNDER_REVIEW, decision_draft=None)
            else:
                update.update(status=CaseStatus.RESPONSE_RECEIVED, follow_up_draft=None)
        case ev.ResponseDrafted():
            update["response_draft"] = ResponseDraft(
                drafted_by=event.actor.username, drafted_on=event.occurred_on, areas=event.areas
            )
            update["approval"] = None
        case ev.ResponseApproved():
            update["approval"] = BoardApproval(body=event.body, decided_on=event.decided_on, paragraph=event.paragraph)
        case ev.ResponseSubmitted():
            update.update(status=CaseStatus.RESPONSE_RECEIVED, submitted_on=event.submitted_on, overdue=False)
        case ev.SupplementRequested():  # a new deadline: its reminders are due afresh
            update.update(
                status=CaseStatus.AWAITING_RESPONSE,
                response_due=event.response_due,
                overdue=False,
                response_draft=None,
                approval=None,
                submitted_on=None,
                reminders_sent=(),
            )
        case ev.DeadlineExtended():
            update.update(response_due=event.response_due, overdue=False, reminders_sent=())
        case ev.ReminderSent():
            key = reminder_key(event.round, event.response_due, event.recipient, event.days_before_due)
            update["reminders_sent"] = (*state.reminders_sent, key)
        case ev.ResponseOverdue():
            update["overdue"] = True
        case ev.FollowUpDrafted():
            update["status"] = CaseStatus.FOLLOW_UP_PENDING_SIGNATURE
            update["follow_up_draft"] = FollowUpDraft(
                drafted_by=event.actor.username,
                drafted_on=event.occurred_on,
                areas=event.areas,
                next_response_due=event.next_response_due,
            )
        case ev.FollowUpSigned():
            draft = state.follow_up_draft
            assert draft is not None, "FollowUpSigned without a draft"
            update["areas"] = _with_areas(
                state,
                {
                    a.code: {
                        "last_outcome": a.outcome,
                        "status": AreaStatus.IN_LINE if a.outcome is Outcome.IN_LINE else AreaStatus.OPEN,
                    }
                    for a in draft.areas
                },
            )
            update.update(follow_up_draft=None, last_signed_on=event.decided_on)
        case ev.RoundStarted():
            update.update(
                status=CaseStatus.AWAITING_RESPONSE,
                round=event.round,
                round_areas=event.areas,
                response_due=event.response_due,
                overdue=False,
                response_draft=None,
                approval=None,
                submitted_on=None,
                reminders_sent=(),
            )
        case ev.CaseClosed():
            update.update(
                status=CaseStatus.CLOSED, closed_reason=event.reason, overdue=False, response_draft=None, approval=None
            )
        case ev.CaseReferred():
            update.update(status=CaseStatus.REFERRED, referral_reference=event.reference, overdue=False)
        case _:
            raise ValueError(f"unknown event type {event.type}")
    return state.model_copy(update=update)


def fold(events: Iterable[ev.Event]) -> CaseState | None:
    """The state after all ``events`` (None when there are none)."""
    state: CaseState | None = None
    for event in events:
        state = evolve(state, event)
    return state
