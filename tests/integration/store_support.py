"""Helpers for the audit-store tests: a migrated store on a fresh database, seed cases as batches."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest

from activities.models import RecordEvents
from admin.replay import replay
from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase
from domain import Event
from store.embedded import PostgresUrls
from store.events import EventStore
from store.migrate import migrate


@asynccontextmanager
async def open_store(urls: PostgresUrls) -> AsyncIterator[EventStore]:
    """Migrate the database and yield a store on a pool of the application role."""
    await migrate(urls.owner_url, urls.app_url)
    pool = await asyncpg.create_pool(urls.app_url, min_size=1, max_size=25)
    try:
        yield EventStore(pool)
    finally:
        await pool.close()


def seed_batches(seed: SeedCase) -> list[list[Event]]:
    """The seed's events grouped as its commands produced them."""
    return [events for _, events in replay(seed)]


def renamed(batches: list[list[Event]], case_id: str, dnr: str) -> list[list[Event]]:
    """The same batches as a new case: new case id, new event ids, new Dnr."""

    def copy(event: Event) -> Event:
        update: dict[str, object] = {"case_id": case_id, "event_id": str(uuid.uuid4())}
        if event.type == "CaseOpened":
            update["dnr"] = dnr
        return event.model_copy(update=update)

    return [[copy(e) for e in batch] for batch in batches]


async def append_all(store: EventStore, case_id: str, batches: list[list[Event]]) -> int:
    """Append the batches in order; the case's last seq afterwards."""
    seq = 0
    for batch in batches:
        recorded = await store.append(RecordEvents(case_id=case_id, expected_seq=seq, events=batch))
        seq = recorded.last_seq
    return seq


@pytest.fixture
async def seeded_store(pg_urls: PostgresUrls) -> AsyncIterator[EventStore]:
    """A migrated store holding both seed cases."""
    async with open_store(pg_urls) as store:
        for seed in (LUDVIKA, TRELLEBORG):
            await append_all(store, seed.case_id, seed_batches(seed))
        yield store
