"""The audit-store activity: record a command's events, answer with a receipt (ids, seqs, hashes).

It is idempotent. Before appending, the users table must vouch for every actor of the batch
(``store.actors``). A refusal for a domain reason (an event id reused with other content, a Dnr
already taken, a malformed batch, an actor the users table does not vouch for) fails without
retries; a stale ``expected_seq`` and lost connections are retried by Temporal.
"""

from __future__ import annotations

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.models import RecordEvents, RecordReceipt
from store.actors import ActorNotAllowed, check_actors
from store.errors import ConcurrencyError, DuplicateDnr, EventConflict, InvalidBatch
from store.events import EventStore


class AuditActivities:
    """Activities over one :class:`EventStore` (register the bound methods with the worker)."""

    def __init__(self, store: EventStore) -> None:
        self.store = store

    @activity.defn(name="record_events")
    async def record_events(self, request: RecordEvents) -> RecordReceipt:
        """Append the events to the case; a retry answers with where the stored events stand."""
        try:
            await check_actors(self.store.pool, request)  # the users table vouches for each actor (issue 14)
            recorded = await self.store.append(request)
            activity.logger.info(
                "events recorded: %s",
                ", ".join(e.type for e in recorded.events),
                extra={"case_id": request.case_id, "last_seq": recorded.last_seq},
            )
            return RecordReceipt.of(recorded)
        except DuplicateDnr as error:
            raise ApplicationError(
                str(error), {"code": "conflict", "field": "dnr"}, type="DuplicateDnr", non_retryable=True
            ) from error
        except EventConflict as error:
            raise ApplicationError(
                str(error),
                {"code": "conflict", "field": None, "event_id": error.event_id},
                type="EventConflict",
                non_retryable=True,
            ) from error
        except InvalidBatch as error:
            raise ApplicationError(str(error), type="InvalidBatch", non_retryable=True) from error
        except ActorNotAllowed as error:
            activity.logger.warning("record_events: %s", error, extra={"case_id": request.case_id})
            raise ApplicationError(
                str(error), {"code": "forbidden", "field": None}, type="ActorNotAllowed", non_retryable=True
            ) from error
        except ConcurrencyError as error:
            activity.logger.warning("record_events: %s", error)
            raise ApplicationError(
                str(error),
                {"expected_seq": error.expected_seq, "actual_seq": error.actual_seq},
                type="ConcurrencyError",
            ) from error
