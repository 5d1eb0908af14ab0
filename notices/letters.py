"""What a letter says, gathered from a case's events (pure: no I/O).

A :class:`Letter` holds everything a template needs for one notice: the case, the areas
with their assessments, requirements, outcomes and motivations, the relevant dates and
who signed. The templates in ``templates/`` only lay it out.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from domain import events as ev
from domain.state import fold

T = TypeVar("T")

NoticeKind = Literal["decision", "reminder", "overdue", "receipt", "follow_up_decision", "closure", "referral"]


class LetterArea(BaseModel):
    """One assessment area as a letter presents it."""

    model_config = ConfigDict(frozen=True)

    code: str
    title: str
    legal_basis: str
    assessment: str | None = None
    requirements: tuple[str, ...] = ()
    outcome: str | None = None
    motivation: str | None = None


class Letter(BaseModel):
    """The content of one notice."""

    model_config = ConfigDict(frozen=True)

    kind: NoticeKind
    dnr: str
    title: str
    organiser_name: str
    round: int
    areas: tuple[LetterArea, ...]
    decided_on: date | None = None
    first_decided_on: date | None = None
    response_due: date | None = None
    next_response_due: date | None = None
    submitted_on: date | None = None
    days_before_due: int | None = None
    closed: bool = False
    decision_maker: str | None = None
    drafter: str | None = None
    reason: str | None = None
    reference: str | None = None
    review_type: str = "kvalitetsgranskning"
    """The kind of review as the case names it, e.g. "planerad kvalitetsgranskning"."""
    review_period: str | None = None
    """When the review was carried out, e.g. "vårterminen 2025"."""
    round_decided_on: date | None = None
    """From round 2 on: the date of the follow-up decision that started the round (the letter cites it)."""
    sent_on: date | None = None
    """A registered account: the day its sender sent it."""
    sender: str | None = None
    """A registered account: who sent it, as registered."""
    attachments: int = 0
    """How many documents the account consists of (a receipt names the number)."""


def letter_for(
    kind: NoticeKind, events: list[ev.Event], upto_seq: int, organiser_name: str, names: dict[str, str]
) -> Letter:
    """The letter of ``kind`` caused by event number ``upto_seq`` (1-based) of ``events``.

    ``names`` maps usernames to full names for signatures (a missing name shows the username).
    """
    history = events[:upto_seq]
    state = fold(history)
    assert state is not None
    cause = history[-1]
    decision = _last(history, ev.DecisionDrafted)
    follow_up = _last(history, ev.FollowUpDrafted)
    assessments = {a.code: a for a in decision.areas} if decision else {}
    outcomes = {a.code: a for a in follow_up.areas} if follow_up and kind == "follow_up_decision" else {}
    areas = tuple(
        LetterArea(
            code=a.code,
            title=a.title,
            legal_basis=a.legal_basis,
            assessment=assessments[a.code].assessment if a.code in assessments else None,
            requirements=assessments[a.code].requirements if a.code in assessments else (),
            outcome=outcomes[a.code].outcome.value if a.code in outcomes else None,
            motivation=outcomes[a.code].motivation if a.code in outcomes else None,
        )
        for a in state.areas
        if kind in ("decision", "closure", "referral") or a.code in outcomes or a.code in state.round_areas
    )
    signed: ev.DecisionSigned | ev.FollowUpSigned | ev.CaseReferred | None = (
        cause
        if isinstance(cause, ev.CaseReferred)
        else _last(history, ev.FollowUpSigned if kind == "follow_up_decision" else ev.DecisionSigned)
    )
    account = _last(history, ev.ResponseSubmitted | ev.ResponseRegistered)  # type: ignore[arg-type]
    earlier = [e for e in history if isinstance(e, ev.FollowUpSigned) and e is not cause]
    opened = history[0]
    return Letter(
        kind=kind,
        dnr=state.dnr,
        title=state.title,
        organiser_name=organiser_name,
        round=state.round,
        areas=areas,
        decided_on=signed.decided_on if signed else None,
        first_decided_on=state.decided_on,
        response_due=_due(history, kind, state.response_due),
        next_response_due=follow_up.next_response_due if follow_up else None,
        submitted_on=(account.received_on if isinstance(account, ev.ResponseRegistered) else account.submitted_on)
        if account
        else None,
        days_before_due=cause.days_before_due if isinstance(cause, ev.ReminderSent) else None,
        closed=any(isinstance(e, ev.CaseClosed) for e in events[: upto_seq + 1]),
        decision_maker=names.get(signed.actor.username, signed.actor.username) if signed else None,
        drafter=names.get(signed.drafted_by, signed.drafted_by) if signed and hasattr(signed, "drafted_by") else None,
        reason=cause.reason if isinstance(cause, ev.CaseReferred) else None,
        reference=cause.reference if isinstance(cause, ev.CaseReferred) else None,
        review_type=getattr(opened, "review_type", None) or "kvalitetsgranskning",
        review_period=getattr(opened, "review_period", None),
        round_decided_on=earlier[-1].decided_on if earlier and state.round >= 2 else None,
        sent_on=account.sent_on if isinstance(account, ev.ResponseRegistered) else None,
        sender=account.sender if isinstance(account, ev.ResponseRegistered) else None,
        attachments=len(account.attachments) if account else 0,
    )


def _due(history: list[ev.Event], kind: NoticeKind, current: date | None) -> date | None:
    if kind == "decision":  # the round starts just after the signature
        signed = _last(history, ev.DecisionSigned)
        return signed.response_due if signed else current
    if kind == "follow_up_decision":  # the due date of the round the follow-up concerns
        round_started = [e for e in history if isinstance(e, ev.RoundStarted)]
        extended = [e for e in history if isinstance(e, ev.DeadlineExtended | ev.SupplementRequested)]
        relevant = [
            e.response_due
            for e in (*round_started[-1:], *extended)
            if not round_started or e.round == round_started[-1].round
        ]
        return relevant[-1] if relevant else current
    return current


def _last(history: list[ev.Event], kind: type[T]) -> T | None:
    return next((e for e in reversed(history) if isinstance(e, kind)), None)
