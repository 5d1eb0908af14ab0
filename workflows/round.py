"""The child workflow that kept one response round's deadline, for rounds started by earlier releases.

New rounds keep their clock inside the case workflow (``workflows/clock.py``); this child is
still registered so that rounds already running go on, and old case runs replaying their
history still start it. It sleeps until the next reminder or the overdue date, then tells
its case workflow, which records the fact (the case workflow is the only writer of the
case's events). The case moves the deadline (extension, supplement request), pauses it
(account received) or ends the round by signal. A long round continues as new, carrying
only its deadline (``RoundCarried``), so its history stays short however often it moves.
"""

from __future__ import annotations

from datetime import date, datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.deadlines import next_alarm
    from workflows.models import AlarmFired, DeadlineChange, RoundCarried, RoundInput

ROUND_CONTINUES_AS_NEW = "round-continues-as-new"
"""Patch: a round continues as new; a run that passed its limit before this release keeps its history."""
CHANGES_PER_RUN = 200
"""Deadline changes per run before the round continues as new (~6 history events each)."""


@workflow.defn
class ResponseRoundWorkflow:
    """Reminders before the due date, overdue after it, inspectorate reminders while overdue."""

    @workflow.init
    def __init__(self, input: RoundInput) -> None:
        self._input = input
        carried = input.carried
        self._due: date | None = carried.due if carried else input.response_due
        self._set_at: datetime = carried.set_at if carried else workflow.now()
        self._fired: frozenset[str] = frozenset(carried.fired) if carried else frozenset()
        self._ended = False
        self._changed = False
        self._changes = 0

    @workflow.run
    async def run(self, input: RoundInput) -> None:
        """Wait for alarms until the case ends the round."""
        parent = workflow.get_external_workflow_handle(input.parent_workflow_id)
        while not self._ended:
            if self._should_continue_as_new():  # the signal handlers are synchronous: none is half done
                carried = RoundCarried(due=self._due, set_at=self._set_at, fired=tuple(sorted(self._fired)))
                workflow.continue_as_new(input.model_copy(update={"carried": carried}))
            alarm = next_alarm(input.round, self._due, input.policy, self._set_at, self._fired) if self._due else None
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
        # A new deadline period: alarms that passed before now are skipped (set_at), later ones are due
        # afresh even when the new due date equals an earlier one (a supplement requested for the same day).
        self._due = change.response_due
        self._set_at = workflow.now()
        self._fired = frozenset()
        self._changed = True
        self._changes += 1

    @workflow.signal(name="end_round")
    def end_round(self) -> None:
        """The round is over: its follow-up was signed, or the case closed or was referred."""
        self._ended = True

    @workflow.query(name="next_alarm")
    def query_next_alarm(self) -> str | None:
        """When the next alarm fires (ISO time), for operators and tests."""
        if self._due is None:
            return None
        alarm = next_alarm(self._input.round, self._due, self._input.policy, self._set_at, self._fired)
        return alarm.fires_at().isoformat() if alarm else None

    def _should_continue_as_new(self) -> bool:
        limit = self._input.continue_as_new_after or CHANGES_PER_RUN
        if self._changes < limit and not workflow.info().is_continue_as_new_suggested():
            return False
        return workflow.patched(ROUND_CONTINUES_AS_NEW)
