"""Reading the read model: one case, the case list with filters, search and keyset paging, and Dnr look-ups."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import asyncpg

from domain.organisers import Organiser
from domain.rules import dnr_key
from domain.state import CaseState
from store.projections import state_of
from store.rows import Source, connection


async def get(source: Source, case_id: str) -> CaseState | None:
    """The case's state (from the read model), or None when there is no such case."""
    async with connection(source) as conn:
        snapshot = await conn.fetchval("SELECT snapshot::text FROM cases WHERE case_id = $1", case_id)
        if snapshot is None:
            return None
        return await state_of(conn, case_id, snapshot)


async def with_organiser(conn: asyncpg.Connection, case_id: str) -> tuple[CaseState, Organiser | None] | None:
    """The case's state and its organiser (None when not registered) in one query; None when there is no case."""
    row = await conn.fetchrow(
        """SELECT c.snapshot::text AS snapshot, o.organiser_id, o.name, o.email
           FROM cases c LEFT JOIN organisers o ON o.organiser_id = c.organiser_id WHERE c.case_id = $1""",
        case_id,
    )
    if row is None:
        return None
    state = await state_of(conn, case_id, row["snapshot"])
    assert state is not None  # a case row is there, so are its events
    if row["organiser_id"] is None:
        return state, None
    return state, Organiser(organiser_id=row["organiser_id"], name=row["name"], email=row["email"])


async def case_id_of_dnr(pool: asyncpg.Pool, dnr: str) -> str | None:
    """The id of the case registered under ``dnr`` (blanks collapsed, case ignored), if any."""
    return await pool.fetchval("SELECT case_id FROM cases WHERE dnr_key = $1", dnr_key(dnr))


async def search(
    pool: asyncpg.Pool,
    *,
    state: str | None = None,
    organiser_id: str | None = None,
    overdue: bool | None = None,
    limit: int = 500,
) -> list[CaseState]:
    """Cases matching every given filter, the soonest due first, then the most recently changed."""
    rows = await pool.fetch(
        """SELECT snapshot::text AS snapshot FROM cases
           WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR organiser_id = $2)
             AND ($3::boolean IS NULL OR overdue = $3)
           ORDER BY response_due NULLS LAST, updated_at DESC, case_id LIMIT $4""",
        state,
        organiser_id,
        overdue,
        limit,
    )
    return [CaseState.model_validate_json(r["snapshot"]) for r in rows]


async def counts(pool: asyncpg.Pool) -> dict[str, int]:
    """Open, overdue and closed case counts (for metrics and the front page)."""
    row = await pool.fetchrow(
        """SELECT count(*) FILTER (WHERE state NOT IN ('closed', 'referred')) AS open,
                  count(*) FILTER (WHERE overdue) AS overdue,
                  count(*) FILTER (WHERE state IN ('closed', 'referred')) AS ended
           FROM cases"""
    )
    return dict(row) if row else {"open": 0, "overdue": 0, "ended": 0}


async def event_recorded(pool: asyncpg.Pool, event_id: str) -> bool:
    """True when an event with this id is in the store (a command's effect, found by its request id)."""
    return bool(await pool.fetchval("SELECT 1 FROM events WHERE event_id = $1", event_id))


TERMINAL = ("closed", "referred")
DUE_KEY = "coalesce(response_due, 'infinity'::date)"
LISTED = "(snapshot - 'reminders_sent')::text"
"""A case's state as a list needs it: without the reminders sent (a long round has a hundred), which only the
round's timer reads. Never folded on from: ``get`` reads the whole snapshot."""
"""The list's order: the soonest due date first, cases without one last; then the Dnr (unique)."""


@dataclass(frozen=True)
class CaseQuery:
    """What a case list asks for: every given filter holds (``q`` matches any of its fields)."""

    q: str | None = None
    """Dnr or organisation number by prefix; title or organiser name by words (Swedish stems) or substring."""
    state: str | None = None
    organiser_id: str | None = None
    responsible: str | None = None
    overdue: bool | None = None
    include_closed: bool = False
    """Closed and referred cases too (a ``state`` filter naming one of them includes them anyway)."""
    limit: int = 50
    after: tuple[date, str] | None = None
    """The keyset cursor: the (due key, Dnr key) of the last case of the previous page."""


