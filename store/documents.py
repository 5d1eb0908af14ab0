"""The document store: case documents kept content-addressed (SHA-256), append-only (migration 007).

:func:`put` is idempotent: the same bytes registered again in the same case change nothing
and answer with the first registration. The bytes and the registration are separate tables,
so disposal can remove bytes by rule while the registration stays (:func:`content` then
answers None).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

import asyncpg
from pydantic import BaseModel, ConfigDict, Field

from store.rows import Source


class DocumentKind(StrEnum):
    """What a document is (docs/api.md, Additions: Documents)."""

    DECISION = "decision"
    FOLLOW_UP_DECISION = "follow_up_decision"
    REFERRAL = "referral"
    RECEIPT = "receipt"
    ATTACHMENT = "attachment"


class Direction(StrEnum):
    """Sent by the Inspectorate, received from outside, or kept inside (a staff upload not yet sent)."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    INTERNAL = "internal"


class NewDocument(BaseModel):
    """A document to register in a case; the hash and size are computed from the bytes."""

    model_config = ConfigDict(frozen=True)

    case_id: str = Field(min_length=1)
    kind: DocumentKind
    direction: Direction
    filename: str = Field(min_length=1, max_length=255)
    media_type: str = Field(min_length=1)
    added_by: str = Field(min_length=1)
    request_id: str | None = Field(default=None, min_length=1, max_length=200)
    """The command that produced the document: a retry of it gets the first document back."""


class DocumentRecord(BaseModel):
    """A registered document: its address, what it is, and who added it when."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    sha256: str
    kind: DocumentKind
    direction: Direction
    filename: str
    media_type: str
    size: int
    added_by: str
    request_id: str | None = None
    registered_at: datetime
    seq: int | None = None
    """The first event of the case that names the document (``document_sha256`` or ``attachments``), if any."""


_SELECT = """
    SELECT d.case_id, d.sha256, d.kind, d.direction, d.filename, d.media_type, d.size, d.added_by,
           d.request_id, d.registered_at,
           (SELECT min(e.seq) FROM events e
             WHERE e.case_id = d.case_id
               AND (e.data->>'document_sha256' = d.sha256 OR e.data->'attachments' ? d.sha256)) AS seq
    FROM documents d
"""


def sha256_hex(content: bytes) -> str:
    """The address of ``content``: its SHA-256 as 64 lower-case hex digits."""
    return hashlib.sha256(content).hexdigest()


async def put(pool: asyncpg.Pool, document: NewDocument, content: bytes) -> DocumentRecord:
    """Store ``content`` and register it in the case; idempotent, the first registration wins.

    The same bytes in the same case, or another document for the same ``request_id`` (a
    retried command whose re-rendering came out different), answer the registration already
    stored, and nothing new is kept.
    """
    digest = sha256_hex(content)
    async with pool.acquire() as conn, conn.transaction():
        registered = await conn.fetchval(
            """INSERT INTO documents
                   (case_id, sha256, kind, direction, filename, media_type, size, added_by, request_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING sha256""",
            document.case_id,
            digest,
            document.kind.value,
            document.direction.value,
            document.filename,
            document.media_type,
            len(content),
            document.added_by,
            document.request_id,
        )
        if registered is not None:
            await conn.execute(
                "INSERT INTO document_contents (sha256, content) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
                digest,
                content,
            )
            row = await conn.fetchrow(_SELECT + " WHERE d.case_id = $1 AND d.sha256 = $2", document.case_id, digest)
        else:
            row = await conn.fetchrow(
                _SELECT + " WHERE d.case_id = $1 AND (d.sha256 = $2 OR d.request_id = $3)"
                " ORDER BY d.request_id IS NOT DISTINCT FROM $3 DESC, d.position LIMIT 1",
                document.case_id,
                digest,
                document.request_id,
            )
    assert row is not None, "a registration that conflicted must exist"
    return DocumentRecord(**dict(row))


async def get(pool: asyncpg.Pool, case_id: str, sha256: str) -> DocumentRecord | None:
    """The registration of document ``sha256`` in the case, or None."""
    row = await pool.fetchrow(_SELECT + " WHERE d.case_id = $1 AND d.sha256 = $2", case_id, sha256)
    return DocumentRecord(**dict(row)) if row else None


async def content(pool: asyncpg.Pool, sha256: str) -> bytes | None:
    """The bytes with this address, or None (never stored, or removed by disposal)."""
    data = await pool.fetchval("SELECT content FROM document_contents WHERE sha256 = $1", sha256)
    return bytes(data) if data is not None else None


async def list_for_case(pool: Source, case_id: str) -> list[DocumentRecord]:
    """Every document of the case, in the order they were registered."""
    rows = await pool.fetch(_SELECT + " WHERE d.case_id = $1 ORDER BY d.position", case_id)
    return [DocumentRecord(**dict(r)) for r in rows]
