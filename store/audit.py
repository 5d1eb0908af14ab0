"""Audit of the event store: verify every hash and link, export a case as JSON Lines.

Both stream through a server-side cursor in batches, so memory stays flat however large
the store grows. Verification recomputes each event's hash from its stored fields (see
store.chain) and checks that seqs run 1, 2, 3… and that each ``prev_hash`` is the hash of
the event before; it stops at the first broken link of a case and goes on with the others.
"""

from __future__ import annotations

import json
from pathlib import Path

import asyncpg
from pydantic import BaseModel

from domain.messages import render
from domain.rules import dnr_key
from store.chain import GENESIS_HASH, encode_json, event_hash, parse_json
from store.errors import UnknownCase
from store.rows import CHAIN_COLUMNS, Source, batches, chained_fields, connection


class ChainFailure(BaseModel):
    """The first broken link of one case: ``reason`` in English, ``key`` and ``params`` as in the message
    catalogue (``domain.messages.findings``), for the edges that tell it in Swedish."""

    case_id: str
    seq: int
    reason: str
    key: str | None = None
    params: dict[str, int] = {}


class VerifyReport(BaseModel):
    """The outcome of a verification (docs/api.md's ``/audit/verify`` answer)."""

    ok: bool
    cases_checked: int
    events_checked: int
    failures: list[ChainFailure]


class ExportReport(BaseModel):
    """What an export wrote."""

    case_id: str
    events: int
    path: Path


async def verify(source: Source, case_id: str | None = None, batch_size: int = 500) -> VerifyReport:
    """Verify the chain of every case (or of ``case_id`` only) from one consistent snapshot."""
    where, args = ("WHERE case_id = $1", (case_id,)) if case_id is not None else ("", ())
    query = f"SELECT {CHAIN_COLUMNS} FROM events {where} ORDER BY case_id, seq"
    failures: list[ChainFailure] = []
    cases = events = 0
    current: str | None = None
    expected_seq, prev_hash, broken = 1, GENESIS_HASH, False
    loads, encode = parse_json, encode_json
    async with connection(source) as conn:
        async for rows in batches(conn, query, *args, batch_size=batch_size, prefetch=True):
            for row in rows:
                # The hot loop of the benchmark: positional access, in CHAIN_COLUMNS order.
                if row[0] != current:
                    current, expected_seq, prev_hash, broken = row[0], 1, GENESIS_HASH, False
                    cases += 1
                if broken:
                    continue
                events += 1
                if (
                    row[1] == expected_seq
                    and row[9] == prev_hash
                    and row[10]
                    == event_hash(
                        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], encode(loads(row[8])), row[9]
                    )
                ):
                    expected_seq, prev_hash = expected_seq + 1, row[10]
                    continue
                key, params = broken_link(row, expected_seq, prev_hash)
                told = {"seq": row[1], **params}
                failures.append(
                    ChainFailure(case_id=row[0], seq=row[1], reason=render(key, told, "en"), key=key, params=told)
                )
                broken = True
    return VerifyReport(ok=not failures, cases_checked=cases, events_checked=events, failures=failures)


def broken_link(row: asyncpg.Record, expected_seq: int, prev_hash: str) -> tuple[str, dict[str, int]]:
    """Why ``row`` does not continue its case's chain: the finding's key (``domain.messages.findings``) and
    its parameters besides the row's ``seq``."""
    seq: int = row["seq"]
    if seq != expected_seq:
        return "chain.seq_gap", {"expected": expected_seq}
    if row["prev_hash"] != prev_hash:
        return ("chain.first_link", {}) if seq == 1 else ("chain.link", {"last": seq - 1})
    return "chain.hash", {}


async def resolve_case(source: Source, case_id_or_dnr: str) -> str:
    """The case id of a case named by its id or its Dnr (blanks and case ignored); UnknownCase otherwise."""
    async with connection(source) as conn:
        found = await conn.fetchval(
            """
            (SELECT case_id FROM cases WHERE case_id = $1)
            UNION ALL (SELECT case_id FROM cases WHERE dnr_key = $2)
            UNION ALL (SELECT case_id FROM events WHERE case_id = $1 LIMIT 1)
            LIMIT 1
            """,
            case_id_or_dnr,
            dnr_key(case_id_or_dnr),
        )
    if found is None:
        raise UnknownCase(case_id_or_dnr)
    return str(found)


async def export(source: Source, case_id_or_dnr: str, out_path: Path, batch_size: int = 2000) -> ExportReport:
    """Write the case's events to ``out_path`` as JSON Lines, oldest first: one event a line with
    case_id, seq, event_id, type, occurred_on, recorded_at, actor, data, prev_hash and hash, exactly
    the values the hashes cover (the README shows how to check them with no project code).

    The file appears only when complete (written beside it, then renamed)."""
    out_path = Path(out_path)
    partial = out_path.with_name(out_path.name + ".partial")
    async with connection(source) as conn:
        case_id = await resolve_case(conn, case_id_or_dnr)
        count = 0
        query = f"SELECT {CHAIN_COLUMNS} FROM events WHERE case_id = $1 ORDER BY seq"
        try:
            with partial.open("w", encoding="utf-8") as out:
                async for rows in batches(conn, query, case_id, batch_size=batch_size, prefetch=True):
                    for row in rows:
                        line = chained_fields(row)
                        line["hash"] = row["hash"]
                        out.write(json.dumps(line, ensure_ascii=False) + "\n")
                        count += 1
            partial.replace(out_path)
        finally:
            partial.unlink(missing_ok=True)
    return ExportReport(case_id=case_id, events=count, path=out_path)
