"""What the rules tests (tests/unit/test_rules_*.py) share: the named points of Ludvika's and Trelleborg's
lifecycle they start from, one row of a refusal table and the check every row goes through.

docs/domain.md's "Rules a user will try to break": each attempt is refused with the code and field
docs/api.md promises, and the case is exactly as it was before (a refusal records nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from domain import ErrorCode, User
from tests.unit.lifecycle import at, refuse

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


@dataclass(frozen=True)
class Refusal:
    """One row of a refusal table: on day ``on`` in state ``at``, ``by`` issues ``command`` with ``payload``."""

    at: str
    by: User
    command: str
    payload: dict[str, Any]
    on: str
    code: ErrorCode
    field: str | None


def attempt(
    what: str, *, at: str, by: User, command: str, payload: dict[str, Any], on: str, code: ErrorCode, field: str | None
) -> Any:
    """One row: on day ``on`` in state ``at``, ``by`` issues ``command`` and is refused with ``code``/``field``."""
    return pytest.param(Refusal(at, by, command, payload, on, code, field), id=what)


def assert_refused_and_unchanged(row: Refusal) -> None:
    """The row's command is refused with its code and field, says why, and leaves the case as it was."""
    error = refuse(at(row.at), row.by, row.command, row.payload, row.on)
    assert (error.code, error.field) == (row.code, row.field), error.message
    assert error.message.strip()
