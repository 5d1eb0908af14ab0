"""The audit activities: what Temporal sees when the store refuses (retry or not)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.audit import AuditActivities
from activities.models import RecordEvents
from admin.seeds import LUDVIKA
from store.embedded import PostgresUrls
from tests.integration.case_driver import register_people
from tests.integration.store_support import open_store, renamed, seed_batches

pytestmark = pytest.mark.integration


@pytest.fixture
async def activities(pg_urls: PostgresUrls) -> AsyncIterator[AuditActivities]:
    async with open_store(pg_urls) as store:
        await register_people(store.pool, LUDVIKA)  # the store records only actors its users table vouches for
        yield AuditActivities(store)


async def refusal(activities: AuditActivities, request: RecordEvents) -> ApplicationError:
    with pytest.raises(ApplicationError) as info:
        await ActivityEnvironment().run(activities.record_events, request)
    return info.value


async def test_record_then_read(activities: AuditActivities) -> None:
    env = ActivityEnvironment()
    batches = seed_batches(LUDVIKA)
    first = await env.run(
        activities.record_events, RecordEvents(case_id=LUDVIKA.case_id, expected_seq=0, events=batches[0])
    )
    stored = await activities.store.read(LUDVIKA.case_id)
    assert (first.last_seq, [e.type for e in stored]) == (1, ["CaseOpened"])
    assert [(r.event_id, r.seq, r.hash) for r in first.events] == [(e.event_id, e.seq, e.hash) for e in stored]
    again = await env.run(  # a retry: the same receipt, nothing recorded twice
        activities.record_events, RecordEvents(case_id=LUDVIKA.case_id, expected_seq=0, events=batches[0])
    )
    assert again == first and len(await activities.store.read(LUDVIKA.case_id)) == 1


async def test_domain_refusals_are_not_retried_and_a_stale_seq_is(activities: AuditActivities) -> None:
    batches = seed_batches(LUDVIKA)
    opened = RecordEvents(case_id=LUDVIKA.case_id, expected_seq=0, events=batches[0])
    await ActivityEnvironment().run(activities.record_events, opened)

    same_dnr = renamed(batches[:1], "another-case", "2025:1234")[0]
    error = await refusal(activities, RecordEvents(case_id="another-case", expected_seq=0, events=same_dnr))
    assert (error.type, error.non_retryable, error.details[0]["code"]) == ("DuplicateDnr", True, "conflict")

    changed = batches[0][0].model_copy(update={"title": "Another title"})
    error = await refusal(activities, RecordEvents(case_id=LUDVIKA.case_id, expected_seq=0, events=[changed]))
    assert (error.type, error.non_retryable) == ("EventConflict", True)

    error = await refusal(activities, RecordEvents(case_id=LUDVIKA.case_id, expected_seq=0, events=batches[1]))
    assert (error.type, error.non_retryable) == ("InvalidBatch", True)

    error = await refusal(activities, RecordEvents(case_id=LUDVIKA.case_id, expected_seq=5, events=batches[1]))
    assert (error.type, error.non_retryable) == ("ConcurrencyError", False)