@dataclass(frozen=True)
class CasePage:
    """One page of a case list and where the next one starts (None: this was the last)."""

    cases: list[CaseState]
    next: tuple[date, str] | None


@dataclass(frozen=True)
class FilterChoices:
    """What a case list's filters offer: every organiser as (number, name), by name, and every inspector's
    username and name (the username when they have none), by username."""

    organisers: list[tuple[str, str]]
    inspectors: dict[str, str]


def _like(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (the backslash is the escape character)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def prefix_query(q: str) -> str | None:
    """A tsquery matching every word of ``q`` as a prefix of a (Swedish-stemmed) word; None without words."""
    words = re.findall(r"\w+", q)
    return " & ".join(f"'{w}':*" for w in words) or None


def _where(query: CaseQuery) -> tuple[list[str], list[object]]:
    """The conditions of ``query`` and their parameters (only the filters given, so indexes can serve)."""
    conditions: list[str] = []
    params: list[object] = []

    def param(value: object) -> str:
        params.append(value)
        return f"${len(params)}"

    if query.state:
        conditions.append(f"state = {param(query.state)}")
    if not query.include_closed and query.state not in TERMINAL:
        conditions.append("state NOT IN ('closed', 'referred')")
    if query.organiser_id:
        conditions.append(f"organiser_id = {param(query.organiser_id)}")
    if query.responsible:
        conditions.append(f"responsible = {param(query.responsible)}")
    if query.overdue is not None:
        conditions.append(f"overdue = {param(query.overdue)}")
    q = (query.q or "").strip()
    if q:
        contains = param(f"%{_like(q)}%")
        matches = [
            f"dnr_key LIKE {param(_like(dnr_key(q)) + '%')}",
            f"organiser_id LIKE {param(_like(q) + '%')}",
            f"title ILIKE {contains}",
        ]
        names = [f"name ILIKE {contains}"]
        words = prefix_query(q)
        if words:
            tsquery = f"to_tsquery('swedish', {param(words)})"
            matches.append(f"title_words @@ {tsquery}")
            names.append(f"name_words @@ {tsquery}")
        matches.append(f"organiser_id IN (SELECT organiser_id FROM organisers WHERE {' OR '.join(names)})")
        conditions.append("(" + " OR ".join(matches) + ")")
    if query.after is not None:
        due, key = query.after
        conditions.append(f"({DUE_KEY}, dnr_key) > ({param(due)}::date, {param(key)})")
    return conditions, params


async def page(source: Source, query: CaseQuery) -> CasePage:
    """The cases matching ``query`` after its cursor, at most ``query.limit``, and the next page's cursor."""
    conditions, params = _where(query)
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    params.append(query.limit + 1)
    rows = await source.fetch(
        f"""SELECT {LISTED} AS snapshot, {DUE_KEY} AS due_key, dnr_key
            FROM cases {where} ORDER BY {DUE_KEY}, dnr_key LIMIT ${len(params)}""",
        *params,
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cases = [CaseState.model_validate_json(r["snapshot"]) for r in rows]
    last = rows[-1] if more else None
    return CasePage(cases, (last["due_key"], last["dnr_key"]) if last else None)


async def organiser_names(source: Source, organiser_ids: Collection[str]) -> dict[str, str]:
    """The names of these organisers, by organisation number (one not registered is missing).

    One query for a list's organisers: a name looked up in each case's row cost the server 16 µs a row."""
    if not organiser_ids:
        return {}
    rows = await source.fetch(
        "SELECT organiser_id, name FROM organisers WHERE organiser_id = ANY($1::text[])", list(organiser_ids)
    )
    return {r["organiser_id"]: r["name"] for r in rows}


async def filter_choices(conn: asyncpg.Connection) -> FilterChoices:
    """Every organiser and every inspector, for a case list's filters."""
    organisers = await conn.fetch("SELECT organiser_id, name FROM organisers ORDER BY name, organiser_id")
    inspectors = await conn.fetch(
        """SELECT username, coalesce(nullif(full_name, ''), username) AS name FROM users
           WHERE 'inspector' = ANY (roles) ORDER BY username"""
    )
    return FilterChoices([(r["organiser_id"], r["name"]) for r in organisers], {r[0]: r[1] for r in inspectors})
