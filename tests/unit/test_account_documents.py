"""Issue 17 in the domain: an account registered by staff, attachments, the three kinds of approval, a
supplement that keeps the approval, and events that keep their exact data when new fields are unset."""

from __future__ import annotations

from typing import Any

import pytest

from domain import AreaStatus, CaseStatus, ErrorCode, Role, User, allowed_commands
from domain import events as ev
from domain.notices import NoticeKind, notices_for
from domain.values import ApprovalKind, Recipient
from tests.unit.lifecycle import (
    ACCOUNT_AREAS,
    APPROVAL,
    IN_LINE_AREAS,
    LUDVIKA_ORG,
    MALIN,
    MARTA,
    act,
    at,
    ludvika,
    refuse,
)

REGISTRAR = User(username="rut.registrator", roles=frozenset({Role.REGISTRAR}))
PDF = ["a" * 64, "b" * 64]
REGISTERED: dict[str, Any] = {
    "sent_on": "2025-12-29",
    "received_on": "2025-12-30",
    "sender": "Ludvika kommun, barn- och utbildningsförvaltningen",
    "attachments": PDF,
}
AWAITING = "Ludvika, awaiting the account"


# -- an account that arrived by e-mail, registered by the registrar --


def test_a_registered_account_continues_the_case_as_a_submitted_one() -> None:
    state, [registered] = act(at(AWAITING), REGISTRAR, "register-response", REGISTERED, "2025-12-30")
    assert isinstance(registered, ev.ResponseRegistered)
    assert registered.data() == {
        "round": 1,
        "sent_on": "2025-12-29",
        "received_on": "2025-12-30",
        "sender": "Ludvika kommun, barn- och utbildningsförvaltningen",
        "attachments": PDF,
        "areas": [],
    }
    assert (registered.occurred_on, registered.actor.role) == (registered.received_on, Role.REGISTRAR)
    assert (state.status, state.submitted_on, state.overdue) == (
        CaseStatus.RESPONSE_RECEIVED,
        registered.received_on,
        False,
    )
    # the sender gets the acknowledgement of receipt
    assert [(n.kind, n.recipient) for n in notices_for(registered, "2025:1234")] == [
        (NoticeKind.RECEIPT, Recipient.ORGANISER)
    ]
    # and the follow-up goes on exactly as after a submitted account
    assert "draft-follow-up" in allowed_commands(state, MARTA)
    state, _ = act(state, MARTA, "draft-follow-up", {"areas": IN_LINE_AREAS}, "2026-03-02")
    state, events = act(state, MALIN, "sign-follow-up", {"decided_on": "2026-03-05"}, "2026-03-05")
    assert [e.type for e in events] == ["FollowUpSigned", "CaseClosed"]
    assert state.status is CaseStatus.CLOSED


def test_a_registered_account_may_carry_its_text_for_every_open_area() -> None:
    _, [registered] = act(
        at(AWAITING), MARTA, "register-response", {**REGISTERED, "areas": ACCOUNT_AREAS}, "2026-01-05"
    )
    assert [a.code for a in registered.areas] == ["analys", "kompensatoriskt"]
    # rows left empty (the page's form sends every open area) are no text at all
    empty = [{"code": "analys", "measures": None, "evaluation": ""}, {"code": "kompensatoriskt"}]
    _, [bare] = act(at(AWAITING), MARTA, "register-response", {**REGISTERED, "areas": empty}, "2026-01-05")
    assert bare.areas == ()


@pytest.mark.parametrize(
    ("change", "field", "key"),
    [
        ({"received_on": "2025-12-28"}, "received_on", "date.before"),
        ({"sent_on": "2025-06-01"}, "sent_on", "date.before"),
        ({"received_on": "2026-01-01"}, "received_on", "date.in_future"),
        ({"attachments": []}, "attachments", "register.no_files"),
        ({"attachments": ["not-a-hash"]}, "attachments[0]", "attachments.invalid"),
        ({"attachments": [PDF[0], PDF[0]]}, "attachments[1]", "attachments.twice"),
        ({"attachments": [f"{n:064x}" for n in range(11)]}, "attachments", "attachments.too_many"),
        ({"sender": "  "}, "sender", "text.empty"),
        ({"areas": [ACCOUNT_AREAS[0]]}, "areas", "areas.open_missing"),
    ],
)
def test_a_registration_is_refused_with_the_field_it_gets_wrong(change: dict[str, Any], field: str, key: str) -> None:
    error = refuse(at(AWAITING), REGISTRAR, "register-response", {**REGISTERED, **change}, "2025-12-31")
    assert (error.code, error.field, error.key) == (ErrorCode.VALIDATION_ERROR, field, key)


def test_only_the_inspectorate_registers_and_only_while_an_account_is_awaited() -> None:
    assert refuse(at(AWAITING), LUDVIKA_ORG, "register-response", REGISTERED, "2025-12-30").code is ErrorCode.FORBIDDEN
    received = at("Ludvika, account received")
    assert refuse(received, REGISTRAR, "register-response", REGISTERED, "2026-01-05").code is ErrorCode.INVALID_STATE


# -- attachments of the organiser's account --


