"""The floor for ``bench/lifecycle.py``: a bare Temporal workflow doing what a case does, minus the case.

One workflow per "case": it starts, takes ``steps`` Updates, each running one no-op activity
(as each command records its events through one activity), and ends after the last. It has
no rules, no store, no view and no timers: what it costs is what Temporal itself costs.
Kept in its own module with nothing but temporalio imported, so the workflow sandbox loads it
as it loads the project's workflows.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow

STEP_TIMEOUT = timedelta(seconds=10)


@activity.defn(name="bare_noop")
async def noop(step: int) -> int:
    """Does nothing: the activity round trip alone."""
    return step


@workflow.defn(name="BareLifecycle")
class BareLifecycle:
    """Takes ``steps`` Updates, each through one no-op activity, then ends."""

    def __init__(self) -> None:
        self.done = 0

    @workflow.run
    async def run(self, steps: int) -> int:
        """Wait until every step has been taken."""
        await workflow.wait_condition(lambda: self.done >= steps and workflow.all_handlers_finished())
        return self.done

    @workflow.update
    async def step(self, step: int) -> int:
        """One step: the no-op activity, then the number of steps taken."""
        await workflow.execute_activity(noop, step, start_to_close_timeout=STEP_TIMEOUT)
        self.done += 1
        return self.done
