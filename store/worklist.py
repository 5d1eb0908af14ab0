"""What a person may have to act on now, read from the read model: the candidate cases of a worklist.

The store narrows the cases down by the columns it has (state, overdue, organiser, responsible);
which command each person can issue on each case is the domain's to say (``allowed_commands``),
so the service keeps only the cases where it offers something. Every candidate is returned:
a worklist is never cut off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import asyncpg

from domain.state import CaseState
from store.cases import DUE_KEY, LISTED


@dataclass(frozen=True)
class Candidate:
    """A case that may need its reader now, and when it last changed."""

    state: CaseState
    updated_at: datetime


@dataclass(frozen=True)
class CheckpointStatus:
    """How far the signed checkpoints lag behind the log: its size and the latest checkpoint's."""

    log_size: int
    checkpoint_size: int | None
    checkpoint_at: datetime | None


async def candidates(
    pool: asyncpg.Pool,
    *,
    states: tuple[str, ...] = (),
    overdue_states: tuple[str, ...] = (),
    organiser_id: str | None = None,
    responsible: str | None = None,
) -> list[Candidate]:
    """Open cases in ``states`` (or, overdue, in ``overdue_states``), of ``organiser_id`` and of ``responsible``
    (or with nobody responsible) when given; the soonest due first."""
    conditions = ["(state = ANY($1::text[]) OR (overdue AND state = ANY($2::text[])))"]
    params: list[object] = [list(states), list(overdue_states)]
    if organiser_id is not None:
        params.append(organiser_id)
        conditions.append(f"organiser_id = ${len(params)}")
    if responsible is not None:
        params.append(responsible)
        conditions.append(f"(responsible = ${len(params)} OR responsible IS NULL)")
    rows = await pool.fetch(
        f"""SELECT {LISTED} AS snapshot, updated_at FROM cases WHERE {" AND ".join(conditions)}
            ORDER BY {DUE_KEY}, updated_at, dnr_key""",
        *params,
    )
    return [Candidate(CaseState.model_validate_json(r["snapshot"]), r["updated_at"]) for r in rows]


async def ended_since(pool: asyncpg.Pool, since: date) -> list[Candidate]:
    """Cases closed or referred on or after ``since`` (their last event recorded then), the latest first."""
    rows = await pool.fetch(
        f"""SELECT {LISTED} AS snapshot, updated_at FROM cases
           WHERE state IN ('closed', 'referred') AND updated_at >= $1 ORDER BY updated_at DESC, dnr_key""",
        datetime.combine(since, time.min, tzinfo=UTC),
    )
    return [Candidate(CaseState.model_validate_json(r["snapshot"]), r["updated_at"]) for r in rows]


async def checkpoint_status(pool: asyncpg.Pool) -> CheckpointStatus:
    """The log's size and the latest stored checkpoint's size and time (signatures are the verifier's to check)."""
    row = await pool.fetchrow(
        """SELECT (SELECT coalesce(max(log_index) + 1, 0) FROM event_log) AS log_size,
                  c.tree_size, c.created_at
           FROM (SELECT 1) AS one LEFT JOIN LATERAL
                (SELECT tree_size, created_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1) c ON true"""
    )
    assert row is not None
    return CheckpointStatus(row["log_size"], row["tree_size"], row["created_at"])
