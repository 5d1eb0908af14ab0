"""The turns a case can take besides the seeds: rejections, supplements, extensions, overdue, referral."""

from __future__ import annotations

from datetime import date

from admin.replay import replay
from admin.seeds import LUDVIKA, TRELLEBORG
from domain import (
    AreaStatus,
    CaseStatus,
    Role,
    User,
    allowed_commands,
)
from tests.unit.lifecycle import (
    ACCOUNT_AREAS,
    APPROVAL,
    DECISION_AREAS,
    KIM,
    LUDVIKA_ORG,
    MALIN,
    MARTA,
    REFERRAL,
    SYSTEM,
    D,
    act,
    at,
    ludvika,
    refuse,
    statuses,
)

# -- the turns a case can take besides the seeds --


def test_a_rejected_decision_draft_returns_the_case_to_review() -> None:
    state, [rejected] = act(ludvika(2), MALIN, "reject-draft", {"reason": "Bedömningen är för vag."}, "2025-06-24")
    assert (rejected.type, rejected.draft, rejected.drafted_by, rejected.reason) == (
        "DraftRejected",
        "decision",
        "marta.rivelis",
        "Bedömningen är för vag.",
    )
    assert (state.status, state.decision_draft, state.decided_on) == (CaseStatus.UNDER_REVIEW, None, None)
    assert allowed_commands(state, MARTA) == ["draft-decision", "assign", "designate-signer"]
    # and the case goes on once the text is redrafted and signed
    state, _ = act(
        state, MARTA, "draft-decision", {"areas": DECISION_AREAS, "response_due": "2026-01-02"}, "2025-06-25"
    )
    state, _ = act(state, MALIN, "sign-decision", {"decided_on": "2025-06-26"}, "2025-06-26")
    assert (state.status, state.round, state.response_due) == (CaseStatus.AWAITING_RESPONSE, 1, D("2026-01-02"))


def test_a_rejected_follow_up_draft_returns_the_case_to_response_received() -> None:
    state, [rejected] = act(ludvika(7), MALIN, "reject-draft", {"reason": "Motiveringen saknas."}, "2026-03-04")
    assert (rejected.draft, rejected.drafted_by) == ("follow_up", "marta.rivelis")
    assert (state.status, state.follow_up_draft) == (CaseStatus.RESPONSE_RECEIVED, None)
    assert set(allowed_commands(state, MARTA)) == {
        "draft-follow-up",
        "request-supplement",
        "assign",
        "designate-signer",
    }
    assert statuses(state) == {"analys": AreaStatus.OPEN, "kompensatoriskt": AreaStatus.OPEN}


def test_a_supplement_request_reopens_the_account_with_a_new_due_date() -> None:
    payload = {"what": "Underlag om elevhälsans skattningsverktyg.", "response_due": "2026-02-15"}
    payload["new_approval_needed"] = True  # the board must approve the supplemented account again
    state, [requested] = act(ludvika(6), MARTA, "request-supplement", payload, "2026-01-15")
    assert (requested.type, requested.round, requested.response_due) == ("SupplementRequested", 1, D("2026-02-15"))
    assert (state.status, state.round, state.response_due, state.overdue) == (
        CaseStatus.AWAITING_RESPONSE,
        1,
        D("2026-02-15"),
        False,
    )
    assert (state.response_draft, state.approval, state.submitted_on) == (None, None, None)
    assert allowed_commands(state, LUDVIKA_ORG) == ["draft-response"]
    # the supplement goes through draft, approval and submission like the account itself
    state, _ = act(state, LUDVIKA_ORG, "draft-response", {"areas": ACCOUNT_AREAS}, "2026-02-01")
    state, _ = act(state, LUDVIKA_ORG, "approve-response", {**APPROVAL, "decided_on": "2026-02-04"}, "2026-02-04")
    state, _ = act(state, LUDVIKA_ORG, "submit-response", {"submitted_on": "2026-02-05"}, "2026-02-05")
    assert (state.status, state.submitted_on) == (CaseStatus.RESPONSE_RECEIVED, D("2026-02-05"))


