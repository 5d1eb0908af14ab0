"""The child workflow that keeps one response round's deadline.

It sleeps until the next reminder or the overdue date, then tells its case workflow,
which records the fact (the case workflow is the only writer of the case's events).
The case moves the deadline (extension, supplement request), pauses it (account
received) or ends the round by signal.
"""

from __future__ import annotations

from datetime import date, datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.deadlines import next_alarm
    from workflows.models import AlarmFired, DeadlineChange, RoundInput


@workflow.defn
class ResponseRoundWorkflow:
    """Reminders before the due date, overdue after it, inspectorate reminders while overdue."""

    def __init__(self) -> None:
        self._due: date | None = None
        self._set_at: datetime | None = None
        self._fired: frozenset[str] = frozenset()
        self._changed = False
        self._ended = False
        self._input: RoundInput | None = None

    @workflow.run
    async def run(self, input: RoundInput) -> None:
        """Wait for alarms until the case ends the round."""
        self._input = input
        self._move(input.response_due)
        parent = workflow.get_external_workflow_handle(input.parent_workflow_id)
        while not self._ended:
            alarm = (
                next_alarm(input.round, self._due, input.policy, self._set_at, self._fired)
                if self._due is not None and self._set_at is not None
                else None
            )
            self._changed = False
            if alarm is None:
                await workflow.wait_condition(lambda: self._changed or self._ended)
                continue
            wait = (alarm.fires_at() - workflow.now()).total_seconds()
            if wait > 0:
                try:
                    await workflow.wait_condition(lambda: self._changed or self._ended, timeout=wait)
                    continue
                except TimeoutError:
                    pass
            self._fired = self._fired | {alarm.key}
            await parent.signal("alarm_fired", AlarmFired(alarm=alarm))

    @workflow.signal(name="deadline_changed")
    def deadline_changed(self, change: DeadlineChange) -> None:
        """The due date moved, or no account is awaited any more (None)."""
        self._move(change.response_due)

    @workflow.signal(name="end_round")
    def end_round(self) -> None:
        """The round is over: its follow-up was signed, or the case closed or was referred."""
        self._ended = True

    @workflow.query(name="next_alarm")
    def query_next_alarm(self) -> str | None:
        """When the next alarm fires (ISO time), for operators and tests."""
        if self._due is None or self._set_at is None or self._input is None:
            return None
        alarm = next_alarm(self._input.round, self._due, self._input.policy, self._set_at, self._fired)
        return alarm.fires_at().isoformat() if alarm else None

    def _move(self, response_due: date | None) -> None:
        # A new deadline period: alarms that passed before now are skipped (set_at), later ones are due
        # afresh even when the new due date equals an earlier one (a supplement requested for the same day).
        self._due = response_due
        self._set_at = workflow.now()
        self._fired = frozenset()
        self._changed = True
