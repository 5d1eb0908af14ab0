"""What a person may have to act on now, read from the read model: the candidate cases of a worklist.

The store narrows the cases down by the columns it has (state, overdue, organiser, responsible);
which command each person can issue on each case is the domain's to say (``allowed_commands``),
so the service keeps only the cases where it offers something. Every candidate is returned:
a worklist is never cut off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import asyncpg

from domain.state import CaseState
from store.cases import DUE_KEY, LISTED
from store.rows import Source


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


@dataclass(frozen=True)
class Wanted:
    """Cases a reader may have to act on: open cases in ``states`` (or, overdue, in ``overdue_states``), of
    ``organiser_id`` and of ``responsible`` (or with nobody responsible) when given."""

    states: tuple[str, ...] = ()
    overdue_states: tuple[str, ...] = ()
    organiser_id: str | None = None
    responsible: str | None = None


_SELECT = f"SELECT {LISTED} AS snapshot, updated_at FROM cases"


async def candidates(source: Source, wanted: Sequence[Wanted]) -> list[Candidate]:
    """The cases any of ``wanted`` asks for, each once, in one query; the soonest due first."""
    params: list[object] = []

    def param(value: object) -> str:
        params.append(value)
        return f"${len(params)}"

    alternatives = []
    for want in wanted:
        conditions = [
            f"(state = ANY({param(list(want.states))}::text[])"
            f" OR (overdue AND state = ANY({param(list(want.overdue_states))}::text[])))"
        ]
        if want.organiser_id is not None:
            conditions.append(f"organiser_id = {param(want.organiser_id)}")
        if want.responsible is not None:
            conditions.append(f"(responsible = {param(want.responsible)} OR responsible IS NULL)")
        alternatives.append("(" + " AND ".join(conditions) + ")")
    if not alternatives:
        return []
    rows = await source.fetch(
        f"{_SELECT} WHERE {' OR '.join(alternatives)} ORDER BY {DUE_KEY}, updated_at, dnr_key", *params
    )
    return [_candidate(r) for r in rows]


async def ended_since(source: Source, since: date) -> list[Candidate]:
    """Cases closed or referred on or after ``since`` (their last event recorded then), the latest first."""
    rows = await source.fetch(
        f"""{_SELECT} WHERE state IN ('closed', 'referred') AND updated_at >= $1 ORDER BY updated_at DESC, dnr_key""",
        datetime.combine(since, time.min, tzinfo=UTC),
    )
    return [_candidate(r) for r in rows]


def _candidate(row: asyncpg.Record) -> Candidate:
    return Candidate(CaseState.model_validate_json(row["snapshot"]), row["updated_at"])


async def checkpoint_status(source: Source) -> CheckpointStatus:
    """The log's size and the latest stored checkpoint's size and time (signatures are the verifier's to check)."""
    row = await source.fetchrow(
        """SELECT (SELECT coalesce(max(log_index) + 1, 0) FROM event_log) AS log_size,
                  c.tree_size, c.created_at
           FROM (SELECT 1) AS one LEFT JOIN LATERAL
                (SELECT tree_size, created_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1) c ON true"""
    )
    assert row is not None
    return CheckpointStatus(row["log_size"], row["tree_size"], row["created_at"])
