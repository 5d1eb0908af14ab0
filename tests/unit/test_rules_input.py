"""Refusals of bad open-case input and of malformed commands (who may do what: test_who_may.py)."""

from __future__ import annotations

from typing import Any

import pytest

from admin.seeds import LUDVIKA as LUDVIKA_SEED
from domain import DomainError, ErrorCode, OpenCase, decide_open
from domain import parse_command as parse
from tests.unit.lifecycle import (
    IN_LINE_AREAS,
    MARTA,
    D,
    seed_payload,
)

VALIDATION = ErrorCode.VALIDATION_ERROR


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