def test_the_submitting_event_lists_the_drafts_attachments_and_those_added_at_submission() -> None:
    state, [drafted] = act(
        at(AWAITING), LUDVIKA_ORG, "draft-response", {"areas": ACCOUNT_AREAS, "attachments": PDF}, "2025-12-15"
    )
    assert drafted.attachments == tuple(PDF)
    state, _ = act(state, LUDVIKA_ORG, "approve-response", APPROVAL, "2025-12-18")
    added = {"submitted_on": "2025-12-30", "attachments": [PDF[1], "c" * 64]}
    _, [submitted] = act(state, LUDVIKA_ORG, "submit-response", added, "2025-12-30")
    assert submitted.attachments == (PDF[0], PDF[1], "c" * 64)  # each once, the draft's first
    too_many = {"submitted_on": "2025-12-30", "attachments": [f"{n:064x}" for n in range(9)]}
    error = refuse(state, LUDVIKA_ORG, "submit-response", too_many, "2025-12-30")
    assert (error.field, error.key, error.params["length"]) == ("attachments", "attachments.too_many", 11)


# -- approval: the board, a delegated official, or none required --


def test_an_official_with_delegation_may_approve_the_account() -> None:
    delegation = {"delegated_to": "Anna Berg", "title": "Skolchef", "decided_on": "2025-12-17"}
    state, [approved] = act(at("Ludvika, account drafted"), LUDVIKA_ORG, "approve-response", delegation, "2025-12-18")
    assert approved.data() == {"round": 1, "decided_on": "2025-12-17", "delegated_to": "Anna Berg", "title": "Skolchef"}
    assert state.approval is not None and state.approval.kind is ApprovalKind.DELEGATION
    assert "submit-response" in allowed_commands(state, LUDVIKA_ORG)


def test_an_approval_the_organisers_rules_do_not_require_names_the_rule() -> None:
    body = {"approved_by": "not_required", "basis": "Delegationsordningen, punkt 4.2", "decided_on": "2025-12-17"}
    state, [approved] = act(at("Ludvika, account drafted"), LUDVIKA_ORG, "approve-response", body, "2025-12-18")
    assert state.approval is not None and state.approval.kind is ApprovalKind.NOT_REQUIRED
    assert approved.basis == "Delegationsordningen, punkt 4.2"
    missing = refuse(
        at("Ludvika, account drafted"), LUDVIKA_ORG, "approve-response", {**body, "basis": ""}, "2025-12-18"
    )
    assert (missing.field, missing.key) == ("basis", "text.empty")


def test_an_approval_gives_the_fields_of_its_own_kind_only() -> None:
    mixed = {**APPROVAL, "delegated_to": "Anna Berg"}  # told a delegation by its fields: no title, a board named
    error = refuse(at("Ludvika, account drafted"), LUDVIKA_ORG, "approve-response", mixed, "2025-12-18")
    assert {(e.field, e.key) for e in error.all} == {
        ("body", "approval.other_kind"),
        ("paragraph", "approval.other_kind"),
        ("title", "text.empty"),
    }
    no_paragraph = {"body": "Bildningsnämnden", "decided_on": "2025-12-17"}
    error = refuse(at("Ludvika, account drafted"), LUDVIKA_ORG, "approve-response", no_paragraph, "2025-12-18")
    assert (error.field, error.key) == ("paragraph", "text.empty")


# -- a supplement request --


def test_a_supplement_request_keeps_the_approval_already_given() -> None:
    payload = {"what": "Protokollsutdraget saknas.", "response_due": "2026-02-15"}
    state, [requested] = act(ludvika(6), MARTA, "request-supplement", payload, "2026-01-15")
    assert requested.keeps_approval and requested.data()["keeps_approval"] is True
    assert state.approval == ludvika(6).approval and state.response_draft == ludvika(6).response_draft
    assert (state.status, state.submitted_on) == (CaseStatus.AWAITING_RESPONSE, None)
    # the organiser sends the supplement at once, with the missing document attached
    assert "submit-response" in allowed_commands(state, LUDVIKA_ORG)
    supplement = {"submitted_on": "2026-01-20", "attachments": [PDF[0]]}
    state, [submitted] = act(state, LUDVIKA_ORG, "submit-response", supplement, "2026-01-20")
    assert (state.status, submitted.attachments) == (CaseStatus.RESPONSE_RECEIVED, (PDF[0],))


# -- facts recorded as before keep exactly their data (and so their hash) --


def test_an_event_without_the_new_fields_has_the_data_it_always_had() -> None:
    events = {type(e).__name__: e for e in _ludvika_events()}
    assert set(events["ResponseApproved"].data()) == {"round", "body", "decided_on", "paragraph"}
    assert set(events["DecisionSigned"].data()) == {"decided_on", "drafted_by", "response_due"}
    assert set(events["ResponseSubmitted"].data()) == {"round", "submitted_on"}
    assert set(events["ResponseDrafted"].data()) == {"round", "areas"}
    signed = events["DecisionSigned"].model_copy(update={"document_sha256": "d" * 64})
    assert signed.data()["document_sha256"] == "d" * 64


def test_the_review_type_and_period_are_the_cases() -> None:
    state = ludvika(1)
    assert (state.review_type, state.review_period) == ("planerad kvalitetsgranskning", "vårterminen 2025")
    assert {a.status for a in state.areas} == {AreaStatus.OPEN}


def _ludvika_events() -> list[ev.Event]:
    from admin.replay import seed_events
    from admin.seeds import LUDVIKA

    return seed_events(LUDVIKA)
