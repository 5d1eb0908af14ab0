"""The responsible inspector (handläggare): the opener at first, then whoever ``assign`` names —
only an inspector (the service supplies the target's roles from the users table) — and every
wrong field of a form told at once."""

from __future__ import annotations

from domain import ErrorCode
from domain.views import case_view
from tests.unit.lifecycle import DECISION_AREAS, KIM, LUDVIKA_ORG, MALIN, MARTA, act, at, refuse

INSPECTOR = ["inspector"]


def test_the_inspector_who_opens_a_case_is_responsible_for_it() -> None:
    state = at("Ludvika, under review")
    assert state.responsible == MARTA.username
    assert case_view(state, MALIN).responsible == MARTA.username


def test_an_inspector_or_decision_maker_assigns_another_inspector() -> None:
    state, [assigned] = act(
        at("Ludvika, awaiting the account"), MALIN, "assign", {"to": "anna.h", "to_roles": INSPECTOR}, "2025-12-20"
    )
    assert (assigned.type, assigned.from_, assigned.to) == ("CaseAssigned", MARTA.username, "anna.h")
    assert assigned.data() == {"from": MARTA.username, "to": "anna.h"}
    assert (assigned.actor.username, assigned.actor.role) == ("malin.jern", "decision_maker")
    assert state.responsible == "anna.h" and state.status == at("Ludvika, awaiting the account").status
    state, [back] = act(state, MARTA, "assign", {"to": MARTA.username, "to_roles": INSPECTOR}, "2025-12-21")
    assert (back.from_, back.to, state.responsible) == ("anna.h", MARTA.username, MARTA.username)


def test_only_an_inspector_can_be_responsible_and_not_twice() -> None:
    awaiting = at("Ludvika, awaiting the account")
    for roles in ([], ["decision_maker"], ["organiser"]):
        error = refuse(awaiting, MARTA, "assign", {"to": "malin.jern", "to_roles": roles}, "2025-12-20")
        assert (error.code, error.field, error.key) == (ErrorCode.VALIDATION_ERROR, "to", "assign.not_inspector")
    error = refuse(awaiting, MALIN, "assign", {"to": MARTA.username, "to_roles": INSPECTOR}, "2025-12-20")
    assert (error.field, error.key) == ("to", "assign.already")
    error = refuse(awaiting, LUDVIKA_ORG, "assign", {"to": "anna.h", "to_roles": INSPECTOR}, "2025-12-20")
    assert (error.code, error.key) == (ErrorCode.FORBIDDEN, "role.missing")
    error = refuse(at("Ludvika, closed"), MARTA, "assign", {"to": "anna.h", "to_roles": INSPECTOR}, "2026-06-01")
    assert (error.code, error.key) == (ErrorCode.INVALID_STATE, "case.ended")


def test_every_wrong_field_of_a_draft_is_told_at_once_the_first_as_before() -> None:
    areas = [{**a, "assessment": " "} for a in DECISION_AREAS]
    error = refuse(at("Ludvika, under review"), MARTA, "draft-decision", {"areas": areas}, "2025-06-19")
    assert [(e.field, e.key) for e in error.all] == [
        ("areas[0].assessment", "text.empty"),
        ("areas[1].assessment", "text.empty"),
        ("response_due", "decision.due_needed"),
    ]
    assert error.code is ErrorCode.VALIDATION_ERROR and error.field == "areas[0].assessment"


def test_a_designated_signer_is_the_only_one_who_signs_and_can_be_taken_back() -> None:
    drafted = at("Ludvika, decision drafted")
    kim = {"signer": "kim.beslut", "signer_roles": ["decision_maker"]}
    state, [designated] = act(drafted, MARTA, "designate-signer", kim, "2025-06-20")
    assert (designated.type, designated.signer, state.designated_signer) == (
        "SignerDesignated",
        "kim.beslut",
        "kim.beslut",
    )
    error = refuse(state, MALIN, "sign-decision", {"decided_on": "2025-06-26"}, "2025-06-26")
    assert (error.code, error.key, error.params["value"]) == (ErrorCode.FORBIDDEN, "signing.designated", "kim.beslut")
    assert "sign-decision" not in case_view(state, MALIN).allowed_commands
    assert "sign-decision" in case_view(state, KIM).allowed_commands
    error = refuse(
        state, MARTA, "designate-signer", {"signer": "marta.rivelis", "signer_roles": INSPECTOR}, "2025-06-20"
    )
    assert (error.field, error.key) == ("signer", "signer.not_decision_maker")
    state, [nobody] = act(state, MALIN, "designate-signer", {"signer": None}, "2025-06-21")
    assert nobody.signer is None and "sign-decision" in case_view(state, MALIN).allowed_commands
