"""The rules: ``decide(state, command, user, today) -> events``, or a typed refusal.

The rules of each command are declared by its class (``domain.commands``): who, in which
states, and its own ``decide``; this module applies them the same way to every command.
A refused command raises :class:`~domain.errors.DomainError` and yields no events, so
nothing is recorded. Checks run in the order a person would expect the answer: first
whether this user may do this at all (role, organiser), then whether the case is in a
state where the command means something, then the command's content.
"""

from __future__ import annotations

import uuid
from datetime import date

from domain import commands as cmd
from domain import events as ev
from domain import rules
from domain.actors import ActorRef, Role, User
from domain.errors import DomainError, forbidden, invalid_state, not_found
from domain.state import CaseState
from domain.values import TERMINAL_STATUSES, CaseStatus

_EVENT_NAMESPACE = uuid.UUID("6f1c5f0e-5a43-4c39-9d0b-0c7b1d9e2a11")


def event_id(case_id: str, request_id: str, index: int) -> str:
    """A deterministic event id: a retried command yields the very same ids."""
    return str(uuid.uuid5(_EVENT_NAMESPACE, f"{case_id}\n{request_id}\n{index}"))


def check_may_issue(state: CaseState, name: str, user: User) -> None:
    """Refuse unless ``user`` may issue command ``name`` on the case now (content aside)."""
    cls = cmd.COMMAND_TYPES.get(name)
    if cls is None or cls is cmd.OpenCase:
        # open-case starts a new case; on an existing one it is as unknown as a misspelt command
        raise not_found("command.unknown", "command", name=name)
    role = cls.acting_role(user)
    if role is None:
        raise forbidden("role.missing", command=name, roles=list(cls.roles), user=user.username)
    if role is Role.ORGANISER and user.organiser_id != state.organiser_id:
        raise forbidden("organiser.other", user=user.username, dnr=state.dnr)
    if state.status in TERMINAL_STATUSES:
        raise invalid_state("case.ended", dnr=state.dnr, state=state.status)
    if state.status not in cls.states:
        raise invalid_state("state.wrong", command=name, state=state.status)
    cls.precondition(state, user)


def _may(state: CaseState, cls: type[cmd.CommandBase], user: User) -> bool:
    """Whether ``check_may_issue`` would let ``user`` issue ``cls`` now, without making its refusals (every
    case of a list asks this for every command)."""
    if state.status not in cls.states or state.status in TERMINAL_STATUSES:  # the cheapest test first
        return False
    role = cls.acting_role(user)
    if role is None or role is Role.ORGANISER and user.organiser_id != state.organiser_id:
        return False
    try:
        cls.precondition(state, user)
    except DomainError:
        return False
    return True


_IN_STATE = {
    status: [(n, cmd.COMMAND_TYPES[n]) for n in cmd.PERSON_COMMANDS if status in cmd.COMMAND_TYPES[n].states]
    for status in CaseStatus
}
"""The person commands that mean something in each state (never open-case), in ``PERSON_COMMANDS`` order: a list
asks for every case, so each asks only about the commands of its state."""


def allowed_commands(state: CaseState | None, user: User) -> list[str]:
    """The person commands ``user`` may issue now (docs/api.md's ``allowed_commands``)."""
    if state is None:
        return ["open-case"] if user.has(Role.INSPECTOR) else []
    return [name for name, cls in _IN_STATE[state.status] if _may(state, cls, user)]


def held_back(state: CaseState, user: User) -> dict[str, DomainError]:
    """Why ``user`` may not issue, now, the commands they hold the role for and the state fits:
    a precondition refuses (the drafter never signs, an account is approved only once drafted)."""
    reasons: dict[str, DomainError] = {}
    for name in cmd.PERSON_COMMANDS:
        cls = cmd.COMMAND_TYPES[name]
        if cls is cmd.OpenCase or cls.acting_role(user) is None or state.status not in cls.states:
            continue
        try:
            check_may_issue(state, name, user)
        except DomainError as error:
            reasons[name] = error
    return reasons


def decide_open(
    case_id: str, command: cmd.OpenCase, user: User, today: date, *, dnr_taken: bool = False
) -> list[ev.Event]:
    """Open a new case; ``dnr_taken`` tells whether another case already has this Dnr."""
    if not user.has(Role.INSPECTOR):
        raise forbidden("role.missing", command="open-case", roles=[Role.INSPECTOR], user=user.username)
    rules.request_id(command.request_id)
    facts = command.open(today, dnr_taken=dnr_taken)
    return _events(case_id, command.request_id, user.acting_as(Role.INSPECTOR), facts)


def decide(state: CaseState, command: cmd.CommandBase, user: User, today: date) -> list[ev.Event]:
    """The events ``command`` by ``user`` produces on the case today, or a DomainError."""
    name = command.command  # type: ignore[attr-defined]
    check_may_issue(state, name, user)
    rules.request_id(command.request_id)
    facts = command.decide(state, today)
    role = command.acting_role(user)
    assert role is not None  # check_may_issue refused a user without the role
    return _events(state.case_id, command.request_id, user.acting_as(role), facts)


def _events(case_id: str, request_id: str, actor: ActorRef, facts: list[cmd.Fact]) -> list[ev.Event]:
    """The facts with their envelope: deterministic ids, the case, the business date and the actor."""
    return [
        cls(
            event_id=event_id(case_id, request_id, i),
            case_id=case_id,
            occurred_on=occurred_on,
            actor=actor,
            **data,
        )
        for i, (cls, occurred_on, data) in enumerate(facts)
    ]
