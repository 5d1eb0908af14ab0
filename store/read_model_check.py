"""Prove the read model: fold every case's events again, in memory, and compare with ``cases``, ``case_areas``
and the register (``register_entries``).

The read model decides who may see what (``cases.organiser_id``), so a row that differs from the
fold of its events is reported naming the case and the column, e.g. ``organiser_id is '…' in the
read model but '…' from the events``; a register entry that is missing, extra or different names its
number too (store.register_check). Nothing is written: the rows expected are computed by the same
functions the append and ``projections.rebuild`` use (store.projections, domain.register).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import asyncpg
from pydantic import BaseModel

from domain.events import Event
from domain.state import CaseState, evolve
from store.projections import AREA_COLUMNS, CASE_COLUMNS, area_rows, case_row
from store.proof_scan import Failure, finding
from store.register_check import StoredRegister, compare_register
from store.rows import EVENT_COLUMNS, Source, batches, connection, domain_event


class ReadModelReport(BaseModel):
    """The outcome of :func:`verify_read_model`."""

    ok: bool
    cases_checked: int
    failures: list[Failure]


async def verify_read_model(source: Source, batch_size: int = 5000) -> ReadModelReport:
    """Compare every ``cases``, ``case_areas`` and ``register_entries`` row with the fold of its case's events
    (one snapshot)."""
    failures: list[Failure] = []
    async with connection(source) as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        cases = {r["case_id"]: r for r in await conn.fetch(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases")}
        areas: dict[str, dict[str, asyncpg.Record]] = {}
        for r in await conn.fetch(f"SELECT {', '.join(AREA_COLUMNS)} FROM case_areas"):
            areas.setdefault(r["case_id"], {})[r["code"]] = r
        register = await StoredRegister.read(conn)
        checked: set[str] = set()
        state: CaseState | None = None
        last: asyncpg.Record | None = None
        broken = False
        events: list[Event] = []  # the current case's, for its register
        recorded: list[datetime] = []

        def finish() -> None:
            if last is not None and state is not None and not broken:
                case_id = last["case_id"]
                failures.extend(_compare(state, last, cases.get(case_id), areas.get(case_id, {})))
                failures.extend(compare_register(case_id, state.dnr, state.organiser_id, events, recorded, register))

        query = f"SELECT {EVENT_COLUMNS} FROM events ORDER BY case_id, seq"
        async for rows in batches(conn, query, batch_size=batch_size):
            for row in rows:
                if last is None or row["case_id"] != last["case_id"]:
                    finish()
                    state, broken, events, recorded = None, False, [], []
                    checked.add(row["case_id"])
                last = row
                if broken:
                    continue
                try:
                    event = domain_event(row)
                    events.append(event)
                    recorded.append(row["recorded_at"])
                    state = evolve(state, event)
                except (ValueError, AssertionError) as error:
                    broken = True
                    failures.append(
                        finding("read_model.not_applicable", case_id=row["case_id"], seq=row["seq"], detail=str(error))
                    )
        finish()
    failures += [finding("read_model.orphan", case_id=case_id) for case_id in sorted(cases.keys() - checked)]
    failures += register.orphans(checked)
    return ReadModelReport(ok=not failures, cases_checked=len(checked), failures=failures)


def _compare(
    state: CaseState, last: asyncpg.Record, stored: asyncpg.Record | None, stored_areas: dict[str, asyncpg.Record]
) -> list[Failure]:
    """How the stored rows of one case differ from those its events give."""
    case_id = state.case_id
    if stored is None:
        return [finding("read_model.no_row", case_id=case_id)]
    failures = []
    expected = dict(zip(CASE_COLUMNS, case_row(state, last["seq"], last["recorded_at"]), strict=True))
    for column in CASE_COLUMNS[1:]:
        if not _same(stored[column], expected[column], column):
            failures.append(_differs(case_id, column, stored[column], expected[column]))
    wanted = {row[1]: dict(zip(AREA_COLUMNS, row, strict=True)) for row in area_rows(state)}
    for code in sorted(stored_areas.keys() | wanted.keys()):
        have, want = stored_areas.get(code), wanted.get(code)
        if have is None or want is None:
            key = "read_model.area_missing" if have is None else "read_model.area_extra"
            failures.append(finding(key, case_id=case_id, value=code))
            continue
        failures += [
            _differs(case_id, column, have[column], want[column], area=code)
            for column in AREA_COLUMNS[2:]
            if have[column] != want[column]
        ]
    return failures


def _same(stored: object, expected: object, column: str) -> bool:
    if column == "snapshot":  # jsonb comes back re-serialised: compare the values
        return isinstance(stored, str) and json.loads(stored) == json.loads(str(expected))
    return stored == expected


def _differs(case_id: str, column: str, stored: object, expected: object, area: str | None = None) -> Failure:
    def shown(value: object) -> str:
        if isinstance(value, datetime | date):
            return value.isoformat()
        text = repr(value)
        return text if len(text) <= 80 else text[:77] + "…"

    if column == "snapshot":
        return finding("read_model.snapshot", case_id=case_id)
    key, values = ("read_model.differs", {}) if area is None else ("read_model.area_differs", {"value": area})
    return finding(key, case_id=case_id, column=column, stored=shown(stored), expected=shown(expected), **values)
