"""When a response round's reminders and overdue notices fall due.

A round has a due date. Before it, the organiser is reminded at configured offsets
(default 30 and 7 days before). The day after it, the account is overdue; from then on
the inspectorate is reminded every ``overdue_every_days`` days until a person acts.
Reminders whose time had already passed when the due date was set are skipped, never sent
in a burst; but a due date that has already passed when it is set (a decision registered
after the fact) makes the account overdue at once. Nothing escalates by itself.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from domain.values import Frozen

TIMEZONE = ZoneInfo("Europe/Stockholm")
"""Business dates are Swedish dates."""

DEFAULT_REMINDER_OFFSETS = (30, 7)
DEFAULT_OVERDUE_EVERY_DAYS = 30


class Alarm(Frozen):
    """One timed fact of a round: a reminder or the overdue notice."""

    round: int
    response_due: date
    kind: Literal["reminder", "overdue"]
    recipient: Literal["organiser", "inspectorate"]
    days_before_due: int
    """Positive: days left; 0 and negative: days past the due date."""

    @property
    def key(self) -> str:
        """Identifies the alarm within its round."""
        return f"{self.response_due.isoformat()}:{self.kind}:{self.recipient}:{self.days_before_due}"

    def fires_at(self) -> datetime:
        """Start of the Swedish business day the alarm falls on (an aware datetime)."""
        day = self.response_due - timedelta(days=self.days_before_due)
        return datetime.combine(day, time(0, 0), TIMEZONE)


class DeadlinePolicy(Frozen):
    """The configurable part: reminder offsets and the overdue repeat interval."""

    reminder_offsets_days: tuple[int, ...] = DEFAULT_REMINDER_OFFSETS
    overdue_every_days: int = DEFAULT_OVERDUE_EVERY_DAYS


def business_date(moment: datetime) -> date:
    """The Swedish calendar date of an aware moment."""
    return moment.astimezone(TIMEZONE).date()


def next_alarm(
    round: int, response_due: date, policy: DeadlinePolicy, set_at: datetime, fired: frozenset[str]
) -> Alarm | None:
    """The earliest alarm that has not fired and fell due after ``set_at`` (when the due date was set).

    Overdue reminders repeat without end, so the series is walked lazily.
    """
    candidates = [
        Alarm(round=round, response_due=response_due, kind="reminder", recipient="organiser", days_before_due=d)
        for d in sorted(policy.reminder_offsets_days, reverse=True)
        if d > 0
    ]
    candidates.append(
        Alarm(round=round, response_due=response_due, kind="overdue", recipient="inspectorate", days_before_due=-1)
    )
    for alarm in candidates:
        if alarm.key not in fired and (alarm.fires_at() > set_at or alarm.kind == "overdue"):
            return alarm
    overdue_day = -1
    step = max(policy.overdue_every_days, 1)
    k = 1
    while True:
        alarm = Alarm(
            round=round,
            response_due=response_due,
            kind="reminder",
            recipient="inspectorate",
            days_before_due=overdue_day - k * step,
        )
        if alarm.key not in fired and alarm.fires_at() > set_at:
            return alarm
        k += 1
