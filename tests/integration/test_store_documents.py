"""The document store: content-addressed, idempotent, append-only in the database itself."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import asyncpg
import pytest

from store import documents
from store.documents import Direction, DocumentKind, NewDocument
from store.embedded import PostgresUrls
from store.migrate import migrate

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n% a decision\n%%EOF\n"
SHA = hashlib.sha256(PDF).hexdigest()


def decision(case_id: str = "ludvika-2025", **changes: object) -> NewDocument:
    values: dict[str, object] = {
        "case_id": case_id,
        "kind": DocumentKind.DECISION,
        "direction": Direction.OUTGOING,
        "filename": "Beslut 2025-1234 2025-06-26.pdf",
        "media_type": "application/pdf",
        "added_by": "system",
        **changes,
    }
    return NewDocument.model_validate(values)


@pytest.fixture
async def pool(pg_urls: PostgresUrls) -> AsyncIterator[asyncpg.Pool]:
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=4)
    yield pool
    await pool.close()


async def test_put_registers_the_bytes_under_their_hash_and_get_lists_them(pool: asyncpg.Pool) -> None:
    stored = await documents.put(pool, decision(), PDF)
    assert (stored.sha256, stored.size, stored.kind, stored.direction) == (SHA, len(PDF), "decision", "outgoing")
    assert stored.added_by == "system" and stored.seq is None  # no event names it yet
    assert await documents.get(pool, "ludvika-2025", SHA) == stored
    assert await documents.content(pool, SHA) == PDF
    assert await documents.list_for_case(pool, "ludvika-2025") == [stored]
    assert await documents.get(pool, "another-case", SHA) is None
    assert await documents.content(pool, "0" * 64) is None


async def test_put_is_idempotent_the_first_registration_wins(pool: asyncpg.Pool) -> None:
    first = await documents.put(pool, decision(), PDF)
    again = await documents.put(pool, decision(filename="other.pdf", added_by="marta.rivelis"), PDF)
    assert again == first
    elsewhere = await documents.put(pool, decision("trelleborg-2020-7120", kind=DocumentKind.ATTACHMENT), PDF)
    assert elsewhere.case_id == "trelleborg-2020-7120" and elsewhere.kind == "attachment"
    counts = await pool.fetchrow(
        "SELECT (SELECT count(*) FROM documents) AS registrations, (SELECT count(*) FROM document_contents) AS contents"
    )
    assert (counts["registrations"], counts["contents"]) == (2, 1)
    attachment = await documents.put(pool, decision(kind=DocumentKind.ATTACHMENT), b"%PDF-1.7\n% minutes\n")
    assert [d.sha256 for d in await documents.list_for_case(pool, "ludvika-2025")] == [SHA, attachment.sha256]


async def test_a_retried_command_gets_its_first_document_even_when_the_bytes_differ(pool: asyncpg.Pool) -> None:
    first = await documents.put(pool, decision(request_id="ludvika-sign-decision"), PDF)
    other_bytes = await documents.put(pool, decision(request_id="ludvika-sign-decision"), PDF + b"% again\n")
    assert other_bytes == first and first.request_id == "ludvika-sign-decision"
    assert await documents.content(pool, hashlib.sha256(PDF + b"% again\n").hexdigest()) is None  # nothing kept
    assert len(await documents.list_for_case(pool, "ludvika-2025")) == 1
    other_case = await documents.put(pool, decision("trelleborg-2020-7120", request_id="ludvika-sign-decision"), PDF)
    assert other_case.case_id == "trelleborg-2020-7120"


CHANGES = [
    "UPDATE documents SET filename = 'x.pdf'",
    "DELETE FROM documents",
    "TRUNCATE documents",
    "UPDATE document_contents SET content = 'x'",
    "DELETE FROM document_contents",
    "TRUNCATE document_contents",
]


@pytest.mark.parametrize("statement", CHANGES)
async def test_the_app_role_cannot_change_or_remove_a_document(pool: asyncpg.Pool, statement: str) -> None:
    await documents.put(pool, decision(), PDF)
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        await pool.execute(statement)
    assert await documents.content(pool, SHA) == PDF


@pytest.mark.parametrize("statement", CHANGES)
async def test_not_even_the_owner_can_change_a_document(
    pool: asyncpg.Pool, pg_urls: PostgresUrls, statement: str
) -> None:
    await documents.put(pool, decision(), PDF)
    owner = await asyncpg.connect(pg_urls.owner_url)
    try:
        with pytest.raises(asyncpg.PostgresError, match="Documents are append-only"):
            await owner.execute(statement)
        with pytest.raises(asyncpg.CheckViolationError):  # the address is the content's hash, checked by the database
            await owner.execute(
                "INSERT INTO document_contents (sha256, content) VALUES ($1, $2)", "a" * 64, b"not what the hash says"
            )
    finally:
        await owner.close()
    assert await documents.content(pool, SHA) == PDF
