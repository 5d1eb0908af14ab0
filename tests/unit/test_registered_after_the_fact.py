"""A decision signed on paper earlier can be registered afterwards, with its own dates."""

from __future__ import annotations

from datetime import date, datetime

from admin.replay import replay
from admin.seeds import LUDVIKA
from domain import decide, parse_command
from domain.deadlines import TIMEZONE, DeadlinePolicy, next_alarm
from domain.state import evolve

MARTA, MALIN = LUDVIKA.users["marta.rivelis"], LUDVIKA.users["malin.jern"]


def test_a_decision_registered_after_its_due_date_starts_an_overdue_round() -> None:
    opened, _ = next(replay(LUDVIKA))
    today = date(2026, 3, 1)  # long after the decision (2025-06-26) and its due date (2026-01-02)
    draft = LUDVIKA.steps[1].payload
    [drafted] = decide(opened, parse_command("draft-decision", draft), MARTA, today)
    state = evolve(opened, drafted)
    events = decide(
        state, parse_command("sign-decision", {"request_id": "s", "decided_on": "2025-06-26"}), MALIN, today
    )
    assert [e.type for e in events] == ["DecisionSigned", "RoundStarted"]
    # the round's first alarm is the overdue notice, at once; the reminders that passed are skipped
    set_at = datetime(2026, 3, 1, 10, tzinfo=TIMEZONE)
    alarm = next_alarm(1, date(2026, 1, 2), DeadlinePolicy(), set_at, frozenset())
    assert alarm is not None and (alarm.kind, alarm.recipient) == ("overdue", "inspectorate")
    later = next_alarm(1, date(2026, 1, 2), DeadlinePolicy(), set_at, frozenset({alarm.key}))
    assert later is not None and later.fires_at() > set_at and later.days_before_due == -61
