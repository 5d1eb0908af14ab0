"""The outbox of notices: listing them, and claiming and settling one for delivery.

A notice is claimed with ``FOR UPDATE SKIP LOCKED`` inside the transaction that also marks
it sent, so two delivery processes never send the same notice at once. If a process dies
after the SMTP server accepted a message but before the commit, the notice is sent again
with the same Message-ID, which receivers use to recognise the duplicate.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg
from pydantic import BaseModel, ConfigDict

from store.rows import Source

_COLUMNS = """notice_id::text AS notice_id, case_id, seq, kind, recipient, subject, status, created_at,
              sent_at, attempts, recipient_address, last_error, next_attempt_at"""


class NoticeRow(BaseModel):
    """One notice of the outbox (the fields of docs/api.md's notice listing and delivery state)."""

    model_config = ConfigDict(frozen=True)

    notice_id: str
    case_id: str
    seq: int
    kind: str
    recipient: str
    subject: str
    status: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    recipient_address: str | None
    last_error: str | None
    next_attempt_at: datetime | None


async def for_case(pool: Source, case_id: str) -> list[NoticeRow]:
    """The case's notices, oldest first."""
    rows = await pool.fetch(f"SELECT {_COLUMNS} FROM notices WHERE case_id = $1 ORDER BY seq, kind, recipient", case_id)
    return [NoticeRow(**dict(r)) for r in rows]


async def claim_due(conn: asyncpg.Connection, now: datetime) -> NoticeRow | None:
    """Lock the oldest pending notice that is due (call inside a transaction), or None."""
    row = await conn.fetchrow(
        f"""SELECT {_COLUMNS} FROM notices
            WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
            ORDER BY next_attempt_at NULLS FIRST, created_at, notice_id
            LIMIT 1 FOR UPDATE SKIP LOCKED""",
        now,
    )
    return NoticeRow(**dict(row)) if row else None


async def mark_sent(
    conn: asyncpg.Connection, notice_id: str, sent_at: datetime, address: str, text: str, html: str
) -> None:
    """Record that the notice went out, to which address and with which text."""
    await conn.execute(
        """UPDATE notices SET status = 'sent', sent_at = $2, attempts = attempts + 1, recipient_address = $3,
                              body_text = $4, body_html = $5, last_error = NULL, next_attempt_at = NULL
           WHERE notice_id = $1::uuid AND status = 'pending'""",
        notice_id,
        sent_at,
        address,
        text,
        html,
    )


async def mark_attempt_failed(conn: asyncpg.Connection, notice_id: str, error: str, retry_at: datetime | None) -> None:
    """Record a failed attempt: try again at ``retry_at``, or give up (status failed) when None."""
    await conn.execute(
        """UPDATE notices SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3,
                              status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END
           WHERE notice_id = $1::uuid AND status = 'pending'""",
        notice_id,
        error[:2000],
        retry_at,
    )


async def count_by_status(pool: asyncpg.Pool) -> dict[str, int]:
    """How many notices are pending, sent and failed (for metrics)."""
    rows = await pool.fetch("SELECT status, count(*) AS n FROM notices GROUP BY status")
    return {r["status"]: r["n"] for r in rows}
