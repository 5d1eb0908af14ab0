"""Letters of issue 17: the receipt goes to the sender and says what arrived; letters of round 2 and later cite
the follow-up decision that started the round; decisions name the review's kind and period."""

from __future__ import annotations

from admin.replay import seed_events
from admin.seeds import LUDVIKA, TRELLEBORG_ROUND_2
from domain import events as ev
from domain.notices import notices_for
from notices.letters import letter_for
from notices.render import render
from tests.unit.lifecycle import KIM, MARTA, TRELLEBORG_ORG, act, at

NAMES = {"malin.jern": "Malin Jern", "marta.rivelis": "Marta Rivelis", "kim.beslut": "Kim Beslut"}


def text_of(kind: str, events: list[ev.Event], seq: int, organiser: str = "Trelleborgs kommun") -> str:
    return render(letter_for(kind, events, seq, organiser, NAMES), "Ämne").text  # type: ignore[arg-type]


def test_the_round_2_receipt_acknowledges_the_account_to_its_sender() -> None:
    events = seed_events(TRELLEBORG_ROUND_2)
    seq = max(i for i, e in enumerate(events, start=1) if isinstance(e, ev.ResponseSubmitted))
    [notice] = notices_for(events[seq - 1], "2020:7120")
    assert (notice.kind.value, notice.recipient.value) == ("receipt", "organiser")
    text = text_of("receipt", events, seq)
    assert text.startswith("Mottagningsbekräftelse\nDnr 2020:7120\nTrelleborgs kommun")
    assert "Skolinspektionen har den 8 juni 2022 tagit emot er redovisning av vidtagna åtgärder" in text
    assert "(redovisningsomgång 2)" in text and "• Huvudmannens kompensatoriska arbete" in text
    assert "analys av studieresultat" not in text  # area 1 was closed in round 1


def test_a_round_2_follow_up_decision_cites_the_follow_up_decision_that_started_the_round() -> None:
    events = seed_events(TRELLEBORG_ROUND_2)
    state = at("Trelleborg, round 2 account received")
    areas = [{"code": "kompensatoriskt", "outcome": "in_line", "motivation": "Arbetet ligger nu i linje."}]
    state, drafted = act(state, MARTA, "draft-follow-up", {"areas": areas, "next_response_due": None}, "2022-09-01")
    _, signed = act(state, KIM, "sign-follow-up", {"decided_on": "2022-09-05"}, "2022-09-05")
    history = [*events, *drafted, *signed]
    text = text_of("follow_up_decision", history, len(events) + 2)
    assert "Skolinspektionen har genomfört en regelbunden kvalitetsgranskning av TRELLEBORGS KOMMUN." in text
    assert "angetts i beslut den 23 mars 2021" in text
    assert (
        "I uppföljningsbeslut den 23 december 2021 bedömde Skolinspektionen att ytterligare kvalitetshöjande "
        "åtgärder behövdes och begärde att huvudmannen senast den 30 juni 2022 skulle redovisa" in text
    )
    assert "Huvudmannen har inkommit med en sådan redovisning den 8 juni 2022." in text
    assert "Skolinspektionen avslutar granskningen." in text  # the closure is part of this decision
    assert not [n for e in signed for n in notices_for(e, "2020:7120") if n.kind.value == "closure"]


def test_a_round_2_reminder_cites_the_follow_up_decision() -> None:
    events = seed_events(TRELLEBORG_ROUND_2)[:-3]  # round 2 started, before its account
    started = events[-1]
    assert isinstance(started, ev.RoundStarted) and started.round == 2
    reminder = ev.ReminderSent(
        event_id="r2",
        case_id=started.case_id,
        occurred_on=started.response_due,
        actor={"username": "system", "role": "system"},  # type: ignore[arg-type]
        round=2,
        response_due=started.response_due,
        recipient="organiser",  # type: ignore[arg-type]
        days_before_due=7,
    )
    text = text_of("reminder", [*events, reminder], len(events) + 1)
    assert "enligt uppföljningsbeslut den 23 december 2021" in text
    assert TRELLEBORG_ORG.organiser_id  # the organiser the letter goes to


def test_a_decision_names_the_review_and_when_it_was_carried_out() -> None:
    events = seed_events(LUDVIKA)
    seq = next(i for i, e in enumerate(events, start=1) if isinstance(e, ev.DecisionSigned))
    text = text_of("decision", events, seq, "Ludvika kommun")
    assert (
        "Skolinspektionen har genomfört en planerad kvalitetsgranskning av LUDVIKA KOMMUN: Kvalitetsgranskning av "
        "Ludvika kommun, vårterminen 2025. Granskningen genomfördes under vårterminen 2025." in text
    )


def test_the_receipt_of_a_registered_account_names_its_sender_and_the_day_it_was_sent() -> None:
    registered = {
        "sent_on": "2025-12-29",
        "received_on": "2025-12-30",
        "sender": "Barn- och utbildningsförvaltningen",
        "attachments": ["a" * 64, "b" * 64],
    }
    registrar = MARTA
    events = seed_events(LUDVIKA)[:4]  # the decision signed, the round started
    _, produced = act(at("Ludvika, awaiting the account"), registrar, "register-response", registered, "2025-12-30")
    text = text_of("receipt", [*events, *produced], len(events) + 1, "Ludvika kommun")
    assert (
        "Skolinspektionen har den 30 december 2025 tagit emot er redovisning av vidtagna åtgärder från "
        "Barn- och utbildningsförvaltningen, avsänd den 29 december 2025. Redovisningen består av 2 filer." in text
    )
