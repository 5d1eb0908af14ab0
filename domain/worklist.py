"""What a person can do now on a case, and how urgent it is: the items of "Att göra nu".

Derived from the rules (``allowed_commands``): an item is offered only when the person may issue
its command now. Which of the offered commands is the case's next step for that person, and
which cases are that person's to act on, is decided here:

- a decision maker: drafts awaiting signature by someone else (``sign-decision``, ``sign-follow-up``);
- an inspector, on the cases they are responsible for (or nobody is): a received account
  (``draft-follow-up``), an overdue account (``extend-deadline``), a case under review
  (``draft-decision``);
- an organiser, on its own cases awaiting the account: draft, approve or submit it, by its due date.

Most urgent first: overdue accounts, then the soonest due date, then what has waited longest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain.actors import User
from domain.decide import allowed_commands
from domain.state import CaseState
from domain.values import CaseStatus, Frozen

NEXT_STEPS: dict[CaseStatus, tuple[str, ...]] = {
    CaseStatus.UNDER_REVIEW: ("draft-decision",),
    CaseStatus.DECISION_PENDING_SIGNATURE: ("sign-decision",),
    CaseStatus.AWAITING_RESPONSE: ("submit-response", "approve-response", "draft-response", "extend-deadline"),
    CaseStatus.RESPONSE_RECEIVED: ("draft-follow-up",),
    CaseStatus.FOLLOW_UP_PENDING_SIGNATURE: ("sign-follow-up",),
}
"""In each state, the commands that move the case on, the furthest step first (an approved account
is to be submitted, not drafted again)."""
OWN_CASE_STEPS = frozenset({"draft-decision", "draft-follow-up", "extend-deadline"})
"""Steps an inspector takes on the cases they are responsible for."""


class WorkItem(Frozen):
    """One thing to do: the case, the command, its due date (if it has one) and since when it has waited."""

    case_id: str
    dnr: str
    action: str
    due: date | None
    since: date | None
    overdue: bool


def next_step(state: CaseState, user: User, offered: Iterable[str] | None = None) -> WorkItem | None:
    """What ``user`` should do next on the case, or None when nothing here is theirs to do now.

    ``offered``: the commands the rules offer ``user`` on the case now, when the caller has them already.
    """
    offered = set(allowed_commands(state, user) if offered is None else offered)
    for action in NEXT_STEPS.get(state.status, ()):
        if action not in offered:
            continue
        if action in OWN_CASE_STEPS and state.responsible not in (None, user.username):
            continue
        if action == "extend-deadline" and not state.overdue:
            continue  # an account not yet due needs nothing from the inspector
        return WorkItem(
            case_id=state.case_id,
            dnr=state.dnr,
            action=action,
            due=state.response_due if state.status is CaseStatus.AWAITING_RESPONSE else None,
            since=_waiting_since(state),
            overdue=state.overdue,
        )
    return None


def _waiting_since(state: CaseState) -> date | None:
    """The day the case came to its present step."""
    draft = state.decision_draft or state.follow_up_draft
    if draft is not None:
        return draft.drafted_on
    if state.status is CaseStatus.RESPONSE_RECEIVED:
        return state.submitted_on
    if state.status is CaseStatus.UNDER_REVIEW:
        return state.opened_on
    return state.last_signed_on


def most_urgent_first(items: Iterable[WorkItem]) -> list[WorkItem]:
    """Overdue first, then by due date, then what has waited longest, then by Dnr."""
    return sorted(items, key=lambda i: (not i.overdue, i.due or date.max, i.since or date.max, i.dnr))
