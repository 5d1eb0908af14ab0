"""Every notice kind rendered for both seed cases, and the Ludvika follow-up decision word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

from admin.replay import seed_events
from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase
from domain import events as ev
from domain.notices import notices_for
from notices.letters import letter_for
from notices.render import render, sv_date

GOLDEN = Path(__file__).parent.parent / "golden"
NAMES = {"malin.jern": "Malin Jern", "marta.rivelis": "Marta Rivelis"}


def with_timer_events(seed: SeedCase) -> list[ev.Event]:
    """The seed's events plus a reminder, an overdue fact and a referral, so every kind has a cause."""
    events = seed_events(seed)
    started = next(e for e in events if isinstance(e, ev.RoundStarted))
    system = {"case_id": seed.case_id, "actor": {"username": "system", "role": "system"}}
    extra: list[ev.Event] = [
        ev.ReminderSent(
            event_id="r",
            occurred_on=started.response_due,
            round=1,
            response_due=started.response_due,
            recipient="organiser",
            days_before_due=7,
            **system,
        ),
        ev.ResponseOverdue(
            event_id="o", occurred_on=started.response_due, round=1, response_due=started.response_due, **system
        ),
        ev.CaseReferred(
            event_id="x",
            occurred_on=started.response_due,
            reason="Redovisningen har inte inkommit.",
            decided_on=started.response_due,
            reference="2026:99",
            case_id=seed.case_id,
            actor={"username": "malin.jern", "role": "decision_maker"},
        ),
    ]
    return events[:4] + extra + events[4:]


@pytest.mark.parametrize("seed", [LUDVIKA, TRELLEBORG], ids=["ludvika", "trelleborg"])
def test_every_notice_kind_renders_for_the_seed(seed: SeedCase) -> None:
    events = with_timer_events(seed)
    kinds: set[str] = set()
    for seq, event in enumerate(events, start=1):
        for notice in notices_for(event, "2020:7120"):
            letter = letter_for(notice.kind.value, events, seq, seed.organiser_name, NAMES)
            rendered = render(letter, notice.subject)
            kinds.add(notice.kind.value)
            assert rendered.subject == notice.subject
            assert seed.organiser_name in rendered.text
            assert "(datum saknas)" not in rendered.text, (notice.kind, rendered.text)
            assert "<script" not in rendered.html and rendered.html.startswith("<!DOCTYPE html>")
    assert kinds >= {"decision", "reminder", "overdue", "receipt", "follow_up_decision", "referral"}
    assert "closure" not in kinds  # the closing decision itself tells the case is closed: no second letter


def test_the_ludvika_follow_up_decision_matches_the_golden_text() -> None:
    events = seed_events(LUDVIKA)
    seq = next(i for i, e in enumerate(events, start=1) if isinstance(e, ev.FollowUpSigned))
    rendered = render(letter_for("follow_up_decision", events, seq, "Ludvika kommun", NAMES), "Uppföljningsbeslut")
    golden = GOLDEN / "ludvika_follow_up_decision.txt"
    assert rendered.text == golden.read_text(encoding="utf-8")
    for expected in (
        "26 juni 2025",
        "2 januari 2026",
        "30 december 2025",
        "Skolinspektionen avslutar granskningen.",
        "Malin Jern\nBeslutsfattare",
        "Marta Rivelis\nFöredragande",
    ):
        assert expected in rendered.text


def test_html_is_escaped() -> None:
    events = seed_events(TRELLEBORG)
    hostile = events[0].model_copy(update={"title": "<script>alert(1)</script>"})
    letter = letter_for("decision", [hostile, *events[1:]], 3, "Trelleborgs <b>kommun</b>", NAMES)
    html = render(letter, "Beslut").html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


def test_swedish_dates() -> None:
    from datetime import date

    assert sv_date(date(2026, 1, 2)) == "2 januari 2026"
    assert sv_date(date(2021, 9, 15)) == "15 september 2021"
