"""The read model (``cases``, ``case_areas``): the domain's fold of each case's events, as rows.

Written in the transaction of every append (see store.append) and recomputed from the events
alone by :func:`rebuild`; both go through :func:`case_row` and :func:`area_rows`, so a rebuild
gives the very same rows. Every column derives from the events
(``updated_at`` is the last event's ``recorded_at``), none from the time of the rebuild.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import asyncpg
import pydantic

from domain.rules import dnr_key
from domain.state import CaseState, evolve
from store import register
from store.rows import EVENT_COLUMNS, batches, domain_event

CASE_COLUMNS = (
    "case_id",
    "dnr",
    "dnr_key",
    "organiser_id",
    "title",
    "state",
    "round",
    "response_due",
    "overdue",
    "opened_on",
    "last_seq",
    "updated_at",
    "snapshot",
    "responsible",
)
AREA_COLUMNS = ("case_id", "code", "position", "title", "legal_basis", "status")


def case_row(state: CaseState, last_seq: int, updated_at: datetime) -> tuple[object, ...]:
    """The ``cases`` row of a case (values in :data:`CASE_COLUMNS` order)."""
    return (
        state.case_id,
        state.dnr,
        dnr_key(state.dnr),
        state.organiser_id,
        state.title,
        state.status.value,
        state.round,
        state.response_due,
        state.overdue,
        state.opened_on,
        last_seq,
        updated_at,
        json.dumps(state.model_dump(mode="json"), ensure_ascii=False),
        state.responsible,
    )


def area_rows(state: CaseState) -> list[tuple[object, ...]]:
    """The ``case_areas`` rows of a case (values in :data:`AREA_COLUMNS` order), in the case's order."""
    return [
        (state.case_id, a.code, i, a.title, a.legal_basis, a.status.value) for i, a in enumerate(state.areas, start=1)
    ]


async def state_of(conn: asyncpg.Connection, case_id: str, snapshot: str | None) -> CaseState | None:
    """The case's state from its ``cases.snapshot``; folded from its events when that is missing or outdated."""
    if snapshot is not None:
        try:
            return CaseState.model_validate_json(snapshot)
        except pydantic.ValidationError:
            pass  # written by an older CaseState: fold the events instead
    state = None
    rows = await conn.fetch(f"SELECT {EVENT_COLUMNS} FROM events WHERE case_id = $1 ORDER BY seq", case_id)
    for row in rows:
        state = evolve(state, domain_event(row))
    return state


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild recomputed."""

    cases: int
    events: int


async def rebuild(conn: asyncpg.Connection, batch_size: int = 5000) -> RebuildReport:
    """Recompute ``cases``, ``case_areas`` and the register from the events alone, in one transaction (as the owner).

    Appends wait meanwhile (the events table is locked against writes); readers go on
    seeing the old rows until the rebuild commits.
    """
    cases = events = 0
    async with conn.transaction():
        # EXCLUSIVE stops appends but not readers. An append waits here before it writes any row (it
        # inserts events first) and DELETE takes no table lock readers conflict with: no deadlock.
        await conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
        await conn.execute("DELETE FROM case_areas")
        await conn.execute("DELETE FROM cases")
        pending_cases: list[tuple[object, ...]] = []
        pending_areas: list[tuple[object, ...]] = []
        state: CaseState | None = None
        last: asyncpg.Record | None = None

        async def flush() -> None:
            await conn.copy_records_to_table("cases", records=pending_cases, columns=CASE_COLUMNS)
            await conn.copy_records_to_table("case_areas", records=pending_areas, columns=AREA_COLUMNS)
            pending_cases.clear()
            pending_areas.clear()

        def finish_case() -> None:
            assert state is not None and last is not None
            pending_cases.append(case_row(state, last["seq"], last["recorded_at"]))
            pending_areas.extend(area_rows(state))

        query = f"SELECT {EVENT_COLUMNS} FROM events ORDER BY case_id, seq"
        async for rows in batches(conn, query, batch_size=batch_size):
            for row in rows:
                if last is not None and row["case_id"] != last["case_id"]:
                    finish_case()
                    cases += 1
                    state = None
                state = evolve(state, domain_event(row))
                last = row
                events += 1
            if len(pending_cases) >= 1000:
                await flush()
        if last is not None:
            finish_case()
            cases += 1
        await flush()
        await register.rebuild(conn, batch_size)  # the register is a projection of the events too
    return RebuildReport(cases=cases, events=events)
