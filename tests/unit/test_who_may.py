"""Who may do what, command by command: an accepted example of every case command, refused to
everyone without its role and on ended cases; and what each person is offered at named points
of a case's life. A new command gets its example here (and a row where it is offered).
"""

from __future__ import annotations

from typing import Any

import pytest

from admin.seeds import LUDVIKA as LUDVIKA_SEED
from domain import COMMAND_TYPES, DomainError, ErrorCode, OpenCase, Role, User, allowed_commands, decide_open
from domain.actors import USER_ROLES
from tests.unit.lifecycle import (
    ACCOUNT_AREAS,
    ADMIN,
    APPROVAL,
    AUDITOR,
    DECISION_AREAS,
    IN_LINE_AREAS,
    KIM,
    LUDVIKA_ORG,
    LUDVIKA_ORG_ID,
    MALIN,
    MARTA,
    MARTA_BOTH,
    REFERRAL,
    SYSTEM,
    TRELLEBORG_ORG,
    D,
    act,
    at,
    refuse,
    seed_payload,
)

FORBIDDEN = ErrorCode.FORBIDDEN
INVALID_STATE = ErrorCode.INVALID_STATE

UNDER_REVIEW = "Ludvika, under review"
DRAFTED = "Ludvika, decision drafted"
AWAITING = "Ludvika, awaiting the account"
ACCOUNT_DRAFTED = "Ludvika, account drafted"
APPROVED = "Ludvika, account approved"
RECEIVED = "Ludvika, account received"
FOLLOW_UP_DRAFTED = "Ludvika, follow-up drafted"

NEW_DUE = {"response_due": "2026-02-15"}
REGISTRAR = User(username="rut.registrator", roles=frozenset({Role.REGISTRAR}))
A_PDF = "a" * 64
REGISTERED = {"sent_on": "2025-12-29", "received_on": "2025-12-30", "sender": "Ludvika kommun", "attachments": [A_PDF]}


# -- every command by a user who holds every role but the one it needs --