def test_extending_the_deadline_moves_the_due_date_and_clears_overdue() -> None:
    state, _ = act(ludvika(3), SYSTEM, "mark-overdue", {"round": 1, "response_due": "2026-01-02"}, "2026-01-03")
    assert state.overdue
    payload = {"response_due": "2026-02-15", "reason": "Nämnden sammanträder först i februari."}
    state, [extended] = act(state, MARTA, "extend-deadline", payload, "2026-01-05")
    assert (extended.previous_due, extended.response_due, extended.occurred_on) == (
        D("2026-01-02"),
        D("2026-02-15"),
        D("2026-01-05"),
    )
    assert (state.response_due, state.overdue, state.status) == (D("2026-02-15"), False, CaseStatus.AWAITING_RESPONSE)


def test_overdue_escalates_nothing_by_itself_and_a_late_account_is_still_received() -> None:
    state, [overdue] = act(ludvika(5), SYSTEM, "mark-overdue", {"round": 1, "response_due": "2026-01-02"}, "2026-01-03")
    assert (overdue.type, overdue.actor.username, overdue.actor.role) == ("ResponseOverdue", "system", Role.SYSTEM)
    assert (state.status, state.overdue) == (CaseStatus.AWAITING_RESPONSE, True)
    state, _ = act(state, LUDVIKA_ORG, "submit-response", {"submitted_on": "2026-01-08"}, "2026-01-08")
    assert (state.status, state.overdue) == (CaseStatus.RESPONSE_RECEIVED, False)


def test_referral_to_supervision_ends_the_case() -> None:
    state = at("Ludvika, referred")
    assert (state.status, state.referral_reference, state.overdue) == (CaseStatus.REFERRED, "2026:123", False)
    _, [event] = act(ludvika(3), MALIN, "refer-to-supervision", REFERRAL, "2026-01-20")
    assert (event.type, event.reason, event.decided_on, event.reference, event.actor.username) == (
        "CaseReferred",
        REFERRAL["reason"],
        D("2026-01-20"),
        "2026:123",
        "malin.jern",
    )
    for user in (MARTA, MALIN, LUDVIKA_ORG):
        assert allowed_commands(state, user) == []


def test_a_referral_from_response_received_is_possible() -> None:
    state, _ = act(ludvika(6), MALIN, "refer-to-supervision", {**REFERRAL, "decided_on": "2026-02-01"}, "2026-02-01")
    assert state.status is CaseStatus.REFERRED


REMINDER = {"round": 1, "response_due": "2026-01-02", "recipient": "organiser", "days_before_due": 30}


def test_a_reminder_is_recorded_once() -> None:
    state, [sent] = act(ludvika(3), SYSTEM, "send-reminder", REMINDER, "2025-12-03")
    assert (sent.type, sent.recipient, sent.days_before_due, sent.actor.role) == (
        "ReminderSent",
        "organiser",
        30,
        Role.SYSTEM,
    )
    error = refuse(state, SYSTEM, "send-reminder", REMINDER, "2025-12-03")
    assert error.code == "invalid_state" and "already been sent" in error.message
    # the next reminder of the series is another fact
    state, [seven_days] = act(state, SYSTEM, "send-reminder", {**REMINDER, "days_before_due": 7}, "2025-12-26")
    assert seven_days.days_before_due == 7
    assert len(state.reminders_sent) == 2


def test_a_reminder_for_a_deadline_that_was_extended_is_refused() -> None:
    state, _ = act(
        ludvika(3), MARTA, "extend-deadline", {"response_due": "2026-02-15", "reason": "Nämnd."}, "2025-12-01"
    )
    error = refuse(state, SYSTEM, "send-reminder", REMINDER, "2025-12-03")
    assert error.code == "invalid_state" and "2026-01-02" in error.message


def test_an_account_is_not_overdue_on_its_due_date() -> None:
    error = refuse(ludvika(3), SYSTEM, "mark-overdue", {"round": 1, "response_due": "2026-01-02"}, "2026-01-02")
    assert error.code == "invalid_state" and "not overdue" in error.message


def test_an_account_is_marked_overdue_once() -> None:
    state, _ = act(ludvika(3), SYSTEM, "mark-overdue", {"round": 1, "response_due": "2026-01-02"}, "2026-01-03")
    error = refuse(state, SYSTEM, "mark-overdue", {"round": 1, "response_due": "2026-01-02"}, "2026-02-03")
    assert error.code == "invalid_state" and "already" in error.message


