"""The log's checkpoints on a schedule: one long-lived workflow that signs and sends out a checkpoint
every few minutes and mails each new one to the witness.

Every ``every_minutes`` (a workflow timer) it runs ``publish_checkpoint``, which signs a checkpoint only
when the log grew since the latest (otherwise it answers the latest again), and then, for a checkpoint
larger than the last one mailed, ``mail_checkpoint``. A failure is logged and tried again at the next
turn; it never ends the workflow. One workflow per installation (:func:`checkpoint_workflow_id`, by task
queue): each worker starts it with signal-with-start (``reschedule``), so starting is idempotent and a
changed interval reaches the running workflow. It continues as new every :data:`TURNS_PER_RUN` turns,
carrying the interval and the size last mailed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.checkpoint_models import CheckpointMade, PublishCheckpoint, WitnessReceipt


def checkpoint_workflow_id(task_queue: str) -> str:
    """The id of the one checkpoint workflow of the installation whose workers poll ``task_queue``."""
    return f"audit-checkpoints-{task_queue}"


TURNS_PER_RUN = 500
"""Continue as new after this many turns (a turn adds about a dozen events to the history)."""
PUBLISH_TIMEOUT = timedelta(minutes=5)
"""Signing reads every leaf of the log once; minutes for millions of events."""
MAIL_TIMEOUT = timedelta(minutes=1)
RETRY = RetryPolicy(initial_interval=timedelta(seconds=2), maximum_interval=timedelta(minutes=1), maximum_attempts=5)


class CheckpointSchedule(BaseModel):
    """The workflow's input and what it carries across continue-as-new."""

    every_minutes: float = 10.0
    mailed_size: int = 0
    """The largest checkpoint mailed to the witness so far."""


class Reschedule(BaseModel):
    """A new interval (sent by every worker when it starts)."""

    every_minutes: float


@workflow.defn(name="CheckpointWorkflow")
class CheckpointWorkflow:
    """Checkpoints of the log every few minutes, for as long as the system runs."""

    @workflow.init
    def __init__(self, schedule: CheckpointSchedule) -> None:
        self.schedule = schedule
        self.rescheduled = False
        self.last: CheckpointMade | None = None

    @workflow.run
    async def run(self, schedule: CheckpointSchedule) -> None:
        """Publish, mail, wait; continue as new after :data:`TURNS_PER_RUN` turns."""
        for _ in range(TURNS_PER_RUN):
            await self.turn()
            await self.wait(workflow.now())
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(self.schedule)

    @workflow.signal(name="reschedule")
    def reschedule(self, change: Reschedule) -> None:
        """Use ``change.every_minutes`` from the next wait on (the current wait is measured anew)."""
        if change.every_minutes != self.schedule.every_minutes:
            self.schedule = self.schedule.model_copy(update={"every_minutes": change.every_minutes})
            self.rescheduled = True

    @workflow.query(name="status")
    def status(self) -> CheckpointSchedule:
        """The interval and the size last mailed."""
        return self.schedule

    @workflow.query(name="latest")
    def latest(self) -> CheckpointMade | None:
        """The checkpoint the last turn published (None before the first)."""
        return self.last

    async def turn(self) -> None:
        """One checkpoint: sign and send it out, then mail it when it is new to the witness."""
        try:
            self.last = await workflow.execute_activity(
                "publish_checkpoint",
                PublishCheckpoint(),
                result_type=CheckpointMade,
                start_to_close_timeout=PUBLISH_TIMEOUT,
                retry_policy=RETRY,
            )
        except ActivityError as error:
            workflow.logger.error("no checkpoint this turn: %s", error.cause or error)
            return
        if self.last.tree_size <= self.schedule.mailed_size:
            return
        try:
            await workflow.execute_activity(
                "mail_checkpoint",
                self.last,
                result_type=WitnessReceipt,
                start_to_close_timeout=MAIL_TIMEOUT,
                retry_policy=RETRY,
            )
        except ActivityError as error:
            workflow.logger.error("checkpoint not mailed, trying again next turn: %s", error.cause or error)
            return
        self.schedule = self.schedule.model_copy(update={"mailed_size": self.last.tree_size})

    async def wait(self, since: datetime) -> None:
        """Until ``every_minutes`` after ``since``; a reschedule measures the wait again with the new interval."""
        while True:
            self.rescheduled = False
            remaining = since + timedelta(minutes=self.schedule.every_minutes) - workflow.now()
            if remaining <= timedelta(0):
                return
            try:
                await workflow.wait_condition(lambda: self.rescheduled, timeout=remaining)
            except TimeoutError:
                return
