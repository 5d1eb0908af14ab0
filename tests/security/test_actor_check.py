"""Issue 14, row 1: before events are appended, the users table must vouch for their actor.

Real PostgreSQL with the Ludvika case recorded up to its decision. Each row of ROWS is the
case's next real event (the organiser's draft of its account) with another actor put on it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from activities.models import RecordEvents
from admin.seeds import LUDVIKA
from domain import Event
from domain.actors import ActorRef, Role
from domain.organisers import Organiser
from store import organisers, users
from store.actors import ActorNotAllowed, check_actors
from store.embedded import PostgresUrls
from store.events import EventStore
from tests.integration.store_support import append_all, open_store, seed_batches

OTHER = Organiser(organiser_id="999999-0000", name="Annan kommun", email="post@annan.example")


@pytest.fixture
async def recorded(pg_urls: PostgresUrls) -> AsyncIterator[tuple[EventStore, list[Event]]]:
    """The Ludvika case recorded through its signed decision; its next batch (by the organiser) not yet."""
    async with open_store(pg_urls) as store:
        pool: asyncpg.Pool = store.pool
        for organiser in (Organiser(organiser_id=LUDVIKA.organiser_id, name="Ludvika", email="a@b.example"), OTHER):
            await organisers.save(pool, organiser)
        for user in LUDVIKA.users.values():
            await users.create(pool, user.username, "x", [r.value for r in user.roles], user.organiser_id, None)
        await users.create(pool, "other.org", "x", ["organiser"], OTHER.organiser_id, None)
        await users.create(pool, "gone", "x", ["organiser"], LUDVIKA.organiser_id, None)
        await pool.execute("UPDATE users SET active = false WHERE username = 'gone'")
        batches = seed_batches(LUDVIKA)
        drafted = next(i for i, b in enumerate(batches) if b[0].type == "ResponseDrafted")
        await append_all(store, LUDVIKA.case_id, batches[:drafted])
        yield store, batches[drafted]


def acted_by(batch: list[Event], username: str, role: Role) -> RecordEvents:
    events = [
        e.model_copy(update={"actor": ActorRef(username=username, role=role), "event_id": str(uuid.uuid4())})
        for e in batch
    ]
    return RecordEvents(case_id=LUDVIKA.case_id, expected_seq=0, events=events)


ROWS = [
    ("ghost", Role.ORGANISER, "there is no such user"),
    ("gone", Role.ORGANISER, "the user is deactivated"),
    ("marta.rivelis", Role.DECISION_MAKER, "does not hold the role decision_maker"),
    ("ludvika.forvaltning", Role.INSPECTOR, "does not hold the role inspector"),
    ("other.org", Role.ORGANISER, "does not belong to the case's organiser"),
    ("ghost", Role.SYSTEM, "only the workflow itself acts as system"),
]


@pytest.mark.parametrize(("username", "role", "reason"), ROWS, ids=[f"{u} as {r.value}" for u, r, _ in ROWS])
async def test_an_actor_the_users_table_does_not_vouch_for_is_refused(
    recorded: tuple[EventStore, list[Event]], username: str, role: Role, reason: str
) -> None:
    store, batch = recorded
    with pytest.raises(ActorNotAllowed, match=reason) as refused:
        await check_actors(store.pool, acted_by(batch, username, role))
    assert refused.value.retryable is False


@pytest.mark.parametrize(
    ("username", "role"),
    [("ludvika.forvaltning", Role.ORGANISER), ("marta.rivelis", Role.INSPECTOR), ("system", Role.SYSTEM)],
)
async def test_an_active_user_in_a_role_it_holds_passes(
    recorded: tuple[EventStore, list[Event]], username: str, role: Role
) -> None:
    store, batch = recorded
    await check_actors(store.pool, acted_by(batch, username, role))


async def test_a_new_case_is_checked_against_the_organiser_it_is_opened_for(pg_urls: PostgresUrls) -> None:
    async with open_store(pg_urls) as store:
        await organisers.save(store.pool, OTHER)
        await users.create(store.pool, "anna", "x", ["inspector"], None, None)
        [opening, *_] = seed_batches(LUDVIKA)
        await check_actors(store.pool, acted_by(opening, "anna", Role.INSPECTOR))
        with pytest.raises(ActorNotAllowed, match="no such user"):
            await check_actors(store.pool, acted_by(opening, "marta.rivelis", Role.INSPECTOR))


async def test_a_retry_of_a_recorded_batch_is_not_refused_after_the_user_is_deactivated(
    recorded: tuple[EventStore, list[Event]],
) -> None:
    store, batch = recorded
    request = RecordEvents(case_id=LUDVIKA.case_id, expected_seq=await store.last_seq(LUDVIKA.case_id), events=batch)
    await check_actors(store.pool, request)
    await store.append(request)
    await store.pool.execute("UPDATE users SET active = false WHERE username = 'ludvika.forvaltning'")
    await check_actors(store.pool, request)  # the retry: recorded already, answered from the store
    fresh = acted_by(batch, "ludvika.forvaltning", Role.ORGANISER)
    with pytest.raises(ActorNotAllowed, match="deactivated"):
        await check_actors(store.pool, fresh)
