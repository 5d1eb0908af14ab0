"""The deadline clock of a response round, kept inside the case workflow: pure functions of its state.

A round has a due date; reminders fall due before it, the overdue notice after it and the
inspectorate's reminders while it stays overdue (``domain.deadlines.next_alarm``). Events of
the case move the clock: a new round starts it, an extension or a supplement request sets a
new due date (its reminders are due afresh), a received account pauses it, closing or
referring the case stops it. The workflow sleeps until the clock's next alarm and records
it as a command of the system user, so the domain's rules refuse a stale or repeated alarm.
"""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import events as ev
    from domain.commands import MarkOverdue, SendReminder
    from domain.deadlines import Alarm, DeadlinePolicy, next_alarm
    from workflows.models import DeadlineClock


def next_alarm_of(clock: DeadlineClock | None, policy: DeadlinePolicy) -> Alarm | None:
    """The clock's next alarm that has not fired, or None (no round, or no account awaited)."""
    if clock is None or clock.due is None:
        return None
    return next_alarm(clock.round, clock.due, policy, clock.set_at, frozenset(clock.fired))


def clock_after(clock: DeadlineClock | None, event: ev.Event, now: datetime) -> DeadlineClock | None:
    """The clock once ``event`` has happened (the same object when the event does not touch it)."""
    match event:
        case ev.RoundStarted():
            return DeadlineClock(round=event.round, due=event.response_due, set_at=now)
        case ev.SupplementRequested() | ev.DeadlineExtended() if clock is not None:
            return DeadlineClock(round=clock.round, due=event.response_due, set_at=now)
        case ev.ResponseSubmitted() if clock is not None:
            return DeadlineClock(round=clock.round, due=None, set_at=now)
        case ev.CaseClosed() | ev.CaseReferred():
            return None
    return clock


def is_current(clock: DeadlineClock | None, alarm: Alarm) -> bool:
    """Whether ``alarm`` still belongs to the clock (its due date has not moved) and has not fired."""
    return (
        clock is not None
        and (clock.round, clock.due) == (alarm.round, alarm.response_due)
        and alarm.key not in clock.fired
    )


def fired(clock: DeadlineClock, alarm: Alarm) -> DeadlineClock:
    """The clock with ``alarm`` marked as fired."""
    return clock.model_copy(update={"fired": (*clock.fired, alarm.key)})


def alarm_command(alarm: Alarm) -> SendReminder | MarkOverdue:
    """The system's command for an alarm; its request id names the alarm, so it is recorded at most once."""
    request_id = f"alarm:{alarm.round}:{alarm.key}"
    if alarm.kind == "overdue":
        return MarkOverdue(request_id=request_id, round=alarm.round, response_due=alarm.response_due)
    return SendReminder(
        request_id=request_id,
        round=alarm.round,
        response_due=alarm.response_due,
        recipient=alarm.recipient,
        days_before_due=alarm.days_before_due,
    )
