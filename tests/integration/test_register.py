"""The register (diarium): entries made with their events, searched, exported as CSV, marked secret, rebuilt."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

import asyncpg
import pytest

from admin.replay import seed_events
from admin.seeds import LUDVIKA, TRELLEBORG
from admin.services.records import CSV_HEADER, RecordsService, to_csv
from domain import events as ev
from domain.actors import ActorRef, Role
from domain.register import fold_register
from store import projections, register_read
from store.embedded import PostgresUrls
from store.events import EventStore
from store.records import RecordEvents
from tests.integration.records_support import documented_store

pytestmark = pytest.mark.integration
__all__ = ["documented_store"]


def _shape(rows: list[register_read.RegisterRow]) -> list[tuple[object, ...]]:
    return [(r.number, r.seq, r.registered_on, r.direction.value, r.kind.value, r.description) for r in rows]


async def test_every_handling_is_an_entry_made_with_its_event(documented_store: EventStore) -> None:
    pool = documented_store.pool
    rows = await register_read.for_case(pool, LUDVIKA.case_id)
    assert [(r.registered_on.isoformat(), r.direction.value, r.kind.value, r.counterpart) for r in rows] == [
        ("2025-01-20", "internal", "case", "Ludvika kommun"),
        ("2025-06-26", "outgoing", "decision", "Ludvika kommun"),
        ("2025-12-30", "incoming", "account", "Ludvika kommun"),
        ("2025-12-30", "incoming", "attachment", "Ludvika kommun"),
        ("2026-03-05", "outgoing", "follow_up_decision", "Ludvika kommun"),
    ]
    assert all(r.dnr == "2025:1234" for r in rows)
    assert rows[1].document_sha256 and rows[3].document_sha256 and rows[4].document_sha256
    assert rows[0].description == "Ärendet upprättat: Kvalitetsgranskning av Ludvika kommun, vårterminen 2025"
    assert (rows[1].registered_by, rows[3].registered_by) == ("malin.jern", "ludvika.forvaltning")
    events = await documented_store.read(LUDVIKA.case_id)
    for row in rows:  # each entry names the event that brought it, recorded at the same moment
        assert events[row.seq - 1].recorded_at == row.recorded_at
    # the same entries as the domain's fold of the events (the counterpart aside: the store names the organiser)
    domain_events = [ev_ for ev_ in (await _domain_events(documented_store, LUDVIKA.case_id))]
    folded = fold_register(domain_events)
    assert [(e.number, e.entry.seq, e.entry.kind.value, e.entry.document_sha256) for e in folded] == [
        (r.number, r.seq, r.kind.value, r.document_sha256) for r in rows
    ]


async def _domain_events(store: EventStore, case_id: str) -> list[ev.Event]:
    return [e.domain_event() for e in await store.read(case_id)]


async def test_search_by_dates_dnr_and_counterpart_and_csv(documented_store: EventStore) -> None:
    service = RecordsService(documented_store.pool)
    everything = await service.search()
    assert len(everything) == 10 and [r.registered_on for r in everything] == sorted(
        r.registered_on for r in everything
    )
    in_2021 = await service.search(from_=date(2021, 1, 1), to=date(2021, 12, 31))
    assert {r.dnr for r in in_2021} == {"2020:7120"} and len(in_2021) == 4
    assert len(await service.search(dnr=" 2025:1234 ")) == 5
    assert {r.dnr for r in await service.search(counterpart="trelleborg")} == {"2020:7120"}
    assert await service.search(counterpart="%") == []  # a wildcard is a character like any other
    table = list(csv.reader(io.StringIO(to_csv(await service.search(dnr="2025:1234")))))
    assert (
        tuple(table[0])
        == CSV_HEADER
        == ("registered_on", "dnr", "direction", "counterpart", "description", "document_sha256", "secrecy_lagrum")
    )
    assert table[2][:4] == ["2025-06-26", "2025:1234", "outgoing", "Ludvika kommun"] and len(table[2][5]) == 64


async def test_a_secrecy_marking_is_an_event_and_the_register_is_rebuilt_the_same(
    documented_store: EventStore, pg_urls: PostgresUrls
) -> None:
    pool = documented_store.pool
    last = await documented_store.last_seq(TRELLEBORG.case_id)
    marked = ev.SecrecyMarked(
        event_id=str(uuid.uuid4()),
        case_id=TRELLEBORG.case_id,
        occurred_on=date(2022, 1, 10),
        actor=ActorRef(username="registrator", role=Role.REGISTRAR),
        entry=4,
        lagrum="21 kap. 1 § offentlighets- och sekretesslagen",
        marked_on=date(2022, 1, 10),
    )
    await documented_store.append(RecordEvents(case_id=TRELLEBORG.case_id, expected_seq=last, events=[marked]))
    rows = await register_read.for_case(pool, TRELLEBORG.case_id)
    assert [(r.number, r.secrecy_lagrum, r.secrecy_marked_on) for r in rows if r.secrecy_lagrum] == [
        (4, "21 kap. 1 § offentlighets- och sekretesslagen", date(2022, 1, 10))
    ]
    csv_rows = list(csv.reader(io.StringIO(to_csv(rows))))
    assert csv_rows[4][6] == "21 kap. 1 § offentlighets- och sekretesslagen"
    before = {c: _shape(await register_read.for_case(pool, c)) for c in (LUDVIKA.case_id, TRELLEBORG.case_id)}
    secrecy = [(r.number, r.secrecy_lagrum, r.secrecy_seq) for r in rows]
    owner = await asyncpg.connect(pg_urls.owner_url)
    try:
        await owner.execute("DELETE FROM register_entries")  # the register is a projection: rebuilt from events
        await projections.rebuild(owner)
    finally:
        await owner.close()
    after = {c: _shape(await register_read.for_case(pool, c)) for c in (LUDVIKA.case_id, TRELLEBORG.case_id)}
    assert after == before
    rebuilt = await register_read.for_case(pool, TRELLEBORG.case_id)
    assert [(r.number, r.secrecy_lagrum, r.secrecy_seq) for r in rebuilt] == secrecy


async def test_seed_cases_without_documents_register_too(documented_store: EventStore) -> None:
    """The pure replays (no PDFs) give the same kinds of entries: a decision signed before documents existed
    is registered without a document."""
    folded = fold_register(seed_events(TRELLEBORG))
    assert [(e.entry.kind.value, e.entry.document_sha256) for e in folded] == [
        ("case", None),
        ("decision", None),
        ("account", None),
        ("follow_up_decision", None),
    ]
