"""Disposal (gallring) in the store: which ended cases still hold documents, and removing their bytes.

The rules and which entries they let go are the domain's (domain.disposal); the disposal itself is
a ``DocumentsDisposed`` event appended to the case (store.events), which marks the entries in the
register in its transaction. Only then may the bytes go: :func:`remove_bytes` calls the owner-run
``dispose_document()`` (migration 010), which removes nothing that a recorded disposal in every case
holding those bytes does not name, and never a decision's.
"""

from __future__ import annotations

from datetime import date

import asyncpg
from pydantic import BaseModel, ConfigDict


class EndedCase(BaseModel):
    """A closed or referred case that still holds documents of the kinds asked about."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    dnr: str
    ended_on: date
    last_seq: int


async def ended_cases_holding(pool: asyncpg.Pool, kinds: list[str]) -> list[EndedCase]:
    """Ended cases with register entries of ``kinds`` whose document is not yet disposed of, by Dnr."""
    rows = await pool.fetch(
        """SELECT c.case_id, c.dnr, c.last_seq,
                  (SELECT max(e.occurred_on) FROM events e
                    WHERE e.case_id = c.case_id AND e.type IN ('CaseClosed', 'CaseReferred')) AS ended_on
           FROM cases c
           WHERE c.state IN ('closed', 'referred')
             AND EXISTS (SELECT FROM register_entries r
                          WHERE r.case_id = c.case_id AND r.kind = ANY($1::text[])
                            AND r.document_sha256 IS NOT NULL AND r.disposed_on IS NULL)
           ORDER BY c.dnr""",
        kinds,
    )
    return [EndedCase(**dict(r)) for r in rows if r["ended_on"] is not None]


async def bytes_still_held(pool: asyncpg.Pool) -> list[str]:
    """Documents the register says are disposed of whose bytes are still stored (a run cut short, or bytes
    another case still kept then)."""
    rows = await pool.fetch(
        """SELECT DISTINCT r.document_sha256 FROM register_entries r
           JOIN document_contents c ON c.sha256 = r.document_sha256
           WHERE r.disposed_on IS NOT NULL ORDER BY 1"""
    )
    return [r["document_sha256"] for r in rows]


async def remove_bytes(pool: asyncpg.Pool, sha256: str) -> bool:
    """Remove the bytes of ``sha256`` if every recorded disposal allows it; True when they were removed."""
    return bool(await pool.fetchval("SELECT dispose_document($1)", sha256))


async def held(pool: asyncpg.Pool, sha256: str) -> bool:
    """Whether the bytes of ``sha256`` are stored."""
    return bool(await pool.fetchval("SELECT EXISTS (SELECT FROM document_contents WHERE sha256 = $1)", sha256))
