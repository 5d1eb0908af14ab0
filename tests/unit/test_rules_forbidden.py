"""docs/domain.md's "Rules a user will try to break", who may act: the drafter signing their own draft, an
organiser acting on another organiser's case. Every row goes through ``rules_support.assert_refused_and_unchanged``.
"""

from __future__ import annotations

import pytest

from domain import Role, User
from tests.unit.lifecycle import (
    ACCOUNT_AREAS,
    APPROVAL,
    MARTA_BOTH,
    TRELLEBORG_ORG,
    at,
    refuse,
)
from tests.unit.rules_support import (
    ACCOUNT_DRAFTED,
    APPROVED,
    AWAITING,
    FORBIDDEN,
    Refusal,
    assert_refused_and_unchanged,
    attempt,
)

REFUSALS = [
    # -- the drafter signing, an organiser on another organiser's case --
    attempt(
        "sign-decision by the person who drafted it",
        at="Ludvika, decision drafted by Marta (also a decision maker)",
        by=MARTA_BOTH,
        command="sign-decision",
        payload={"decided_on": "2025-06-26"},
        on="2025-06-26",
        code=FORBIDDEN,
        field=None,
    ),
    attempt(
        "sign-follow-up by the person who drafted it",
        at="Ludvika, follow-up drafted by Marta (also a decision maker)",
        by=MARTA_BOTH,
        command="sign-follow-up",
        payload={"decided_on": "2026-03-05"},
        on="2026-03-05",
        code=FORBIDDEN,
        field=None,
    ),
    attempt(
        "draft-response by Trelleborg's administration on Ludvika's case",
        at=AWAITING,
        by=TRELLEBORG_ORG,
        command="draft-response",
        payload={"areas": ACCOUNT_AREAS},
        on="2025-12-15",
        code=FORBIDDEN,
        field=None,
    ),
    attempt(
        "approve-response by Trelleborg's administration on Ludvika's case",
        at=ACCOUNT_DRAFTED,
        by=TRELLEBORG_ORG,
        command="approve-response",
        payload=APPROVAL,
        on="2025-12-18",
        code=FORBIDDEN,
        field=None,
    ),
    attempt(
        "submit-response by Trelleborg's administration on Ludvika's case",
        at=APPROVED,
        by=TRELLEBORG_ORG,
        command="submit-response",
        payload={"submitted_on": "2025-12-30"},
        on="2025-12-30",
        code=FORBIDDEN,
        field=None,
    ),
    attempt(
        "draft-response by an organiser user that belongs to no organiser",
        at=AWAITING,
        by=User(username="vilse", roles=frozenset({Role.ORGANISER})),
        command="draft-response",
        payload={"areas": ACCOUNT_AREAS},
        on="2025-12-15",
        code=FORBIDDEN,
        field=None,
    ),
]


@pytest.mark.parametrize("row", REFUSALS)
def test_a_command_by_someone_who_may_not_is_refused_and_changes_nothing(row: Refusal) -> None:
    assert_refused_and_unchanged(row)


def test_the_drafter_is_told_why_they_may_not_sign() -> None:
    error = refuse(
        at("Ludvika, decision drafted by Marta (also a decision maker)"),
        MARTA_BOTH,
        "sign-decision",
        {"decided_on": "2025-06-26"},
        "2025-06-26",
    )
    assert "drafted" in error.message and "marta.rivelis" in error.message
