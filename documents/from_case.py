"""Build a document's input from a case's events at the moment its signing command is decided (pure).

The signing event names the PDF's hash, so the document is made before that event exists:
these functions take the case's events *before* the signing command, the command's own
values (date, who signs, the time it was issued) and the people's full names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from documents.models import (
    DecisionDocument,
    DocumentArea,
    FollowUpDecisionDocument,
    FollowUpDocumentArea,
    Organiser,
    ReferralDocument,
)
from domain import events as ev
from domain.state import AreaState, CaseState, fold
from domain.values import Frozen


class Signing(Frozen):
    """The signing command's values: the date decided, who signs (username) and when it was issued."""

    decided_on: date
    signed_by: str
    issued_at: datetime


def decision_input(
    events: Sequence[ev.Event], signing: Signing, organiser: Organiser, names: Mapping[str, str]
) -> DecisionDocument:
    """The decision ``signing`` signs: the pending decision draft of the case."""
    state = _state(events)
    draft = state.decision_draft
    if draft is None:
        raise ValueError("the case has no decision draft to sign")
    judged = {a.code: a for a in draft.areas}
    return DecisionDocument(
        **_common(state, signing, organiser, names),
        drafter=_name(names, draft.drafted_by),
        areas=tuple(
            _area(a, assessment=judged[a.code].assessment, requirements=judged[a.code].requirements)
            for a in state.areas
            if a.code in judged
        ),
        response_due=draft.response_due,
    )


def follow_up_input(
    events: Sequence[ev.Event], signing: Signing, organiser: Organiser, names: Mapping[str, str]
) -> FollowUpDecisionDocument:
    """The follow-up decision ``signing`` signs: the pending follow-up draft, judging the current round's account."""
    state = _state(events)
    draft = state.follow_up_draft
    if draft is None or state.decided_on is None or state.response_due is None or state.submitted_on is None:
        raise ValueError("the case has no follow-up draft on a received account to sign")
    earlier = [e for e in events if isinstance(e, ev.FollowUpSigned)]
    return FollowUpDecisionDocument(
        **_common(state, signing, organiser, names),
        drafter=_name(names, draft.drafted_by),
        round=max(state.round, 1),
        first_decided_on=state.decided_on,
        previous_follow_up_on=earlier[-1].decided_on if earlier and state.round >= 2 else None,
        response_due=state.response_due,
        received_on=state.submitted_on,
        areas=tuple(
            FollowUpDocumentArea(
                **_area(_known(state, a.code)).model_dump(), outcome=a.outcome, motivation=a.motivation
            )
            for a in draft.areas
        ),
        next_response_due=draft.next_response_due,
    )


def referral_input(
    events: Sequence[ev.Event],
    signing: Signing,
    organiser: Organiser,
    names: Mapping[str, str],
    reason: str,
    reference: str,
) -> ReferralDocument:
    """The referral to supervision: the areas still open, the reason and the supervision case's Dnr."""
    state = _state(events)
    return ReferralDocument(
        **_common(state, signing, organiser, names),
        first_decided_on=state.decided_on,
        response_due=state.response_due,
        areas=tuple(_area(_known(state, code)) for code in state.open_codes),
        reason=reason,
        reference=reference,
    )


def _state(events: Sequence[ev.Event]) -> CaseState:
    state = fold(events)
    if state is None:
        raise ValueError("a document needs the case's events")
    return state


def _common(state: CaseState, signing: Signing, organiser: Organiser, names: Mapping[str, str]) -> dict[str, object]:
    return {
        "dnr": state.dnr,
        "case_title": state.title,
        "organiser": organiser,
        "decided_on": signing.decided_on,
        "issued_at": signing.issued_at,
        "decision_maker": _name(names, signing.signed_by),
        **({"review_type": state.review_type} if state.review_type else {}),
        **({"review_period": state.review_period} if state.review_period else {}),
    }


def _known(state: CaseState, code: str) -> AreaState:
    area = state.area(code)
    if area is None:
        raise ValueError(f"the case has no area {code!r}")
    return area


def _area(area: AreaState, assessment: str | None = None, requirements: tuple[str, ...] | None = None) -> DocumentArea:
    return DocumentArea(
        code=area.code,
        title=area.title,
        legal_basis=area.legal_basis,
        assessment=assessment if assessment is not None else area.assessment or "",
        requirements=requirements if requirements is not None else area.requirements,
    )


def _name(names: Mapping[str, str], username: str) -> str:
    """A person's full name; the username when none is known (a document never goes out nameless)."""
    return names.get(username) or username
