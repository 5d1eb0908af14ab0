"""Recording a case's events from its workflow: the audit-store activity, its timeouts and retries.

``record_events`` takes milliseconds, so its start-to-close timeout is seconds: a worker
killed mid-activity costs a command one short timeout and a short first retry, not 30 s
(issue 19). It is idempotent (deterministic event ids), so a retry after a timeout records
nothing twice. Its answer is a receipt — ids, seqs and hashes — not the events' data again.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.models import RecordEvents, RecordReceipt
    from domain import DomainError, Event

RECORD_TIMEOUT = timedelta(seconds=4)
RECORD_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=5),
    non_retryable_error_types=["EventConflict", "DuplicateDnr", "InvalidBatch"],
)


def refusal(error: DomainError) -> ApplicationError:
    """A domain refusal as the error the client receives: the English message, and as details its code,
    field, message key and parameters (the admin edge renders them in the caller's language)."""
    return ApplicationError(error.message, error.detail(), type="DomainError", non_retryable=True)


def recorded_otherwise(error: ActivityError) -> bool:
    """Whether the store refused the events because their ids are recorded with other content.

    Event ids derive from the request id, so this is a request id carried out long ago (older than
    the window), retried on another day or reused for another command: nothing is recorded again.
    """
    cause = error.cause
    return isinstance(cause, ApplicationError) and cause.type == "EventConflict"


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
        receipt = await workflow.execute_activity(
            "record_events",
            RecordEvents(case_id=self.case_id, expected_seq=expected_seq, events=events),
            result_type=RecordReceipt,
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
        )
        return not receipt.events or receipt.events[0].seq > expected_seq
