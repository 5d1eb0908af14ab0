"""Migration 012 on a store that already holds organisers and cases: each organiser gets its name words
(Swedish stems), and the case list's search finds a case by an inflected word of its organiser's name, which
no substring of the name matches (so only the name words can have found it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import asyncpg
import pytest

from activities.models import RecordEvents
from admin.replay import replay
from admin.seeds import LUDVIKA
from domain.organisers import register
from store import cases, organisers
from store.cases import CaseQuery
from store.embedded import PostgresUrls
from store.events import EventStore
from store.migrate import MIGRATIONS_DIR, migrate

pytestmark = pytest.mark.integration


async def test_organisers_of_an_earlier_release_are_found_by_the_words_of_their_names(
    pg_urls: PostgresUrls, tmp_path: Path
) -> None:
    earlier = tmp_path / "migrations"
    earlier.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if path.name < "012":
            shutil.copy(path, earlier / path.name)
    await migrate(pg_urls.owner_url, pg_urls.app_url, earlier)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=2)
    try:
        organiser = register(LUDVIKA.organiser_id, "Bergslagens utbildningsförbund", "kansli@bergslagen.example")
        await organisers.save(pool, organiser)
        state, events = next(iter(replay(LUDVIKA)))  # the case opened, of that organiser
        await EventStore(pool).append(RecordEvents(case_id=state.case_id, expected_seq=0, events=events))

        assert "012_organiser_name_words" in await migrate(pg_urls.owner_url, pg_urls.app_url)

        words = await pool.fetchval(
            "SELECT name_words::text FROM organisers WHERE organiser_id = $1", organiser.organiser_id
        )
        assert words == "'bergslag':1 'utbildningsförbund':2"
        found = await cases.page(pool, CaseQuery(q="utbildningsförbunden"))  # plural: a stem, not a substring
        assert [s.case_id for s in found.cases] == [state.case_id]
        named = await cases.organiser_names(pool, [organiser.organiser_id, "000000-0000"])  # one not registered
        assert named == {organiser.organiser_id: "Bergslagens utbildningsförbund"}
        assert (await cases.page(pool, CaseQuery(q="skolförbunden"))).cases == []  # another word finds nothing
    finally:
        await pool.close()
