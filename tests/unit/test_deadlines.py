"""When reminders and the overdue notice fall due, and that a new deadline period reminds afresh."""

from __future__ import annotations

from datetime import date, datetime

from admin.replay import replay
from admin.seeds import LUDVIKA
from domain import SYSTEM_USER, decide, parse_command
from domain.deadlines import TIMEZONE, DeadlinePolicy, next_alarm
from domain.state import evolve

DUE = date(2026, 1, 2)


def alarms(set_at: datetime, count: int, policy: DeadlinePolicy | None = None) -> list[tuple[str, str, int]]:
    policy = policy or DeadlinePolicy()
    fired: frozenset[str] = frozenset()
    found = []
    for _ in range(count):
        alarm = next_alarm(1, DUE, policy, set_at, fired)
        assert alarm is not None
        found.append((alarm.kind, alarm.recipient, alarm.days_before_due))
        fired = fired | {alarm.key}
    return found


def test_reminders_before_overdue_after_and_the_inspectorate_every_30_days() -> None:
    assert alarms(datetime(2025, 6, 26, 12, tzinfo=TIMEZONE), 5) == [
        ("reminder", "organiser", 30),
        ("reminder", "organiser", 7),
        ("overdue", "inspectorate", -1),
        ("reminder", "inspectorate", -31),
        ("reminder", "inspectorate", -61),
    ]


def test_reminders_already_passed_when_the_round_starts_are_skipped_not_sent_in_a_burst() -> None:
    assert alarms(datetime(2025, 12, 20, 12, tzinfo=TIMEZONE), 2) == [
        ("reminder", "organiser", 7),
        ("overdue", "inspectorate", -1),
    ]


def test_offsets_are_configurable() -> None:
    policy = DeadlinePolicy(reminder_offsets_days=(14,), overdue_every_days=10)
    assert alarms(datetime(2025, 6, 26, tzinfo=TIMEZONE), 3, policy) == [
        ("reminder", "organiser", 14),
        ("overdue", "inspectorate", -1),
        ("reminder", "inspectorate", -11),
    ]


def test_a_supplement_due_on_an_earlier_due_date_is_reminded_again() -> None:
    states = [state for state, _ in replay(LUDVIKA)]
    awaiting, received = states[2], states[5]
    reminder = {
        "request_id": "r1",
        "round": 1,
        "response_due": "2026-01-02",
        "recipient": "organiser",
        "days_before_due": 7,
    }
    [sent] = decide(awaiting, parse_command("send-reminder", reminder), SYSTEM_USER, date(2025, 12, 26))
    assert sent.type == "ReminderSent"
    # the account came in; the inspector asks for a supplement due on the same day as before
    supplement = parse_command(
        "request-supplement", {"request_id": "s", "what": "Elevhälsan.", "response_due": "2026-01-02"}
    )
    state = received
    for event in decide(
        received.model_copy(update={"reminders_sent": ("1:2026-01-02:organiser:7",)}),
        supplement,
        LUDVIKA.users["marta.rivelis"],
        date(2025, 12, 30),
    ):
        state = evolve(state, event)
    again = decide(
        state, parse_command("send-reminder", {**reminder, "request_id": "r2"}), SYSTEM_USER, date(2025, 12, 31)
    )
    assert [e.type for e in again] == ["ReminderSent"]
