"""DOMAIN.md's "Rules a user will try to break": each attempt is refused with the code and field
API.md promises, and the case is exactly as it was before (a refusal records nothing).
"""

from __future__ import annotations

from typing import Any

import pytest

from admin.seeds import LUDVIKA as LUDVIKA_SEED
from domain import ErrorCode, Role, User
from tests.unit.lifecycle import (
    ACCOUNT_AREAS,
    APPROVAL,
    DECISION_AREAS,
    FURTHER_MEASURES,
    IN_LINE_AREAS,
    LUDVIKA_ORG,
    MALIN,
    MARTA,
    MARTA_BOTH,
    REFERRAL,
    ROUND_2_ACCOUNT,
    SYSTEM,
    TRELLEBORG_ORG,
    area,
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


def attempt(what: str, *, at: str, by: User, command: str, payload: dict[str, Any], on: str,
            code: ErrorCode, field: str | None) -> Any:  # fmt: skip
    """One row: on day ``on`` in state ``at``, ``by`` issues ``command`` and is refused with ``code``/``field``."""
    return pytest.param(at, by, command, payload, on, code, field, id=what)


REFUSALS = [
    # -- due dates on or before the decision date; decisions dated in the future --
    attempt("draft-decision with the account due on the day the case was opened", at=UNDER_REVIEW, by=MARTA,
            command="draft-decision", payload={"areas": DECISION_AREAS, "response_due": "2025-01-20"},
            on="2025-06-19", code=VALIDATION, field="response_due"),
    attempt("draft-decision with the account due before the case was opened", at=UNDER_REVIEW, by=MARTA,
            command="draft-decision", payload={"areas": DECISION_AREAS, "response_due": "2024-12-01"},
            on="2025-06-19", code=VALIDATION, field="response_due"),
    attempt("sign-decision on the draft's due date", at="Ludvika, decision drafted with the account due 2025-07-01",
            by=MALIN, command="sign-decision", payload={"decided_on": "2025-07-01"}, on="2025-07-02",
            code=VALIDATION, field="decided_on"),
    attempt("sign-decision after the draft's due date", at="Ludvika, decision drafted with the account due 2025-07-01",
            by=MALIN, command="sign-decision", payload={"decided_on": "2025-07-10"}, on="2025-07-10",
            code=VALIDATION, field="decided_on"),
    attempt("sign-decision dated tomorrow", at=DRAFTED, by=MALIN, command="sign-decision",
            payload={"decided_on": "2025-06-27"}, on="2025-06-26", code=VALIDATION, field="decided_on"),
    attempt("sign-decision dated before the case was opened", at=DRAFTED, by=MALIN, command="sign-decision",
            payload={"decided_on": "2025-01-19"}, on="2025-06-26", code=VALIDATION, field="decided_on"),
    attempt("approve-response with the board meeting tomorrow", at=ACCOUNT_DRAFTED, by=LUDVIKA_ORG,
            command="approve-response", payload={**APPROVAL, "decided_on": "2025-12-19"}, on="2025-12-18",
            code=VALIDATION, field="decided_on"),
    attempt("approve-response dated before the inspectorate's decision", at=ACCOUNT_DRAFTED, by=LUDVIKA_ORG,
            command="approve-response", payload={**APPROVAL, "decided_on": "2025-06-01"}, on="2025-12-18",
            code=VALIDATION, field="decided_on"),
    attempt("submit-response dated tomorrow", at=APPROVED, by=LUDVIKA_ORG, command="submit-response",
            payload={"submitted_on": "2025-12-31"}, on="2025-12-30", code=VALIDATION, field="submitted_on"),
    attempt("submit-response dated before the board approved", at=APPROVED, by=LUDVIKA_ORG,
            command="submit-response", payload={"submitted_on": "2025-12-16"}, on="2025-12-30",
            code=VALIDATION, field="submitted_on"),
    attempt("draft-follow-up with the next account due on the day the account came in", at=RECEIVED, by=MARTA,
            command="draft-follow-up", payload={"areas": MIXED_OUTCOMES, "next_response_due": "2025-12-30"},
            on="2026-03-02", code=VALIDATION, field="next_response_due"),
    attempt("sign-follow-up dated tomorrow", at=FOLLOW_UP_DRAFTED, by=MALIN, command="sign-follow-up",
            payload={"decided_on": "2026-03-06"}, on="2026-03-05", code=VALIDATION, field="decided_on"),
    attempt("sign-follow-up dated before the account was submitted", at=FOLLOW_UP_DRAFTED, by=MALIN,
            command="sign-follow-up", payload={"decided_on": "2025-12-29"}, on="2026-03-05",
            code=VALIDATION, field="decided_on"),
    attempt("sign-follow-up on the draft's next due date", at="Trelleborg, follow-up drafted", by=MALIN,
            command="sign-follow-up", payload={"decided_on": "2022-06-30"}, on="2022-07-01",
            code=VALIDATION, field="decided_on"),
    attempt("request-supplement due today", at=RECEIVED, by=MARTA, command="request-supplement",
            payload={"what": "Underlag om elevhälsan.", "response_due": "2026-01-15"}, on="2026-01-15",
            code=VALIDATION, field="response_due"),
    attempt("refer-to-supervision dated tomorrow", at=AWAITING, by=MALIN, command="refer-to-supervision",
            payload={**REFERRAL, "decided_on": "2026-01-21"}, on="2026-01-20", code=VALIDATION,
            field="decided_on"),
    attempt("refer-to-supervision dated before the decision it follows up", at=AWAITING, by=MALIN,
            command="refer-to-supervision", payload={**REFERRAL, "decided_on": "2025-06-01"}, on="2026-01-20",
            code=VALIDATION, field="decided_on"),
    attempt("extend-deadline to the current due date", at=AWAITING, by=MARTA, command="extend-deadline",
            payload={"response_due": "2026-01-02", "reason": "Begäran från huvudmannen."}, on="2025-12-20",
            code=VALIDATION, field="response_due"),
    attempt("extend-deadline to an earlier date", at=AWAITING, by=MARTA, command="extend-deadline",
            payload={"response_due": "2025-12-31", "reason": "Begäran från huvudmannen."}, on="2025-12-20",
            code=VALIDATION, field="response_due"),
    attempt("extend-deadline to a date that has already passed", at=AWAITING, by=MARTA,
            command="extend-deadline", payload={"response_due": "2026-02-01", "reason": "Sen begäran."},
            on="2026-02-10", code=VALIDATION, field="response_due"),
    # -- the drafter signing, an organiser on another organiser's case --
    attempt("sign-decision by the person who drafted it",
            at="Ludvika, decision drafted by Marta (also a decision maker)", by=MARTA_BOTH,
            command="sign-decision", payload={"decided_on": "2025-06-26"}, on="2025-06-26",
            code=FORBIDDEN, field=None),
    attempt("sign-follow-up by the person who drafted it",
            at="Ludvika, follow-up drafted by Marta (also a decision maker)", by=MARTA_BOTH,
            command="sign-follow-up", payload={"decided_on": "2026-03-05"}, on="2026-03-05",
            code=FORBIDDEN, field=None),
    attempt("draft-response by Trelleborg's administration on Ludvika's case", at=AWAITING, by=TRELLEBORG_ORG,
            command="draft-response", payload={"areas": ACCOUNT_AREAS}, on="2025-12-15", code=FORBIDDEN,
            field=None),
    attempt("approve-response by Trelleborg's administration on Ludvika's case", at=ACCOUNT_DRAFTED,
            by=TRELLEBORG_ORG, command="approve-response", payload=APPROVAL, on="2025-12-18", code=FORBIDDEN,
            field=None),
    attempt("submit-response by Trelleborg's administration on Ludvika's case", at=APPROVED, by=TRELLEBORG_ORG,
            command="submit-response", payload={"submitted_on": "2025-12-30"}, on="2025-12-30",
            code=FORBIDDEN, field=None),
    attempt("draft-response by an organiser user that belongs to no organiser", at=AWAITING,
            by=User(username="vilse", roles=frozenset({Role.ORGANISER})), command="draft-response",
            payload={"areas": ACCOUNT_AREAS}, on="2025-12-15", code=FORBIDDEN, field=None),
    # -- a command in a state where it means nothing --
    attempt("sign-decision with no draft", at=UNDER_REVIEW, by=MALIN, command="sign-decision",
            payload={"decided_on": "2025-06-26"}, on="2025-06-26", code=INVALID_STATE, field=None),
    attempt("sign-follow-up with no draft", at=RECEIVED, by=MALIN, command="sign-follow-up",
            payload={"decided_on": "2026-03-05"}, on="2026-03-05", code=INVALID_STATE, field=None),
    attempt("reject-draft when nothing awaits a signature", at=AWAITING, by=MALIN, command="reject-draft",
            payload={"reason": "Fel."}, on="2025-07-01", code=INVALID_STATE, field=None),
    attempt("draft-decision when a decision is already drafted", at=DRAFTED, by=MARTA, command="draft-decision",
            payload={"areas": DECISION_AREAS, "response_due": "2026-01-02"}, on="2025-06-20",
            code=INVALID_STATE, field=None),
    attempt("approve-response with no draft of the account", at=AWAITING, by=LUDVIKA_ORG,
            command="approve-response", payload=APPROVAL, on="2025-12-18", code=INVALID_STATE, field=None),
    attempt("submit-response before any draft", at=AWAITING, by=LUDVIKA_ORG, command="submit-response",
            payload={"submitted_on": "2025-12-30"}, on="2025-12-30", code=INVALID_STATE, field=None),
    attempt("submit-response before the board approved", at=ACCOUNT_DRAFTED, by=LUDVIKA_ORG,
            command="submit-response", payload={"submitted_on": "2025-12-30"}, on="2025-12-30",
            code=INVALID_STATE, field=None),
    attempt("submit-response of a draft changed after the board approved",
            at="Ludvika, account redrafted after the board approved", by=LUDVIKA_ORG, command="submit-response",
            payload={"submitted_on": "2025-12-30"}, on="2025-12-30", code=INVALID_STATE, field=None),
    attempt("draft-response after the account was submitted", at=RECEIVED, by=LUDVIKA_ORG,
            command="draft-response", payload={"areas": ACCOUNT_AREAS}, on="2026-01-05", code=INVALID_STATE,
            field=None),
    attempt("request-supplement before any account arrived", at=AWAITING, by=MARTA,
            command="request-supplement", payload={"what": "Underlag.", **NEW_DUE}, on="2025-12-20",
            code=INVALID_STATE, field=None),
    attempt("extend-deadline after the account arrived", at=RECEIVED, by=MARTA, command="extend-deadline",
            payload={**NEW_DUE, "reason": "Begäran."}, on="2026-01-05", code=INVALID_STATE, field=None),
    attempt("draft-follow-up before any account arrived", at=AWAITING, by=MARTA, command="draft-follow-up",
            payload={"areas": IN_LINE_AREAS, "next_response_due": None}, on="2025-12-20",
            code=INVALID_STATE, field=None),
    attempt("refer-to-supervision while the case is under review", at=UNDER_REVIEW, by=MALIN,
            command="refer-to-supervision", payload={**REFERRAL, "decided_on": "2025-02-01"}, on="2025-02-01",
            code=INVALID_STATE, field=None),
    attempt("send-reminder while the case is under review", at=UNDER_REVIEW, by=SYSTEM, command="send-reminder",
            payload={"round": 0, "response_due": "2026-01-02", "recipient": "organiser", "days_before_due": 30},
            on="2025-02-01", code=INVALID_STATE, field=None),
    attempt("mark-overdue while the case is under review", at=UNDER_REVIEW, by=SYSTEM, command="mark-overdue",
            payload={"round": 0, "response_due": "2025-02-01"}, on="2025-03-01", code=INVALID_STATE, field=None),
    attempt("draft-follow-up in round 2 naming analys, closed in round 1", at=ROUND_2_RECEIVED, by=MARTA,
            command="draft-follow-up",
            payload={"areas": [IN_LINE_AREAS[0], {**IN_LINE_AREAS[1]}], "next_response_due": None},
            on="2022-09-01", code=INVALID_STATE, field="areas[0].code"),
    attempt("draft-response in round 2 naming analys, closed in round 1", at=ROUND_2, by=TRELLEBORG_ORG,
            command="draft-response", payload={"areas": [{**ACCOUNT_AREAS[0]}, *ROUND_2_ACCOUNT]},
            on="2022-05-20", code=INVALID_STATE, field="areas[0].code"),
    # -- an account or decision that leaves an area out, names one twice or one the case does not have --
    attempt("draft-response leaving kompensatoriskt out", at=AWAITING, by=LUDVIKA_ORG, command="draft-response",
            payload={"areas": ACCOUNT_AREAS[:1]}, on="2025-12-15", code=VALIDATION, field="areas"),
    attempt("draft-response with no areas at all", at=AWAITING, by=LUDVIKA_ORG, command="draft-response",
            payload={"areas": []}, on="2025-12-15", code=VALIDATION, field="areas"),
    attempt("draft-response naming an area the case does not have", at=AWAITING, by=LUDVIKA_ORG,
            command="draft-response",
            payload={"areas": [*ACCOUNT_AREAS, {**ACCOUNT_AREAS[0], "code": "likvardighet"}]}, on="2025-12-15",
            code=VALIDATION, field="areas[2].code"),
    attempt("draft-response naming analys twice", at=AWAITING, by=LUDVIKA_ORG, command="draft-response",
            payload={"areas": [ACCOUNT_AREAS[0], *ACCOUNT_AREAS]}, on="2025-12-15", code=VALIDATION,
            field="areas[1].code"),
    attempt("draft-response in round 2 leaving out the only open area", at=ROUND_2, by=TRELLEBORG_ORG,
            command="draft-response", payload={"areas": []}, on="2022-05-20", code=VALIDATION, field="areas"),
    attempt("draft-decision leaving kompensatoriskt out", at=UNDER_REVIEW, by=MARTA, command="draft-decision",
            payload={"areas": DECISION_AREAS[:1], "response_due": "2026-01-02"}, on="2025-06-19",
            code=VALIDATION, field="areas"),
    attempt("draft-decision naming analys twice", at=UNDER_REVIEW, by=MARTA, command="draft-decision",
            payload={"areas": [DECISION_AREAS[0], *DECISION_AREAS], "response_due": "2026-01-02"},
            on="2025-06-19", code=VALIDATION, field="areas[1].code"),
    attempt("draft-decision naming an area the case does not have", at=UNDER_REVIEW, by=MARTA,
            command="draft-decision",
            payload={"areas": area(DECISION_AREAS, 1, code="likvardighet"), "response_due": "2026-01-02"},
            on="2025-06-19", code=VALIDATION, field="areas[1].code"),
    attempt("draft-follow-up leaving kompensatoriskt out", at=RECEIVED, by=MARTA, command="draft-follow-up",
            payload={"areas": IN_LINE_AREAS[:1], "next_response_due": None}, on="2026-03-02",
            code=VALIDATION, field="areas"),
    attempt("draft-follow-up naming an area the case does not have", at=RECEIVED, by=MARTA,
            command="draft-follow-up",
            payload={"areas": area(IN_LINE_AREAS, 1, code="likvardighet"), "next_response_due": None},
            on="2026-03-02", code=VALIDATION, field="areas[1].code"),
    # -- empty texts (blank or whitespace-only) --
    attempt("draft-decision with an empty assessment", at=UNDER_REVIEW, by=MARTA, command="draft-decision",
            payload={"areas": area(DECISION_AREAS, 0, assessment=""), "response_due": "2026-01-02"},
            on="2025-06-19", code=VALIDATION, field="areas[0].assessment"),
    attempt("draft-decision with a blank requirement", at=UNDER_REVIEW, by=MARTA, command="draft-decision",
            payload={"areas": area(DECISION_AREAS, 1, requirements=["   "]), "response_due": "2026-01-02"},
            on="2025-06-19", code=VALIDATION, field="areas[1].requirements[0]"),
    attempt("draft-response with empty measures", at=AWAITING, by=LUDVIKA_ORG, command="draft-response",
            payload={"areas": area(ACCOUNT_AREAS, 0, measures="")}, on="2025-12-15", code=VALIDATION,
            field="areas[0].measures"),
    attempt("draft-response with a whitespace-only evaluation", at=AWAITING, by=LUDVIKA_ORG,
            command="draft-response", payload={"areas": area(ACCOUNT_AREAS, 1, evaluation="\n\t ")},
            on="2025-12-15", code=VALIDATION, field="areas[1].evaluation"),
    attempt("draft-follow-up with an empty motivation", at=RECEIVED, by=MARTA, command="draft-follow-up",
            payload={"areas": area(IN_LINE_AREAS, 1, motivation=" "), "next_response_due": None},
            on="2026-03-02", code=VALIDATION, field="areas[1].motivation"),
    attempt("reject-draft with no reason", at=DRAFTED, by=MALIN, command="reject-draft", payload={"reason": "  "},
            on="2025-06-26", code=VALIDATION, field="reason"),
    attempt("extend-deadline with no reason", at=AWAITING, by=MARTA, command="extend-deadline",
            payload={**NEW_DUE, "reason": ""}, on="2025-12-20", code=VALIDATION, field="reason"),
    attempt("refer-to-supervision with no reason", at=AWAITING, by=MALIN, command="refer-to-supervision",
            payload={**REFERRAL, "reason": ""}, on="2026-01-20", code=VALIDATION, field="reason"),
    attempt("refer-to-supervision with no reference to the new case", at=AWAITING, by=MALIN,
            command="refer-to-supervision", payload={**REFERRAL, "reference": " "}, on="2026-01-20",
            code=VALIDATION, field="reference"),
    attempt("refer-to-supervision with a reference containing a line break", at=AWAITING, by=MALIN,
            command="refer-to-supervision", payload={**REFERRAL, "reference": "2026:\n123"}, on="2026-01-20",
            code=VALIDATION, field="reference"),
    attempt("approve-response with no board named", at=ACCOUNT_DRAFTED, by=LUDVIKA_ORG,
            command="approve-response", payload={**APPROVAL, "body": ""}, on="2025-12-18", code=VALIDATION,
            field="body"),
    attempt("approve-response with no paragraph", at=ACCOUNT_DRAFTED, by=LUDVIKA_ORG,
            command="approve-response", payload={**APPROVAL, "paragraph": " "}, on="2025-12-18",
            code=VALIDATION, field="paragraph"),
    attempt("request-supplement without saying what is missing", at=RECEIVED, by=MARTA,
            command="request-supplement", payload={"what": "", **NEW_DUE}, on="2026-01-15", code=VALIDATION,
            field="what"),
    # -- due dates that must or must not be there --
    attempt("draft-decision with requirements but no due date", at=UNDER_REVIEW, by=MARTA,
            command="draft-decision", payload={"areas": DECISION_AREAS, "response_due": None}, on="2025-06-19",
            code=VALIDATION, field="response_due"),
    attempt("draft-decision without requirements but with a due date", at=UNDER_REVIEW, by=MARTA,
            command="draft-decision",
            payload={"areas": [{**a, "requirements": []} for a in DECISION_AREAS], "response_due": "2026-01-02"},
            on="2025-06-19", code=VALIDATION, field="response_due"),
    attempt("draft-follow-up requiring further measures but no next due date", at=RECEIVED, by=MARTA,
            command="draft-follow-up", payload={"areas": MIXED_OUTCOMES, "next_response_due": None},
            on="2026-03-02", code=VALIDATION, field="next_response_due"),
    attempt("draft-follow-up with every area in line but a next due date", at=RECEIVED, by=MARTA,
            command="draft-follow-up", payload={"areas": IN_LINE_AREAS, "next_response_due": "2026-09-30"},
            on="2026-03-02", code=VALIDATION, field="next_response_due"),
    # -- the request itself --
    attempt("a command with a blank request_id", at=DRAFTED, by=MALIN, command="sign-decision",
            payload={"decided_on": "2025-06-26", "request_id": "  "}, on="2025-06-26", code=VALIDATION,
            field="request_id"),
    attempt("open-case on a case that is already open", at=AWAITING, by=MARTA, command="open-case",
            payload={**seed_payload(LUDVIKA_SEED, "open-case")}, on="2025-07-01", code=ErrorCode.NOT_FOUND,
            field="command"),
]  # fmt: skip


@pytest.mark.parametrize(("at_", "user", "command", "payload", "on", "code", "field"), REFUSALS)
def test_a_rule_breaking_command_is_refused_and_changes_nothing(
    at_: str, user: User, command: str, payload: dict[str, Any], on: str, code: ErrorCode, field: str | None
) -> None:
    error = refuse(at(at_), user, command, payload, on)
    assert (error.code, error.field) == (code, field), error.message
    assert error.message.strip()


def test_the_drafter_is_told_why_they_may_not_sign() -> None:
    error = refuse(at("Ludvika, decision drafted by Marta (also a decision maker)"), MARTA_BOTH, "sign-decision",
                   {"decided_on": "2025-06-26"}, "2025-06-26")  # fmt: skip
    assert "drafted" in error.message and "marta.rivelis" in error.message


def test_a_due_date_passed_at_signing_is_explained_with_both_dates() -> None:
    error = refuse(at("Ludvika, decision drafted with the account due 2025-07-01"), MALIN, "sign-decision",
                   {"decided_on": "2025-07-10"}, "2025-07-10")  # fmt: skip
    assert "2025-07-01" in error.message and "2025-07-10" in error.message


def test_a_closed_area_is_named_in_the_refusal() -> None:
    payload = {"areas": [IN_LINE_AREAS[0], IN_LINE_AREAS[1]], "next_response_due": None}
    error = refuse(at(ROUND_2_RECEIVED), MARTA, "draft-follow-up", payload, "2022-09-01")
    assert "analys" in error.message and "in_line" in error.message
