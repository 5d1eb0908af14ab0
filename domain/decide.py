"""The rules: ``decide(state, command, user, today) -> events``, or a typed refusal.

A refused command raises :class:`~domain.errors.DomainError` and yields no events, so
nothing is recorded. Checks run in the order a person would expect the answer: first
whether this user may do this at all (role, organiser), then whether the case is in a
state where the command means something, then the command's content.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from domain import commands as cmd
from domain import events as ev
from domain import rules
from domain.actors import Role, User
from domain.errors import DomainError, ErrorCode, conflict, forbidden, invalid, invalid_state
from domain.state import CaseState, reminder_key
from domain.values import TERMINAL_STATUSES, CaseStatus, DraftKind, Outcome

_EVENT_NAMESPACE = uuid.UUID("6f1c5f0e-5a43-4c39-9d0b-0c7b1d9e2a11")

_STATE_NEEDED: dict[str, tuple[CaseStatus, ...]] = {
    "draft-decision": (CaseStatus.UNDER_REVIEW,),
    "sign-decision": (CaseStatus.DECISION_PENDING_SIGNATURE,),
    "reject-draft": (CaseStatus.DECISION_PENDING_SIGNATURE, CaseStatus.FOLLOW_UP_PENDING_SIGNATURE),
    "draft-response": (CaseStatus.AWAITING_RESPONSE,),
    "approve-response": (CaseStatus.AWAITING_RESPONSE,),
    "submit-response": (CaseStatus.AWAITING_RESPONSE,),
    "request-supplement": (CaseStatus.RESPONSE_RECEIVED,),
    "extend-deadline": (CaseStatus.AWAITING_RESPONSE,),
    "draft-follow-up": (CaseStatus.RESPONSE_RECEIVED,),
    "sign-follow-up": (CaseStatus.FOLLOW_UP_PENDING_SIGNATURE,),
    "refer-to-supervision": (CaseStatus.AWAITING_RESPONSE, CaseStatus.RESPONSE_RECEIVED),
    "send-reminder": (CaseStatus.AWAITING_RESPONSE,),
    "mark-overdue": (CaseStatus.AWAITING_RESPONSE,),
}


def event_id(case_id: str, request_id: str, index: int) -> str:
    """A deterministic event id: a retried command yields the very same ids."""
    return str(uuid.uuid5(_EVENT_NAMESPACE, f"{case_id}\n{request_id}\n{index}"))


def check_may_issue(state: CaseState, name: str, user: User) -> None:
    """Refuse unless ``user`` may issue command ``name`` on the case now (content aside)."""
    if name not in _STATE_NEEDED:
        # open-case starts a new case; on an existing one it is as unknown as a misspelt command
        raise DomainError(ErrorCode.NOT_FOUND, f"There is no command {name!r} on an open case.", "command")
    role = cmd.COMMAND_TYPES[name].role
    if not user.has(role):
        raise forbidden(f"{name} needs the role {role.value}; {user.username} does not have it.")
    if role is Role.ORGANISER and user.organiser_id != state.organiser_id:
        raise forbidden(f"{user.username} acts for another organiser and may not act on case {state.dnr}.")
    if state.status in TERMINAL_STATUSES:
        raise invalid_state(f"Case {state.dnr} is {state.status.value}; nothing more can be done on it.")
    if state.status not in _STATE_NEEDED[name]:
        raise invalid_state(f"{name} is not possible while the case is {state.status.value}.")
    if name in ("sign-decision", "sign-follow-up") and state.pending_drafter == user.username:
        raise forbidden(f"{user.username} drafted this text and may not sign it; another decision maker must.")
    if name == "approve-response" and state.response_draft is None:
        raise invalid_state("There is no draft of the account to approve; draft it first.")
    if name == "submit-response" and (state.response_draft is None or state.approval is None):
        missing = "a draft" if state.response_draft is None else "the board's approval"
        raise invalid_state(f"The account cannot be submitted before it has {missing}.")


def allowed_commands(state: CaseState | None, user: User) -> list[str]:
    """The person commands ``user`` may issue now (API.md's ``allowed_commands``)."""
    if state is None:
        return ["open-case"] if user.has(Role.INSPECTOR) else []
    allowed = []
    for name in cmd.PERSON_COMMANDS:
        if name == "open-case":
            continue
        try:
            check_may_issue(state, name, user)
        except DomainError:
            continue
        allowed.append(name)
    return allowed


def decide_open(
    case_id: str, command: cmd.OpenCase, user: User, today: date, *, dnr_taken: bool = False
) -> list[ev.Event]:
    """Open a new case; ``dnr_taken`` tells whether another case already has this Dnr."""
    if not user.has(Role.INSPECTOR):
        raise forbidden(f"Opening a case needs the role inspector; {user.username} does not have it.")
    rules.text("request_id", command.request_id, 200)
    dnr = rules.dnr(command.dnr)
    if dnr_taken:
        raise conflict("dnr", f"A case with Dnr {dnr} already exists.")
    rules.text("organiser_id", command.organiser_id, 64)
    title = rules.text("title", command.title, rules.SHORT_TEXT_MAX)
    rules.not_in_future("opened_on", command.opened_on, today)
    if not command.areas:
        raise invalid("areas", "A case needs at least one assessment area.")
    seen: set[str] = set()
    for i, area in enumerate(command.areas):
        rules.area_code(f"areas[{i}].code", area.code)
        if area.code in seen:
            raise invalid(f"areas[{i}].code", f"Area code {area.code!r} is used twice.")
        seen.add(area.code)
        rules.text(f"areas[{i}].title", area.title, rules.SHORT_TEXT_MAX)
        rules.text(f"areas[{i}].legal_basis", area.legal_basis, rules.SHORT_TEXT_MAX)
    return [
        ev.CaseOpened(
            event_id=event_id(case_id, command.request_id, 0),
            case_id=case_id,
            occurred_on=command.opened_on,
            actor=user.acting_as(Role.INSPECTOR),
            dnr=dnr,
            organiser_id=command.organiser_id.strip(),
            title=title,
            opened_on=command.opened_on,
            areas=command.areas,
        )
    ]


def decide(state: CaseState, command: cmd.CommandBase, user: User, today: date) -> list[ev.Event]:
    """The events ``command`` by ``user`` produces on the case today, or a DomainError."""
    name = command.command  # type: ignore[attr-defined]
    check_may_issue(state, name, user)
    rules.text("request_id", command.request_id, 200)
    facts = _HANDLERS[name](state, command, today)
    actor = user.acting_as(command.role)
    return [
        cls(
            event_id=event_id(state.case_id, command.request_id, i),
            case_id=state.case_id,
            occurred_on=occurred_on,
            actor=actor,
            **data,
        )
        for i, (cls, occurred_on, data) in enumerate(facts)
    ]


Fact = tuple[type[ev.EventBase], date, dict[str, Any]]


def _draft_decision(state: CaseState, c: cmd.DraftDecision, today: date) -> list[Fact]:
    statuses = {a.code: a.status for a in state.areas}
    rules.cover_areas([a.code for a in c.areas], statuses, [a.code for a in state.areas], open_only=False)
    for i, area in enumerate(c.areas):
        rules.text(f"areas[{i}].assessment", area.assessment)
        for j, requirement in enumerate(area.requirements):
            rules.text(f"areas[{i}].requirements[{j}]", requirement)
    if any(a.requirements for a in c.areas):
        if c.response_due is None:
            raise invalid("response_due", "A due date for the account is needed when an area has requirements.")
        # Only against the case's own dates: a decision may be registered after the fact (its business
        # date is the signing date, checked at signing); a due date already passed makes the round overdue.
        rules.due_after("response_due", c.response_due, state.opened_on, "the date the case was opened")
    elif c.response_due is not None:
        raise invalid("response_due", "Leave response_due empty: no area has a development requirement.")
    return [(ev.DecisionDrafted, today, {"areas": c.areas, "response_due": c.response_due})]


def _sign_decision(state: CaseState, c: cmd.SignDecision, today: date) -> list[Fact]:
    draft = state.decision_draft
    assert draft is not None
    rules.not_in_future("decided_on", c.decided_on, today)
    rules.not_before("decided_on", c.decided_on, state.opened_on, "the date the case was opened")
    signed = {"decided_on": c.decided_on, "drafted_by": draft.drafted_by, "response_due": draft.response_due}
    open_codes = tuple(a.code for a in draft.areas if a.requirements)
    if not open_codes:
        return [(ev.DecisionSigned, c.decided_on, signed), (ev.CaseClosed, c.decided_on, {"reason": "no_requirements"})]
    assert draft.response_due is not None
    rules.draft_due_after_signing(draft.response_due, c.decided_on, "due date for the account")
    return [
        (ev.DecisionSigned, c.decided_on, signed),
        (ev.RoundStarted, c.decided_on, {"round": 1, "areas": open_codes, "response_due": draft.response_due}),
    ]


def _reject_draft(state: CaseState, c: cmd.RejectDraft, today: date) -> list[Fact]:
    reason = rules.text("reason", c.reason)
    kind = DraftKind.DECISION if state.decision_draft else DraftKind.FOLLOW_UP
    return [(ev.DraftRejected, today, {"draft": kind, "drafted_by": state.pending_drafter, "reason": reason})]


def _draft_response(state: CaseState, c: cmd.DraftResponse, today: date) -> list[Fact]:
    statuses = {a.code: a.status for a in state.areas}
    rules.cover_areas([a.code for a in c.areas], statuses, state.open_codes, open_only=True)
    for i, area in enumerate(c.areas):
        rules.text(f"areas[{i}].measures", area.measures)
        rules.text(f"areas[{i}].evaluation", area.evaluation)
    return [(ev.ResponseDrafted, today, {"round": state.round, "areas": c.areas})]


def _approve_response(state: CaseState, c: cmd.ApproveResponse, today: date) -> list[Fact]:
    body = rules.text("body", c.body, rules.SHORT_TEXT_MAX)
    paragraph = rules.text("paragraph", c.paragraph, 64)
    rules.not_in_future("decided_on", c.decided_on, today)
    assert state.last_signed_on is not None
    rules.not_before("decided_on", c.decided_on, state.last_signed_on, "the inspectorate's decision")
    data = {"round": state.round, "body": body, "decided_on": c.decided_on, "paragraph": paragraph}
    return [(ev.ResponseApproved, c.decided_on, data)]


def _submit_response(state: CaseState, c: cmd.SubmitResponse, today: date) -> list[Fact]:
    assert state.approval is not None
    rules.not_in_future("submitted_on", c.submitted_on, today)
    rules.not_before("submitted_on", c.submitted_on, state.approval.decided_on, "the board's approval")
    return [(ev.ResponseSubmitted, c.submitted_on, {"round": state.round, "submitted_on": c.submitted_on})]


def _request_supplement(state: CaseState, c: cmd.RequestSupplement, today: date) -> list[Fact]:
    what = rules.text("what", c.what)
    rules.due_after("response_due", c.response_due, today, "today")
    return [(ev.SupplementRequested, today, {"round": state.round, "what": what, "response_due": c.response_due})]


def _extend_deadline(state: CaseState, c: cmd.ExtendDeadline, today: date) -> list[Fact]:
    reason = rules.text("reason", c.reason)
    assert state.response_due is not None
    rules.due_after("response_due", c.response_due, state.response_due, "the current due date")
    rules.due_after("response_due", c.response_due, today, "today")
    data = {"round": state.round, "previous_due": state.response_due, "response_due": c.response_due, "reason": reason}
    return [(ev.DeadlineExtended, today, data)]


def _draft_follow_up(state: CaseState, c: cmd.DraftFollowUp, today: date) -> list[Fact]:
    statuses = {a.code: a.status for a in state.areas}
    rules.cover_areas([a.code for a in c.areas], statuses, state.open_codes, open_only=True)
    for i, area in enumerate(c.areas):
        rules.text(f"areas[{i}].motivation", area.motivation)
    if any(a.outcome is Outcome.FURTHER_MEASURES_REQUIRED for a in c.areas):
        if c.next_response_due is None:
            raise invalid("next_response_due", "A new due date is needed when an area requires further measures.")
        assert state.submitted_on is not None
        rules.due_after(
            "next_response_due", c.next_response_due, state.submitted_on, "the day the account was submitted"
        )
    elif c.next_response_due is not None:
        raise invalid("next_response_due", "Leave next_response_due empty: every area is in line.")
    data = {"round": state.round, "areas": c.areas, "next_response_due": c.next_response_due}
    return [(ev.FollowUpDrafted, today, data)]


def _sign_follow_up(state: CaseState, c: cmd.SignFollowUp, today: date) -> list[Fact]:
    draft = state.follow_up_draft
    assert draft is not None and state.submitted_on is not None
    rules.not_in_future("decided_on", c.decided_on, today)
    rules.not_before("decided_on", c.decided_on, state.submitted_on, "the day the account was submitted")
    signed = {"round": state.round, "decided_on": c.decided_on, "drafted_by": draft.drafted_by}
    further = tuple(a.code for a in draft.areas if a.outcome is Outcome.FURTHER_MEASURES_REQUIRED)
    if not further:
        return [(ev.FollowUpSigned, c.decided_on, signed), (ev.CaseClosed, c.decided_on, {"reason": "all_in_line"})]
    assert draft.next_response_due is not None
    rules.draft_due_after_signing(draft.next_response_due, c.decided_on, "due date for the next account")
    return [
        (ev.FollowUpSigned, c.decided_on, signed),
        (
            ev.RoundStarted,
            c.decided_on,
            {"round": state.round + 1, "areas": further, "response_due": draft.next_response_due},
        ),
    ]


def _refer(state: CaseState, c: cmd.ReferToSupervision, today: date) -> list[Fact]:
    reason = rules.text("reason", c.reason)
    reference = rules.dnr(c.reference, "reference")
    rules.not_in_future("decided_on", c.decided_on, today)
    assert state.last_signed_on is not None
    rules.not_before("decided_on", c.decided_on, state.last_signed_on, "the last signed decision")
    return [(ev.CaseReferred, c.decided_on, {"reason": reason, "decided_on": c.decided_on, "reference": reference})]


def _send_reminder(state: CaseState, c: cmd.SendReminder, today: date) -> list[Fact]:
    _current_round(state, c.round, c.response_due)
    if reminder_key(c.round, c.response_due, c.recipient, c.days_before_due) in state.reminders_sent:
        raise invalid_state("This reminder has already been sent.")
    data = {
        "round": c.round,
        "response_due": c.response_due,
        "recipient": c.recipient,
        "days_before_due": c.days_before_due,
    }
    return [(ev.ReminderSent, today, data)]


def _mark_overdue(state: CaseState, c: cmd.MarkOverdue, today: date) -> list[Fact]:
    _current_round(state, c.round, c.response_due)
    if state.overdue:
        raise invalid_state("The account is already marked overdue.")
    if today <= c.response_due:
        raise invalid_state(f"The account is not overdue before {c.response_due.isoformat()} has passed.")
    return [(ev.ResponseOverdue, today, {"round": c.round, "response_due": c.response_due})]


def _current_round(state: CaseState, round: int, response_due: date) -> None:
    if (round, response_due) != (state.round, state.response_due):
        raise invalid_state(f"Round {round} due {response_due.isoformat()} is no longer the case's current deadline.")


_HANDLERS: dict[str, Callable[[CaseState, Any, date], list[Fact]]] = {
    "draft-decision": _draft_decision,
    "sign-decision": _sign_decision,
    "reject-draft": _reject_draft,
    "draft-response": _draft_response,
    "approve-response": _approve_response,
    "submit-response": _submit_response,
    "request-supplement": _request_supplement,
    "extend-deadline": _extend_deadline,
    "draft-follow-up": _draft_follow_up,
    "sign-follow-up": _sign_follow_up,
    "refer-to-supervision": _refer,
    "send-reminder": _send_reminder,
    "mark-overdue": _mark_overdue,
}
