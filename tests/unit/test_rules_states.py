"""docs/domain.md's "Rules a user will try to break", when a command may come: in a state where it means
nothing, on an area closed in an earlier round, as a malformed request or opening an open case.
Every row goes through ``rules_support.assert_refused_and_unchanged``.
"""

from __future__ import annotations

import pytest

from admin.seeds import LUDVIKA as LUDVIKA_SEED
from domain import ErrorCode
from tests.unit.lifecycle import (
    ACCOUNT_AREAS,
    APPROVAL,
    DECISION_AREAS,
    IN_LINE_AREAS,
    LUDVIKA_ORG,
    MALIN,
    MARTA,
    REFERRAL,
    ROUND_2_ACCOUNT,
    SYSTEM,
    TRELLEBORG_ORG,
    at,
    refuse,
    seed_payload,
)
from tests.unit.rules_support import (
    ACCOUNT_DRAFTED,
    AWAITING,
    DRAFTED,
    INVALID_STATE,
    NEW_DUE,
    RECEIVED,
    ROUND_2,
    ROUND_2_RECEIVED,
    UNDER_REVIEW,
    VALIDATION,
    Refusal,
    assert_refused_and_unchanged,
    attempt,
)

REFUSALS = [
    # -- a command in a state where it means nothing --
    attempt(
        "sign-decision with no draft",
        at=UNDER_REVIEW,
        by=MALIN,
        command="sign-decision",
        payload={"decided_on": "2025-06-26"},
        on="2025-06-26",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "sign-follow-up with no draft",
        at=RECEIVED,
        by=MALIN,
        command="sign-follow-up",
        payload={"decided_on": "2026-03-05"},
        on="2026-03-05",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "reject-draft when nothing awaits a signature",
        at=AWAITING,
        by=MALIN,
        command="reject-draft",
        payload={"reason": "Fel."},
        on="2025-07-01",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "draft-decision when a decision is already drafted",
        at=DRAFTED,
        by=MARTA,
        command="draft-decision",
        payload={"areas": DECISION_AREAS, "response_due": "2026-01-02"},
        on="2025-06-20",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "approve-response with no draft of the account",
        at=AWAITING,
        by=LUDVIKA_ORG,
        command="approve-response",
        payload=APPROVAL,
        on="2025-12-18",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "submit-response before any draft",
        at=AWAITING,
        by=LUDVIKA_ORG,
        command="submit-response",
        payload={"submitted_on": "2025-12-30"},
        on="2025-12-30",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "submit-response before the board approved",
        at=ACCOUNT_DRAFTED,
        by=LUDVIKA_ORG,
        command="submit-response",
        payload={"submitted_on": "2025-12-30"},
        on="2025-12-30",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "submit-response of a draft changed after the board approved",
        at="Ludvika, account redrafted after the board approved",
        by=LUDVIKA_ORG,
        command="submit-response",
        payload={"submitted_on": "2025-12-30"},
        on="2025-12-30",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "draft-response after the account was submitted",
        at=RECEIVED,
        by=LUDVIKA_ORG,
        command="draft-response",
        payload={"areas": ACCOUNT_AREAS},
        on="2026-01-05",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "request-supplement before any account arrived",
        at=AWAITING,
        by=MARTA,
        command="request-supplement",
        payload={"what": "Underlag.", **NEW_DUE},
        on="2025-12-20",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "extend-deadline after the account arrived",
        at=RECEIVED,
        by=MARTA,
        command="extend-deadline",
        payload={**NEW_DUE, "reason": "Begäran."},
        on="2026-01-05",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "draft-follow-up before any account arrived",
        at=AWAITING,
        by=MARTA,
        command="draft-follow-up",
        payload={"areas": IN_LINE_AREAS, "next_response_due": None},
        on="2025-12-20",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "refer-to-supervision while the case is under review",
        at=UNDER_REVIEW,
        by=MALIN,
        command="refer-to-supervision",
        payload={**REFERRAL, "decided_on": "2025-02-01"},
        on="2025-02-01",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "send-reminder while the case is under review",
        at=UNDER_REVIEW,
        by=SYSTEM,
        command="send-reminder",
        payload={"round": 0, "response_due": "2026-01-02", "recipient": "organiser", "days_before_due": 30},
        on="2025-02-01",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "mark-overdue while the case is under review",
        at=UNDER_REVIEW,
        by=SYSTEM,
        command="mark-overdue",
        payload={"round": 0, "response_due": "2025-02-01"},
        on="2025-03-01",
        code=INVALID_STATE,
        field=None,
    ),
    attempt(
        "draft-follow-up in round 2 naming analys, closed in round 1",
        at=ROUND_2_RECEIVED,
        by=MARTA,
        command="draft-follow-up",
        payload={"areas": [IN_LINE_AREAS[0], {**IN_LINE_AREAS[1]}], "next_response_due": None},
        on="2022-09-01",
        code=INVALID_STATE,
        field="areas[0].code",
    ),
    attempt(
        "draft-response in round 2 naming analys, closed in round 1",
        at=ROUND_2,
        by=TRELLEBORG_ORG,
        command="draft-response",
        payload={"areas": [{**ACCOUNT_AREAS[0]}, *ROUND_2_ACCOUNT]},
        on="2022-05-20",
        code=INVALID_STATE,
        field="areas[0].code",
    ),
    # -- the request itself --
    attempt(
        "a command with a blank request_id",
        at=DRAFTED,
        by=MALIN,
        command="sign-decision",
        payload={"decided_on": "2025-06-26", "request_id": "  "},
        on="2025-06-26",
        code=VALIDATION,
        field="request_id",
    ),
    attempt(
        "open-case on a case that is already open",
        at=AWAITING,
        by=MARTA,
        command="open-case",
        payload={**seed_payload(LUDVIKA_SEED, "open-case")},
        on="2025-07-01",
        code=ErrorCode.NOT_FOUND,
        field="command",
    ),
]


@pytest.mark.parametrize("row", REFUSALS)
def test_a_command_out_of_turn_is_refused_and_changes_nothing(row: Refusal) -> None:
    assert_refused_and_unchanged(row)


def test_a_closed_area_is_named_in_the_refusal() -> None:
    payload = {"areas": [IN_LINE_AREAS[0], IN_LINE_AREAS[1]], "next_response_due": None}
    error = refuse(at(ROUND_2_RECEIVED), MARTA, "draft-follow-up", payload, "2022-09-01")
    assert "analys" in error.message and "in_line" in error.message
