"""Refusals by role, on ended cases, of bad open-case input and of malformed commands."""

from __future__ import annotations

from typing import Any

import pytest

from admin.seeds import LUDVIKA as LUDVIKA_SEED
from domain import COMMAND_TYPES, DomainError, ErrorCode, OpenCase, Role, User, allowed_commands, decide_open
from domain import parse_command as parse
from domain.actors import USER_ROLES
from tests.unit.lifecycle import (
    ACCOUNT_AREAS,
    APPROVAL,
    DECISION_AREAS,
    FURTHER_MEASURES,
    IN_LINE_AREAS,
    LUDVIKA_ORG,
    LUDVIKA_ORG_ID,
    MALIN,
    MARTA,
    REFERRAL,
    SYSTEM,
    D,
    act,
    at,
    refuse,
    seed_payload,
)

FORBIDDEN = ErrorCode.FORBIDDEN
INVALID_STATE = ErrorCode.INVALID_STATE
VALIDATION = ErrorCode.VALIDATION_ERROR

UNDER_REVIEW = "Ludvika, under review"
DRAFTED = "Ludvika, decision drafted"
AWAITING = "Ludvika, awaiting the account"
ACCOUNT_DRAFTED = "Ludvika, account drafted"
APPROVED = "Ludvika, account approved"
RECEIVED = "Ludvika, account received"
FOLLOW_UP_DRAFTED = "Ludvika, follow-up drafted"
ROUND_2 = "Trelleborg, round 2"
ROUND_2_RECEIVED = "Trelleborg, round 2 account received"

NEW_DUE = {"response_due": "2026-02-15"}
MIXED_OUTCOMES = [IN_LINE_AREAS[0], FURTHER_MEASURES]


# -- every command by a user who holds every role but the one it needs --

GOOD: dict[str, tuple[str, User, dict[str, Any], str]] = {
    "draft-decision": (UNDER_REVIEW, MARTA, {"areas": DECISION_AREAS, "response_due": "2026-01-02"}, "2025-06-19"),
    "sign-decision": (DRAFTED, MALIN, {"decided_on": "2025-06-26"}, "2025-06-26"),
    "reject-draft": (DRAFTED, MALIN, {"reason": "Bedömningen behöver skrivas om."}, "2025-06-26"),
    "draft-response": (AWAITING, LUDVIKA_ORG, {"areas": ACCOUNT_AREAS}, "2025-12-15"),
    "approve-response": (ACCOUNT_DRAFTED, LUDVIKA_ORG, APPROVAL, "2025-12-18"),
    "submit-response": (APPROVED, LUDVIKA_ORG, {"submitted_on": "2025-12-30"}, "2025-12-30"),
    "request-supplement": (RECEIVED, MARTA, {"what": "Underlag om elevhälsan.", **NEW_DUE}, "2026-01-15"),
    "extend-deadline": (AWAITING, MARTA, {**NEW_DUE, "reason": "Begäran från huvudmannen."}, "2025-12-20"),
    "draft-follow-up": (RECEIVED, MARTA, {"areas": IN_LINE_AREAS, "next_response_due": None}, "2026-03-02"),
    "sign-follow-up": (FOLLOW_UP_DRAFTED, MALIN, {"decided_on": "2026-03-05"}, "2026-03-05"),
    "refer-to-supervision": (AWAITING, MALIN, REFERRAL, "2026-01-20"),
    "send-reminder": (
        AWAITING,
        SYSTEM,
        {"round": 1, "response_due": "2026-01-02", "recipient": "organiser", "days_before_due": 30},
        "2025-12-03",
    ),
    "mark-overdue": (AWAITING, SYSTEM, {"round": 1, "response_due": "2026-01-02"}, "2026-01-03"),
}
"""For each case command: where, by whom, with what and on which day it is accepted."""


def test_every_case_command_has_an_accepted_example() -> None:
    assert set(GOOD) == set(COMMAND_TYPES) - {"open-case"}


@pytest.mark.parametrize("command", sorted(GOOD))
def test_a_user_without_the_commands_role_is_refused(command: str) -> None:
    where, right_user, payload, on = GOOD[command]
    needed = COMMAND_TYPES[command].role
    others = User(username="nearly", roles=frozenset(USER_ROLES) - {needed}, organiser_id=LUDVIKA_ORG_ID)
    error = refuse(at(where), others, command, payload, on)
    assert (error.code, error.field) == (FORBIDDEN, None)
    assert needed.value in error.message
    # the same command by the right person is accepted: it was the role, nothing else
    _, events = act(at(where), right_user, command, payload, on)
    assert events


def test_opening_a_case_needs_the_inspector_role() -> None:
    command = OpenCase.model_validate({"request_id": "r", **seed_payload(LUDVIKA_SEED, "open-case")})
    not_inspector = User(username="nearly", roles=frozenset(USER_ROLES) - {Role.INSPECTOR})
    with pytest.raises(DomainError) as refused:
        decide_open("c", command, not_inspector, D("2025-01-20"))
    assert (refused.value.code, refused.value.field) == (FORBIDDEN, None)


@pytest.mark.parametrize("where", ["Ludvika, closed", "Ludvika, referred"])
@pytest.mark.parametrize("command", sorted(GOOD))
def test_nothing_can_be_done_on_a_closed_or_referred_case(where: str, command: str) -> None:
    _, right_user, payload, _ = GOOD[command]
    error = refuse(at(where), right_user, command, payload, "2026-06-01")
    assert (error.code, error.field) == (INVALID_STATE, None)
    assert at(where).status.value in error.message