GOOD: dict[str, tuple[str, User, dict[str, Any], str]] = {
    "draft-decision": (UNDER_REVIEW, MARTA, {"areas": DECISION_AREAS, "response_due": "2026-01-02"}, "2025-06-19"),
    "sign-decision": (DRAFTED, MALIN, {"decided_on": "2025-06-26"}, "2025-06-26"),
    "reject-draft": (DRAFTED, MALIN, {"reason": "Bedömningen behöver skrivas om."}, "2025-06-26"),
    "draft-response": (AWAITING, LUDVIKA_ORG, {"areas": ACCOUNT_AREAS}, "2025-12-15"),
    "approve-response": (ACCOUNT_DRAFTED, LUDVIKA_ORG, APPROVAL, "2025-12-18"),
    "submit-response": (APPROVED, LUDVIKA_ORG, {"submitted_on": "2025-12-30"}, "2025-12-30"),
    "register-response": (AWAITING, REGISTRAR, REGISTERED, "2025-12-30"),
    "request-supplement": (RECEIVED, MARTA, {"what": "Underlag om elevhälsan.", **NEW_DUE}, "2026-01-15"),
    "extend-deadline": (AWAITING, MARTA, {**NEW_DUE, "reason": "Begäran från huvudmannen."}, "2025-12-20"),
    "draft-follow-up": (RECEIVED, MARTA, {"areas": IN_LINE_AREAS, "next_response_due": None}, "2026-03-02"),
    "sign-follow-up": (FOLLOW_UP_DRAFTED, MALIN, {"decided_on": "2026-03-05"}, "2026-03-05"),
    "refer-to-supervision": (AWAITING, MALIN, REFERRAL, "2026-01-20"),
    "assign": (AWAITING, MALIN, {"to": "anna.handlaggare", "to_roles": ["inspector"]}, "2025-12-20"),
    "designate-signer": (AWAITING, MARTA, {"signer": "kim.beslut", "signer_roles": ["decision_maker"]}, "2025-12-20"),
    "mark-secrecy": (AWAITING, REGISTRAR, {"entry": 2, "lagrum": "21 kap. 1 § OSL", "entries": [1, 2]}, "2025-12-20"),
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
    needed = COMMAND_TYPES[command].roles
    others = User(username="nearly", roles=frozenset(USER_ROLES) - set(needed), organiser_id=LUDVIKA_ORG_ID)
    error = refuse(at(where), others, command, payload, on)
    assert (error.code, error.field) == (FORBIDDEN, None)
    assert all(role.value in error.message for role in needed)
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


# -- what each person may do at a few points of the lifecycle --

ALLOWED = [
    ("Ludvika, under review", MARTA, {"draft-decision", "assign", "designate-signer"}),
    ("Ludvika, under review", MALIN, {"assign", "designate-signer"}),
    ("Ludvika, decision drafted", MALIN, {"sign-decision", "reject-draft", "assign", "designate-signer"}),
    ("Ludvika, decision drafted", MARTA, {"assign", "designate-signer"}),
    (
        "Ludvika, decision drafted by Marta (also a decision maker)",
        MARTA_BOTH,
        {"reject-draft", "assign", "designate-signer"},
    ),
    (
        "Ludvika, decision drafted by Marta (also a decision maker)",
        KIM,
        {"sign-decision", "reject-draft", "assign", "designate-signer"},
    ),
    ("Ludvika, awaiting the account", LUDVIKA_ORG, {"draft-response"}),
    ("Ludvika, awaiting the account", TRELLEBORG_ORG, set()),
    ("Ludvika, awaiting the account", MARTA, {"extend-deadline", "assign", "designate-signer", "register-response"}),
    ("Ludvika, awaiting the account", REGISTRAR, {"register-response", "mark-secrecy"}),
    ("Ludvika, account received", REGISTRAR, {"mark-secrecy"}),
    ("Ludvika, awaiting the account", MALIN, {"refer-to-supervision", "assign", "designate-signer"}),
    ("Ludvika, account drafted", LUDVIKA_ORG, {"draft-response", "approve-response"}),
    ("Ludvika, account approved", LUDVIKA_ORG, {"draft-response", "approve-response", "submit-response"}),
    ("Ludvika, account redrafted after the board approved", LUDVIKA_ORG, {"draft-response", "approve-response"}),
    ("Ludvika, account received", MARTA, {"request-supplement", "draft-follow-up", "assign", "designate-signer"}),
    ("Ludvika, account received", LUDVIKA_ORG, set()),
    ("Ludvika, account received", MALIN, {"refer-to-supervision", "assign", "designate-signer"}),
    ("Ludvika, follow-up drafted", MALIN, {"sign-follow-up", "reject-draft", "assign", "designate-signer"}),
    (
        "Ludvika, follow-up drafted by Marta (also a decision maker)",
        MARTA_BOTH,
        {"reject-draft", "assign", "designate-signer"},
    ),
    ("Ludvika, closed", MALIN, set()),
    ("Ludvika, closed", LUDVIKA_ORG, set()),
    ("Trelleborg, round 2", TRELLEBORG_ORG, {"draft-response"}),
    ("Trelleborg, round 2", LUDVIKA_ORG, set()),
]


@pytest.mark.parametrize(
    ("where", "user", "expected"),
    [pytest.param(w, u, e, id=f"{w}: {u.username} ({'+'.join(sorted(u.roles))})") for w, u, e in ALLOWED],
)
def test_allowed_commands_lists_what_the_user_may_do_now(where: str, user: User, expected: set[str]) -> None:
    assert set(allowed_commands(at(where), user)) == expected


@pytest.mark.parametrize("where", ["Ludvika, awaiting the account", "Ludvika, follow-up drafted"])
def test_auditors_and_admins_are_offered_no_commands(where: str) -> None:
    assert allowed_commands(at(where), AUDITOR) == []
    assert allowed_commands(at(where), ADMIN) == []


def test_before_a_case_exists_only_an_inspector_may_open_one() -> None:
    assert allowed_commands(None, MARTA) == ["open-case"]
    assert allowed_commands(None, MALIN) == []
