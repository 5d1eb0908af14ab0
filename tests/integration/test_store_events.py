"""The event store on real PostgreSQL: appends, the read model, idempotency, conflicts and races."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from activities.models import RecordEvents
from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase
from domain import SYSTEM_USER, decide, fold
from domain.commands import SendReminder
from store.audit import verify
from store.errors import ConcurrencyError, DuplicateDnr, EventConflict, InvalidBatch
from store.events import EventStore
from tests.integration.store_support import append_all, open_store, renamed, seed_batches

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(pg_urls) -> AsyncIterator[EventStore]:  # type: ignore[no-untyped-def]
    async with open_store(pg_urls) as store:
        yield store


@pytest.mark.parametrize("seed", [LUDVIKA, TRELLEBORG], ids=["ludvika", "trelleborg"])
async def test_seed_case_read_model_equals_the_domain_fold(store: EventStore, seed: SeedCase) -> None:
    batches = seed_batches(seed)
    last = await append_all(store, seed.case_id, batches)
    expected = fold(e for batch in batches for e in batch)
    assert expected is not None and last == expected.version
    stored = await store.read(seed.case_id)
    assert [e.seq for e in stored] == list(range(1, last + 1))
    assert [e.event_id for e in stored] == [e.event_id for batch in batches for e in batch]
    case = await store.pool.fetchrow("SELECT * FROM cases WHERE case_id = $1", seed.case_id)
    assert (case["state"], case["round"], case["response_due"], case["overdue"], case["last_seq"]) == (
        expected.status.value,
        expected.round,
        expected.response_due,
        expected.overdue,
        last,
    )
    assert case["updated_at"] == stored[-1].recorded_at
    areas = await store.pool.fetch(
        "SELECT code, status FROM case_areas WHERE case_id = $1 ORDER BY position", seed.case_id
    )
    assert [(a["code"], a["status"]) for a in areas] == [(a.code, a.status.value) for a in expected.areas]
    rebuilt = fold(e.domain_event() for e in stored)
    assert rebuilt == expected
    assert (await verify(store.pool)).ok


async def test_notices_are_written_with_their_events(store: EventStore) -> None:
    await append_all(store, TRELLEBORG.case_id, seed_batches(TRELLEBORG))
    rows = await store.pool.fetch(
        "SELECT n.kind, n.recipient, n.subject, n.status, n.attempts, n.sent_at, n.created_at = e.recorded_at AS same"
        " FROM notices n JOIN events e USING (case_id, seq) ORDER BY n.seq"
    )
    assert [(r["kind"], r["recipient"]) for r in rows] == [
        ("decision", "organiser"),
        ("receipt", "organiser"),  # the acknowledgement goes to the account's sender
        ("follow_up_decision", "organiser"),
    ]
    assert rows[0]["subject"] == "Beslut i kvalitetsgranskning, Dnr 2020:7120"
    assert all(r["status"] == "pending" and r["attempts"] == 0 and r["sent_at"] is None and r["same"] for r in rows)


async def test_a_retried_batch_is_stored_once_with_the_same_answer(store: EventStore) -> None:
    batches = seed_batches(LUDVIKA)
    await append_all(store, LUDVIKA.case_id, batches[:2])
    request = RecordEvents(case_id=LUDVIKA.case_id, expected_seq=2, events=batches[2])
    first = await store.append(request)
    again = await store.append(request)
    assert again == first
    assert len(await store.read(LUDVIKA.case_id)) == 2 + len(batches[2])
    assert await store.pool.fetchval("SELECT count(*) FROM notices") == 1


async def test_same_event_id_with_other_content_is_a_conflict_and_records_nothing(store: EventStore) -> None:
    batches = seed_batches(LUDVIKA)
    await append_all(store, LUDVIKA.case_id, batches[:2])
    before = await store.read(LUDVIKA.case_id)
    drafted = batches[1][0]
    changed = drafted.model_copy(update={"response_due": drafted.response_due.replace(year=2027)})  # type: ignore[union-attr]
    with pytest.raises(EventConflict) as info:
        await store.append(RecordEvents(case_id=LUDVIKA.case_id, expected_seq=1, events=[changed]))
    assert info.value.event_id == drafted.event_id
    # Part of a batch already recorded, part new: also a conflict, and nothing is written.
    for mixed in ([drafted, *batches[2]], [*batches[2], drafted]):
        with pytest.raises(EventConflict):
            await store.append(RecordEvents(case_id=LUDVIKA.case_id, expected_seq=2, events=mixed))
    # An event id another case already used.
    with pytest.raises(EventConflict):
        await store.append(
            RecordEvents(
                case_id="other", expected_seq=0, events=[batches[0][0].model_copy(update={"case_id": "other"})]
            )
        )
    assert await store.read(LUDVIKA.case_id) == before
    assert await store.pool.fetchval("SELECT count(*) FROM cases") == 1


async def test_a_stale_expected_seq_is_a_concurrency_error(store: EventStore) -> None:
    batches = seed_batches(LUDVIKA)
    await append_all(store, LUDVIKA.case_id, batches[:2])
    with pytest.raises(ConcurrencyError) as info:
        await store.append(RecordEvents(case_id=LUDVIKA.case_id, expected_seq=1, events=batches[2]))
    assert (info.value.expected_seq, info.value.actual_seq) == (1, 2)
    assert await store.last_seq(LUDVIKA.case_id) == 2


async def test_a_duplicate_dnr_records_nothing(store: EventStore) -> None:
    await append_all(store, LUDVIKA.case_id, seed_batches(LUDVIKA)[:1])
    other = renamed(seed_batches(LUDVIKA)[:1], "other-case", " 2025:1234 ")  # same Dnr, other blanks
    with pytest.raises(DuplicateDnr):
        await append_all(store, "other-case", other)
    assert await store.read("other-case") == []
    assert await store.pool.fetchval("SELECT count(*) FROM cases") == 1


async def test_malformed_batches_are_refused(store: EventStore) -> None:
    batches = seed_batches(LUDVIKA)
    with pytest.raises(InvalidBatch):  # the first event of a case must open it
        await store.append(RecordEvents(case_id=LUDVIKA.case_id, expected_seq=0, events=batches[1]))
    with pytest.raises(InvalidBatch):  # an event of another case
        await store.append(RecordEvents(case_id="someone-else", expected_seq=0, events=batches[0]))
    assert await store.pool.fetchval("SELECT count(*) FROM events") == 0


async def test_twenty_racing_writers_leave_no_gap_and_no_fork(store: EventStore) -> None:
    batches = seed_batches(LUDVIKA)
    await append_all(store, LUDVIKA.case_id, batches[:3])  # decision signed: awaiting the account
    opened = fold(e for batch in batches[:3] for e in batch)
    assert opened is not None
    retries = 0

    async def writer(n: int) -> None:
        nonlocal retries
        command = SendReminder(
            request_id=f"writer-{n}",
            round=opened.round,
            response_due=opened.response_due,
            recipient="organiser",
            days_before_due=n + 1,
        )  # type: ignore[arg-type]
        while True:
            stored = await store.read(LUDVIKA.case_id)
            state = fold(e.domain_event() for e in stored)
            assert state is not None
            events = decide(state, command, SYSTEM_USER, opened.decided_on)  # type: ignore[arg-type]
            try:
                await store.append(RecordEvents(case_id=LUDVIKA.case_id, expected_seq=len(stored), events=events))
                return
            except ConcurrencyError:
                retries += 1

    await asyncio.gather(*(writer(n) for n in range(20)))
    stored = await store.read(LUDVIKA.case_id)
    assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert sorted(e.data["days_before_due"] for e in stored if e.type == "ReminderSent") == list(range(1, 21))
    assert [e.prev_hash for e in stored[1:]] == [e.hash for e in stored[:-1]]
    report = await verify(store.pool)
    assert report.ok and report.events_checked == len(stored)
    assert retries > 0, "the writers did not actually race"
    case = await store.pool.fetchrow("SELECT last_seq, snapshot FROM cases WHERE case_id = $1", LUDVIKA.case_id)
    assert case["last_seq"] == len(stored)
    assert len(json.loads(case["snapshot"])["reminders_sent"]) == 20


async def test_stream_yields_every_event_in_case_order(store: EventStore) -> None:
    for seed in (TRELLEBORG, LUDVIKA):
        await append_all(store, seed.case_id, seed_batches(seed))
    streamed = [e async for e in store.stream(batch_size=3)]
    assert [(e.case_id, e.seq) for e in streamed] == sorted((e.case_id, e.seq) for e in streamed)
    assert streamed == await store.read(LUDVIKA.case_id) + await store.read(TRELLEBORG.case_id)
    by_position = [e async for e in store.stream(order="position", batch_size=4)]
    assert [e.case_id for e in by_position[:2]] == [TRELLEBORG.case_id] * 2