@pytest.mark.parametrize("where", ["Ludvika, closed", "Ludvika, referred"])
def test_a_closed_or_referred_case_offers_nobody_anything(where: str) -> None:
    everyone = User(username="all", roles=frozenset(USER_ROLES), organiser_id=LUDVIKA_ORG_ID)
    assert allowed_commands(at(where), everyone) == []
    # while the case was still open, the same user had something to do
    assert allowed_commands(at(AWAITING), everyone)


# -- open-case: the Dnr, the areas, the title --

LUDVIKA_OPEN = seed_payload(LUDVIKA_SEED, "open-case")
ANALYS, KOMP = LUDVIKA_OPEN["areas"]


def opening(what: str, code: ErrorCode, field: str, dnr_taken: bool = False, **changes: Any) -> Any:
    return pytest.param({**LUDVIKA_OPEN, **changes}, dnr_taken, code, field, id=what)


OPEN_REFUSALS = [
    opening("an empty Dnr", VALIDATION, "dnr", dnr=""),
    opening("a whitespace-only Dnr", VALIDATION, "dnr", dnr="   "),
    opening("a Dnr with a tab inside", VALIDATION, "dnr", dnr="2025:\t1234"),
    opening("a Dnr with a line break inside", VALIDATION, "dnr", dnr="2025:1234\nBUN 2010/54:60"),
    opening("a Dnr with a control character", VALIDATION, "dnr", dnr="2025:1234\x00"),
    opening("a Dnr of 65 characters", VALIDATION, "dnr", dnr="2025:" + "1" * 60),
    opening("the same Dnr opened twice", ErrorCode.CONFLICT, "dnr", dnr_taken=True),
    opening("an empty title", VALIDATION, "title", title=""),
    opening("an area with a blank title", VALIDATION, "areas[0].title", areas=[{**ANALYS, "title": " "}, KOMP]),
    opening(
        "an area with no legal basis", VALIDATION, "areas[1].legal_basis", areas=[ANALYS, {**KOMP, "legal_basis": ""}]
    ),
    opening("no areas", VALIDATION, "areas", areas=[]),
    opening("the same area code twice", VALIDATION, "areas[1].code", areas=[ANALYS, {**KOMP, "code": "analys"}]),
    opening("opened tomorrow", VALIDATION, "opened_on", opened_on="2025-01-21"),
    *[
        opening(f"a malformed area code {code!r}", VALIDATION, "areas[0].code", areas=[{**ANALYS, "code": code}, KOMP])
        for code in ["", "Analys", "analys av resultat", "-analys", "a" * 41, "område", "analys\n"]
    ],
]


@pytest.mark.parametrize(("payload", "dnr_taken", "code", "field"), OPEN_REFUSALS)
def test_opening_a_case_with_bad_input_is_refused(
    payload: dict[str, Any], dnr_taken: bool, code: ErrorCode, field: str
) -> None:
    command = OpenCase.model_validate({"request_id": "open-1", **payload})
    with pytest.raises(DomainError) as refused:
        decide_open("case-1", command, MARTA, D("2025-01-20"), dnr_taken=dnr_taken)
    assert (refused.value.code, refused.value.field) == (code, field), refused.value.message


@pytest.mark.parametrize("dnr", ["2020:7120", "43-2015:2430", "BUN 2010/54:60", "2025:" + "1" * 59])
def test_dnr_formats_of_other_authorities_are_kept_as_given(dnr: str) -> None:
    command = OpenCase.model_validate({"request_id": "open-1", **LUDVIKA_OPEN, "dnr": dnr})
    [opened] = decide_open("case-1", command, MARTA, D("2025-01-20"))
    assert opened.dnr == dnr


# -- parse_command: the JSON a client sends --

PARSE_REFUSALS = [
    pytest.param("close-case", {"request_id": "r"}, ErrorCode.NOT_FOUND, "command", id="an unknown command"),
    pytest.param(
        "sign-decision",
        {"request_id": "r", "decided_on": "26 juni 2025"},
        VALIDATION,
        "decided_on",
        id="a date written in words",
    ),
    pytest.param("sign-decision", {"decided_on": "2025-06-26"}, VALIDATION, "request_id", id="no request_id"),
    pytest.param(
        "sign-decision",
        {"request_id": "r", "decided_on": "2025-06-26", "signed_by": "malin.jern"},
        VALIDATION,
        "signed_by",
        id="a field the command does not have",
    ),
    pytest.param(
        "draft-decision",
        {"request_id": "r", "response_due": "2026-01-02", "areas": [{"assessment": "…", "requirements": []}]},
        VALIDATION,
        "areas[0].code",
        id="an area without its code",
    ),
    pytest.param(
        "draft-follow-up",
        {
            "request_id": "r",
            "next_response_due": None,
            "areas": [IN_LINE_AREAS[0], {**IN_LINE_AREAS[1], "outcome": "godkänd"}],
        },
        VALIDATION,
        "areas[1].outcome",
        id="an outcome that does not exist",
    ),
    pytest.param(
        "extend-deadline",
        {"request_id": "r", "response_due": "2026-02-15"},
        VALIDATION,
        "reason",
        id="a missing reason",
    ),
    pytest.param(
        "send-reminder",
        {
            "request_id": "r",
            "round": "första",
            "response_due": "2026-01-02",
            "recipient": "organiser",
            "days_before_due": 30,
        },
        VALIDATION,
        "round",
        id="a round that is not a number",
    ),
]


@pytest.mark.parametrize(("name", "payload", "code", "field"), PARSE_REFUSALS)
def test_a_malformed_command_is_refused_naming_the_field(
    name: str, payload: dict[str, Any], code: ErrorCode, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        parse(name, payload)
    assert (refused.value.code, refused.value.field) == (code, field), refused.value.message
    assert field in refused.value.message
