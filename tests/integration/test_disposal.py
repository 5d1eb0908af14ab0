"""Disposal (gallring) by rule: a dry run lists, a real run records an event and deletes only the bytes the
rule allows; events, decisions and the audit chain stay, and the register shows the entry as disposed of."""

from __future__ import annotations

from datetime import date, timedelta

import asyncpg
import pytest

from admin.seeds import LUDVIKA, TRELLEBORG
from admin.services.records import RecordsService
from domain.actors import ActorRef, Role
from domain.disposal import parse_rules
from store import documents, register_read
from store.checkpoints import make_checkpoint
from store.embedded import PostgresUrls
from store.events import EventStore
from store.register_disposal import held
from store.signed_note import NoteSigner
from store.verification import verify_all
from tests.integration.log_support import signer
from tests.integration.records_support import LUDVIKA_ENDED, documented_store

pytestmark = pytest.mark.integration
__all__ = ["documented_store", "signer"]

ARKIVARIE = ActorRef(username="arkivarie", role=Role.AUDITOR)


async def test_a_dry_run_lists_and_a_real_run_disposes_of_only_what_the_rule_allows(
    documented_store: EventStore, signer: NoteSigner, pg_urls: PostgresUrls
) -> None:
    pool = documented_store.pool
    await make_checkpoint(pool, signer)
    before = {c: await documented_store.read(c) for c in (LUDVIKA.case_id, TRELLEBORG.case_id)}
    rows = await register_read.for_case(pool, LUDVIKA.case_id)
    attachment = next(r for r in rows if r.kind.value == "attachment").document_sha256
    decisions = [r.document_sha256 for r in rows if r.kind.value in ("decision", "follow_up_decision")]
    records = RecordsService(pool, parse_rules("attachment=2y"))

    too_early = await records.dispose(ARKIVARIE, LUDVIKA_ENDED + timedelta(days=700), dry_run=False)
    assert too_early.items == [] and too_early.events == 0

    due_day = date(2028, 3, 5)  # two years after Ludvika closed; Trelleborg is still open: never
    dry = await records.dispose(ARKIVARIE, due_day, dry_run=True)
    assert [(i.dnr, i.number, i.document_sha256, i.rule, i.due_on) for i in dry.items] == [
        ("2025:1234", 4, attachment, "attachment=2y", due_day)
    ]
    assert await held(pool, attachment) and await documented_store.read(LUDVIKA.case_id) == before[LUDVIKA.case_id]

    done = await records.dispose(ARKIVARIE, due_day, dry_run=False)
    assert (done.events, done.removed, [i.removed for i in done.items]) == (1, [attachment], [True])
    assert not await held(pool, attachment) and await documents.content(pool, attachment) is None
    assert all([await held(pool, sha) for sha in decisions])  # decisions are never disposed of
    after = await documented_store.read(LUDVIKA.case_id)
    assert after[: len(before[LUDVIKA.case_id])] == before[LUDVIKA.case_id]  # every event stays as it was
    disposal = after[-1]
    assert (disposal.type, disposal.actor, disposal.occurred_on) == ("DocumentsDisposed", ARKIVARIE, due_day)
    assert disposal.data == {"rule": "attachment=2y", "documents": [attachment]}
    assert await documented_store.read(TRELLEBORG.case_id) == before[TRELLEBORG.case_id]
    entry = next(r for r in await register_read.for_case(pool, LUDVIKA.case_id) if r.number == 4)
    assert (entry.disposed_on, entry.disposal_rule, entry.document_sha256) == (due_day, "attachment=2y", attachment)
    assert (await documents.get(pool, LUDVIKA.case_id, attachment)) is not None  # the registration stays

    again = await records.dispose(ARKIVARIE, due_day + timedelta(days=1), dry_run=False)
    assert (again.items, again.events, again.removed) == ([], 0, [])
    await make_checkpoint(pool, signer)
    report = await verify_all(pool, signer.verifier)
    assert report.ok, report.failures


async def test_bytes_only_go_when_a_recorded_disposal_names_them(
    documented_store: EventStore, pg_urls: PostgresUrls
) -> None:
    pool = documented_store.pool
    rows = await register_read.for_case(pool, LUDVIKA.case_id)
    decision = next(r for r in rows if r.kind.value == "decision").document_sha256
    attachment = next(r for r in rows if r.kind.value == "attachment").document_sha256
    assert await pool.fetchval("SELECT dispose_document($1)", attachment) is False  # no disposal recorded
    owner = await asyncpg.connect(pg_urls.owner_url)
    try:
        for sha in (decision, attachment):  # not even the owner deletes bytes no disposal names
            with pytest.raises(asyncpg.PostgresError, match="Documents are append-only"):
                await owner.execute("DELETE FROM document_contents WHERE sha256 = $1", sha)
    finally:
        await owner.close()
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await pool.execute("DELETE FROM document_contents WHERE sha256 = $1", attachment)
    assert await held(pool, decision) and await held(pool, attachment)


async def test_no_rules_dispose_of_nothing(documented_store: EventStore) -> None:
    report = await RecordsService(documented_store.pool, ()).dispose(ARKIVARIE, date(2099, 1, 1), dry_run=False)
    assert (report.rules, report.items, report.events) == ([], [], 0)