def test_people_cannot_send_reminders_or_mark_overdue() -> None:
    everyone = User(username="all", roles=frozenset(set(Role) - {Role.SYSTEM}), organiser_id=LUDVIKA.organiser_id)
    for command, payload, on in (
        ("send-reminder", REMINDER, "2025-12-03"),
        ("mark-overdue", {"round": 1, "response_due": "2026-01-02"}, "2026-01-03"),
    ):
        assert refuse(ludvika(3), everyone, command, payload, on).code == "forbidden"


def test_a_decision_without_requirements_closes_the_case_when_signed() -> None:
    no_requirements = [{**a, "requirements": []} for a in DECISION_AREAS]
    state, _ = act(ludvika(1), MARTA, "draft-decision", {"areas": no_requirements, "response_due": None}, "2025-06-19")
    state, events = act(state, MALIN, "sign-decision", {"decided_on": "2025-06-26"}, "2025-06-26")
    assert [e.type for e in events] == ["DecisionSigned", "CaseClosed"]
    assert events[1].reason == "no_requirements"
    assert (state.status, state.closed_reason, state.round, state.response_due) == (
        CaseStatus.CLOSED,
        "no_requirements",
        0,
        None,
    )
    assert statuses(state) == {"analys": AreaStatus.NO_REQUIREMENTS, "kompensatoriskt": AreaStatus.NO_REQUIREMENTS}


def test_only_areas_with_requirements_enter_round_1() -> None:
    areas = [DECISION_AREAS[0], {**DECISION_AREAS[1], "requirements": []}]
    state, _ = act(ludvika(1), MARTA, "draft-decision", {"areas": areas, "response_due": "2026-01-02"}, "2025-06-19")
    state, events = act(state, MALIN, "sign-decision", {"decided_on": "2025-06-26"}, "2025-06-26")
    assert events[-1].areas == ("analys",)
    assert statuses(state) == {"analys": AreaStatus.OPEN, "kompensatoriskt": AreaStatus.NO_REQUIREMENTS}
    # the account covers the open area only; naming the other one is refused
    error = refuse(state, LUDVIKA_ORG, "draft-response", {"areas": ACCOUNT_AREAS}, "2025-12-15")
    assert (error.code, error.field) == ("invalid_state", "areas[1].code")
    state, _ = act(state, LUDVIKA_ORG, "draft-response", {"areas": ACCOUNT_AREAS[:1]}, "2025-12-15")
    assert state.response_draft is not None


def test_the_last_draft_of_the_account_counts_and_needs_a_new_approval() -> None:
    changed = [{**ACCOUNT_AREAS[0], "measures": "Nya mallar för kvalitetsrapporterna."}, ACCOUNT_AREAS[1]]
    state, _ = act(ludvika(5), LUDVIKA_ORG, "draft-response", {"areas": changed}, "2025-12-20")
    assert state.response_draft is not None and state.response_draft.areas[0].measures.startswith("Nya mallar")
    assert state.approval is None
    state, _ = act(state, LUDVIKA_ORG, "approve-response", {**APPROVAL, "decided_on": "2025-12-22"}, "2025-12-22")
    state, _ = act(state, LUDVIKA_ORG, "submit-response", {"submitted_on": "2025-12-30"}, "2025-12-30")
    assert state.status is CaseStatus.RESPONSE_RECEIVED


def test_round_2_of_trelleborg_can_close_the_case() -> None:
    state = at("Trelleborg, round 2 account received")
    payload = {
        "areas": [{"code": "kompensatoriskt", "outcome": "in_line", "motivation": "I linje."}],
        "next_response_due": None,
    }
    state, _ = act(state, MARTA, "draft-follow-up", payload, "2022-09-01")
    state, events = act(state, KIM, "sign-follow-up", {"decided_on": "2022-09-05"}, "2022-09-05")
    assert [e.type for e in events] == ["FollowUpSigned", "CaseClosed"]
    assert (events[0].round, events[0].drafted_by, events[0].actor.username) == (2, "marta.rivelis", "kim.beslut")
    assert statuses(state) == {"analys": AreaStatus.IN_LINE, "kompensatoriskt": AreaStatus.IN_LINE}
    assert state.status is CaseStatus.CLOSED


def test_every_event_is_dated_on_a_day_that_has_happened() -> None:
    for seed in (LUDVIKA, TRELLEBORG):
        for step, (_, events) in zip(seed.steps, replay(seed), strict=True):
            assert all(e.occurred_on <= step.on for e in events)
            assert all(isinstance(e.occurred_on, date) for e in events)
