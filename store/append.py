"""The writes of one append, in one statement: the events, the notices they cause, the case's rows.

Every round trip to the server costs far more than the rows themselves, so an append sends
its events, notices and read-model rows as arrays in a single statement of data-modifying
CTEs (foreign keys are checked at the end of the statement, when all rows are there).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from store.projections import AREA_COLUMNS, CASE_COLUMNS

EVENT_ROW = ("seq", "event_id", "type", "occurred_on", "actor_username", "actor_role", "data", "prev_hash", "hash")
"""The values of one new event, in this order (``data`` as JSON text)."""
NOTICE_ROW = ("notice_id", "seq", "kind", "recipient", "subject")
"""The values of one new notice, in this order."""

_CASE_PARAMS = ", ".join(f"${n}" for n in range(17, 17 + len(CASE_COLUMNS)))
_AREA_PARAMS = [f"${n}" for n in range(17 + len(CASE_COLUMNS), 17 + len(CASE_COLUMNS) + len(AREA_COLUMNS))]
_WRITE = f"""
WITH new_events AS (
    INSERT INTO events (case_id, recorded_at, {", ".join(EVENT_ROW)})
    SELECT $1, $2, e.seq, e.event_id, e.type, e.occurred_on, e.actor_username, e.actor_role, e.data::jsonb,
           e.prev_hash, e.hash
    FROM unnest($3::int[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::text[],
                $10::text[], $11::text[]) AS e ({", ".join(EVENT_ROW)})
), new_notices AS (
    INSERT INTO notices (case_id, created_at, status, attempts, {", ".join(NOTICE_ROW)})
    SELECT $1, $2, 'pending', 0, n.*
    FROM unnest($12::uuid[], $13::int[], $14::text[], $15::text[], $16::text[]) AS n ({", ".join(NOTICE_ROW)})
), case_row AS (
    INSERT INTO cases ({", ".join(CASE_COLUMNS)}) VALUES ({_CASE_PARAMS})
    ON CONFLICT (case_id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in CASE_COLUMNS[1:])}
)
INSERT INTO case_areas ({", ".join(AREA_COLUMNS)})
SELECT * FROM unnest({_AREA_PARAMS[0]}::text[], {_AREA_PARAMS[1]}::text[], {_AREA_PARAMS[2]}::int[],
                     {_AREA_PARAMS[3]}::text[], {_AREA_PARAMS[4]}::text[], {_AREA_PARAMS[5]}::text[])
ON CONFLICT (case_id, code) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in AREA_COLUMNS[2:])}
"""


def _columns(rows: Sequence[tuple[object, ...]], width: int) -> list[list[object]]:
    """``rows`` turned into one list per column (``width`` empty lists when there are no rows)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


async def write(
    conn: asyncpg.Connection,
    *,
    case_id: str,
    recorded_at: datetime,
    events: Sequence[tuple[object, ...]],
    notices: Sequence[tuple[object, ...]],
    case: tuple[object, ...],
    areas: Sequence[tuple[object, ...]],
) -> None:
    """Insert ``events`` (:data:`EVENT_ROW` tuples) and ``notices`` (:data:`NOTICE_ROW` tuples) of the case,
    and insert or update its ``cases`` row and ``case_areas`` rows (as ``store.projections`` builds them).

    A Dnr already used by another case raises asyncpg's UniqueViolationError on ``cases_dnr_key_key``.
    """
    assert len(case) == len(CASE_COLUMNS)
    await conn.execute(
        _WRITE,
        case_id,
        recorded_at,
        *_columns(events, len(EVENT_ROW)),
        *_columns(notices, len(NOTICE_ROW)),
        *case,
        *_columns(areas, len(AREA_COLUMNS)),
    )
