"""Recording a case's events from its workflow: the audit-store activity, its timeouts and retries.

``record_events`` takes milliseconds, so its start-to-close timeout is seconds: a worker
killed mid-activity costs a command one short timeout and a short first retry, not 30 s
(issue 19). It is idempotent (deterministic event ids), so a retry after a timeout records
nothing twice. Its answer is a receipt — ids, seqs and hashes — not the events' data again.

From patch ``local-activities`` on, it runs as a *local* activity: in the worker that runs the
case, inside the same workflow task, with its result kept as a marker in the history. A command
then costs one workflow task instead of three and no activity task on the server (issue 13). A
worker that dies mid-way leaves no marker, so the next worker runs it again, which the ids make
harmless. Runs whose history predates the patch keep the activity as they recorded it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.models import RecordEvents, RecordReceipt
    from domain import DomainError, Event

LOCAL_ACTIVITIES = "local-activities"
"""Patch: from this release on, the store's activities on a command's path run as local activities."""
T = TypeVar("T")
RECORD_TIMEOUT = timedelta(seconds=4)
RECORD_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=5),
    non_retryable_error_types=["EventConflict", "DuplicateDnr", "InvalidBatch"],
)


async def on_the_command_path(
    name: str, arg: object, result_type: type[T], timeout: timedelta, retry: RetryPolicy
) -> T:
    """Run activity ``name`` for a command: a local activity from patch ``local-activities`` on, and the regular
    activity in a run that recorded it so before the patch."""
    if workflow.patched(LOCAL_ACTIVITIES):
        return await workflow.execute_local_activity(
            name, arg, result_type=result_type, start_to_close_timeout=timeout, retry_policy=retry
        )
    return await workflow.execute_activity(
        name, arg, result_type=result_type, start_to_close_timeout=timeout, retry_policy=retry
    )


def refusal(error: DomainError) -> ApplicationError:
    """A domain refusal as the error the client receives: the English message, and as details its code,
    field, message key and parameters (the admin edge renders them in the caller's language)."""
    return ApplicationError(error.message, error.detail(), type="DomainError", non_retryable=True)


ACTIVITY_FAILURES = (ActivityError, ApplicationError)
"""What a failed activity raises in the workflow: ``ActivityError`` for a regular activity, and for a
local activity an ``ApplicationError`` whose cause is the activity's own error."""


def activity_refusal(error: ActivityError | ApplicationError) -> ApplicationError:
    """The activity's own error (e.g. the store's ``DuplicateDnr``) behind ``error``, regular or local.

    It is the first ``ApplicationError`` of the chain: a regular activity's ``ActivityError`` has it as its
    cause, a local activity raises it directly; its own causes are what the activity caught.
    """
    cause: BaseException | None = error
    while isinstance(cause, ActivityError):
        cause = cause.cause
    return cause if isinstance(cause, ApplicationError) else ApplicationError(str(error))


def recorded_otherwise(error: ActivityError | ApplicationError) -> bool:
    """Whether the store refused the events because their ids are recorded with other content.

    Event ids derive from the request id, so this is a request id carried out long ago (older than
    the window), retried on another day or reused for another command: nothing is recorded again.
    """
    return activity_refusal(error).type == "EventConflict"


class Recorder:
    """Records one case's events through the ``record_events`` activity."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id

    async def record(self, expected_seq: int, events: list[Event]) -> bool:
        """Make ``events`` durable after seq ``expected_seq``; False when the store already held them.

        The store answers a batch it already holds (same event ids, same content) with where those
        events stand, which is before ``expected_seq`` when they were recorded by an earlier command
        with the same request id: then nothing is new and the workflow must not apply them again.
        """
        batch = RecordEvents(case_id=self.case_id, expected_seq=expected_seq, events=events)
        receipt = await on_the_command_path("record_events", batch, RecordReceipt, RECORD_TIMEOUT, RECORD_RETRY)
        return not receipt.events or receipt.events[0].seq > expected_seq
