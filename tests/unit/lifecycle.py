"""The seed cases as named points of their lifecycle, the people who act on them, and two helpers.

Every state here is built by replaying a prefix of a seed case (``admin.replay.replay``)
and, where a seed does not go, by issuing further commands through the domain, so a test
reads like the case's history: "Ludvika, account received", "Trelleborg, round 2".
States are frozen, so one cached instance can be shared by every test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from itertools import islice
from typing import Any

import pytest

from admin.replay import replay
from admin.seeds import LUDVIKA, TRELLEBORG, TRELLEBORG_ROUND_2, SeedCase
from domain import SYSTEM_USER, AreaStatus, CaseState, DomainError, Event, Role, User, decide, evolve, parse_command

D = date.fromisoformat

LUDVIKA_ORG_ID = LUDVIKA.organiser_id
TRELLEBORG_ORG_ID = TRELLEBORG.organiser_id

MARTA = LUDVIKA.users["marta.rivelis"]
"""The föredragande of both seeds: role inspector only."""
MALIN = LUDVIKA.users["malin.jern"]
"""The beslutsfattare of both seeds: role decision_maker only."""
LUDVIKA_ORG = LUDVIKA.users["ludvika.forvaltning"]
TRELLEBORG_ORG = TRELLEBORG.users["trelleborg.bildning"]
KIM = User(username="kim.beslut", roles=frozenset({Role.DECISION_MAKER}))
"""A second beslutsfattare."""
MARTA_BOTH = User(username="marta.rivelis", roles=frozenset({Role.INSPECTOR, Role.DECISION_MAKER}))
"""Marta holding both roles: she may draft, and she may sign what someone else drafted."""
AUDITOR = User(username="arkivarie", roles=frozenset({Role.AUDITOR}))
ADMIN = User(username="admin", roles=frozenset({Role.ADMIN}))
SYSTEM = SYSTEM_USER


def seed_payload(seed: SeedCase, command: str, occurrence: int = 1) -> dict[str, Any]:
    """The payload (without request_id) of the seed's ``occurrence``-th step issuing ``command``."""
    step = [s for s in seed.steps if s.command == command][occurrence - 1]
    return {k: v for k, v in step.payload.items() if k != "request_id"}


def replayed(seed: SeedCase, steps: int) -> CaseState:
    """The state of ``seed`` after its first ``steps`` commands."""
    *_, (state, _events) = islice(replay(seed), steps)
    return state


def act(
    state: CaseState, user: User, command: str, payload: dict[str, Any], on: str, request_id: str | None = None
) -> tuple[CaseState, list[Event]]:
    """``user`` issues ``command`` on ``on``; the new state and the events it produced."""
    request_id = request_id or f"{state.case_id}:{command}:{on}:{user.username}"
    parsed = parse_command(command, {"request_id": request_id, **payload})
    events = decide(state, parsed, user, D(on))
    for event in events:
        state = evolve(state, event)
    return state, events


def refuse(state: CaseState, user: User, command: str, payload: dict[str, Any], on: str) -> DomainError:
    """``user`` issues ``command`` and is refused; the case is exactly as it was."""
    before = state.model_dump()
    events: list[Event] | None = None
    with pytest.raises(DomainError) as refused:
        _, events = act(state, user, command, payload, on)
    assert events is None, "a refused command must produce no events"
    assert state.model_dump() == before, "a refused command must leave the case unchanged"
    return refused.value


# -- Ludvika: one round, both areas in line, closed --

DECISION_AREAS: list[dict[str, Any]] = seed_payload(LUDVIKA, "draft-decision")["areas"]
ACCOUNT_AREAS: list[dict[str, Any]] = seed_payload(LUDVIKA, "draft-response")["areas"]
IN_LINE_AREAS: list[dict[str, Any]] = seed_payload(LUDVIKA, "draft-follow-up")["areas"]
APPROVAL = {"body": "Barn- och utbildningsnämnden", "decided_on": "2025-12-17", "paragraph": "§ 87"}
REFERRAL = {"reason": "Ingen redovisning har kommit in.", "decided_on": "2026-01-20", "reference": "2026:123"}
FURTHER_MEASURES = {
    "code": "kompensatoriskt",
    "outcome": "further_measures_required",
    "motivation": "Ytterligare kvalitetshöjande åtgärder behövs.",
}


