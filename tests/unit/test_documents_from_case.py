"""A document's input is built from the case's events just before its signing command: the seeds as told."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from admin.replay import replay
from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase
from documents.from_case import Signing, decision_input, follow_up_input, referral_input
from documents.models import Organiser
from documents.render import render_pdf
from domain import Event
from domain.values import Outcome
from tests.unit.documents_support import FULL_NAMES, ludvika_decision, ludvika_follow_up
from tests.unit.test_documents_render import flat, text_lines

AT = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)


def events_before(seed: SeedCase, command: str, occurrence: int = 1) -> tuple[list[Event], date, str]:
    """The seed's events before its ``occurrence``-th ``command``, with that command's date and signer."""
    events: list[Event] = []
    seen = 0
    for step, (_, produced) in zip(seed.steps, replay(seed), strict=True):
        if step.command == command:
            seen += 1
            if seen == occurrence:
                return events, date.fromisoformat(step.payload.get("decided_on", step.on.isoformat())), step.username
        events += produced
    raise AssertionError(f"{seed.case_id} has no {command} number {occurrence}")


def organiser(seed: SeedCase) -> Organiser:
    return Organiser(name=seed.organiser_name, organisation_number=seed.organiser_id)


def test_the_decision_input_is_the_signed_draft_of_the_case() -> None:
    events, decided_on, signer = events_before(LUDVIKA, "sign-decision")
    signing = Signing(decided_on=decided_on, signed_by=signer, issued_at=ludvika_decision().issued_at)
    built = decision_input(events, signing, organiser(LUDVIKA), FULL_NAMES)
    assert built == ludvika_decision()  # the review's kind and period are the case's, as seed 003 gives them


def test_the_follow_up_input_judges_the_received_account() -> None:
    events, decided_on, signer = events_before(LUDVIKA, "sign-follow-up")
    signing = Signing(decided_on=decided_on, signed_by=signer, issued_at=ludvika_follow_up().issued_at)
    built = follow_up_input(events, signing, organiser(LUDVIKA), FULL_NAMES)
    assert built == ludvika_follow_up()  # seed 003's motivations, word for word, replayed by admin/seeds.py
    assert built.closes_case and built.received_on == date(2025, 12, 30) and built.response_due == date(2026, 1, 2)
    assert "Skolinspektionen avslutar granskningen." in flat(text_lines(render_pdf(built)))


def test_trelleborg_keeps_area_two_open_and_asks_for_a_new_account() -> None:
    events, decided_on, signer = events_before(TRELLEBORG, "sign-follow-up")
    signing = Signing(decided_on=decided_on, signed_by=signer, issued_at=AT)
    built = follow_up_input(events, signing, organiser(TRELLEBORG), {})
    assert [a.outcome for a in built.areas] == [Outcome.IN_LINE, Outcome.FURTHER_MEASURES_REQUIRED]
    assert built.next_response_due == date(2022, 6, 30) and not built.closes_case
    assert (built.round, built.previous_follow_up_on, built.first_decided_on) == (1, None, date(2021, 3, 23))
    assert (built.decision_maker, built.drafter) == ("malin.jern", "marta.rivelis")  # no full name known


def test_a_referral_names_the_open_areas() -> None:
    events, _, _ = events_before(TRELLEBORG, "draft-response")  # the account never came
    signing = Signing(decided_on=date(2021, 11, 1), signed_by="malin.jern", issued_at=AT)
    built = referral_input(events, signing, organiser(TRELLEBORG), FULL_NAMES, "Ingen redovisning.", "2021:9999")
    assert [a.code for a in built.areas] == ["analys", "kompensatoriskt"]
    assert built.response_due == date(2021, 9, 30) and built.decision_maker == "Malin Jern"


def test_without_a_draft_there_is_nothing_to_sign() -> None:
    events, decided_on, signer = events_before(LUDVIKA, "draft-decision")
    with pytest.raises(ValueError, match="no decision draft"):
        decision_input(
            events, Signing(decided_on=decided_on, signed_by="malin.jern", issued_at=AT), organiser(LUDVIKA), {}
        )