def area(areas: list[dict[str, Any]], index: int, **changes: Any) -> list[dict[str, Any]]:
    """``areas`` with the one at ``index`` changed."""
    return [{**a, **changes} if i == index else a for i, a in enumerate(areas)]


@cache
def ludvika(steps: int) -> CaseState:
    return replayed(LUDVIKA, steps)


@cache
def ludvika_referred() -> CaseState:
    state, _ = act(ludvika(3), SYSTEM, "mark-overdue", {"round": 1, "response_due": "2026-01-02"}, "2026-01-03")
    state, _ = act(state, MALIN, "refer-to-supervision", REFERRAL, "2026-01-20")
    return state


@cache
def ludvika_decision_drafted_by_marta_both() -> CaseState:
    """Ludvika's decision drafted by Marta while she also holds the decision_maker role."""
    state, _ = act(ludvika(1), MARTA_BOTH, "draft-decision", seed_payload(LUDVIKA, "draft-decision"), "2025-06-19")
    return state


@cache
def ludvika_follow_up_drafted_by_marta_both() -> CaseState:
    state, _ = act(ludvika(6), MARTA_BOTH, "draft-follow-up", seed_payload(LUDVIKA, "draft-follow-up"), "2026-03-02")
    return state


@cache
def ludvika_drafted_due_soon() -> CaseState:
    """Ludvika's decision drafted on 2025-06-19 with the account due already on 2025-07-01."""
    payload = {"areas": DECISION_AREAS, "response_due": "2025-07-01"}
    state, _ = act(ludvika(1), MARTA, "draft-decision", payload, "2025-06-19")
    return state


@cache
def ludvika_redrafted_after_approval() -> CaseState:
    state, _ = act(ludvika(5), LUDVIKA_ORG, "draft-response", {"areas": ACCOUNT_AREAS}, "2025-12-20")
    return state


# -- Trelleborg: area 1 in line at the first follow-up, area 2 into round 2 --

ROUND_2_ACCOUNT: list[dict[str, Any]] = seed_payload(TRELLEBORG_ROUND_2, "draft-response", 2)["areas"]
"""Trelleborg's round-2 account: seed 000's own words (admin/seeds.py)."""


@cache
def trelleborg(steps: int) -> CaseState:
    return replayed(TRELLEBORG, steps)


@cache
def trelleborg_round_2_received() -> CaseState:
    """Trelleborg's round-2 account (seed 000) drafted, approved by Bildningsnämnden and submitted."""
    return replayed(TRELLEBORG_ROUND_2, len(TRELLEBORG_ROUND_2.steps))


STATES: dict[str, Callable[[], CaseState]] = {
    "Ludvika, under review": lambda: ludvika(1),
    "Ludvika, decision drafted": lambda: ludvika(2),
    "Ludvika, awaiting the account": lambda: ludvika(3),
    "Ludvika, account drafted": lambda: ludvika(4),
    "Ludvika, account approved": lambda: ludvika(5),
    "Ludvika, account received": lambda: ludvika(6),
    "Ludvika, follow-up drafted": lambda: ludvika(7),
    "Ludvika, closed": lambda: ludvika(8),
    "Ludvika, referred": ludvika_referred,
    "Ludvika, decision drafted by Marta (also a decision maker)": ludvika_decision_drafted_by_marta_both,
    "Ludvika, follow-up drafted by Marta (also a decision maker)": ludvika_follow_up_drafted_by_marta_both,
    "Ludvika, decision drafted with the account due 2025-07-01": ludvika_drafted_due_soon,
    "Ludvika, account redrafted after the board approved": ludvika_redrafted_after_approval,
    "Trelleborg, follow-up drafted": lambda: trelleborg(7),
    "Trelleborg, round 2": lambda: trelleborg(8),
    "Trelleborg, round 2 account received": trelleborg_round_2_received,
}


def at(name: str) -> CaseState:
    """The named point of a seed case's lifecycle."""
    return STATES[name]()


def statuses(state: CaseState) -> dict[str, AreaStatus]:
    """Each area's status, by code."""
    return {a.code: a.status for a in state.areas}
