"""The read model is proven against the events: every row that differs is named by case and column."""

from __future__ import annotations

import pytest

from admin.seeds import LUDVIKA, TRELLEBORG
from store.checkpoints import make_checkpoint
from store.embedded import PostgresUrls
from store.events import EventStore
from store.read_model_check import verify_read_model
from store.signed_note import NoteSigner
from store.verification import verify_all
from tests.integration.log_support import superuser

pytestmark = pytest.mark.integration


async def test_an_untouched_read_model_holds(seeded_store: EventStore) -> None:
    report = await verify_read_model(seeded_store.pool)
    assert report.ok and report.cases_checked == 2 and report.failures == []


async def test_a_case_given_to_another_organiser_is_named(seeded_store: EventStore) -> None:
    before = await seeded_store.pool.fetchval("SELECT organiser_id FROM cases WHERE case_id = $1", TRELLEBORG.case_id)
    # What the application's role can do: its privileges on the read model include UPDATE.
    await seeded_store.pool.execute(
        "UPDATE cases SET organiser_id = 'someone-else', response_due = '2031-01-01' WHERE case_id = $1",
        TRELLEBORG.case_id,
    )
    await seeded_store.pool.execute(
        "UPDATE case_areas SET status = 'in_line' WHERE case_id = $1 AND status <> 'in_line'", TRELLEBORG.case_id
    )
    failures = (await verify_read_model(seeded_store.pool)).failures
    assert {f.case_id for f in failures} == {TRELLEBORG.case_id}
    reasons = [f.reason for f in failures]
    assert f"organiser_id is 'someone-else' in the read model but {before!r} from the events" in reasons
    assert any(r.startswith("response_due is 2031-01-01 in the read model but ") for r in reasons)
    assert any(r.startswith("case_areas.status of area ") and "'in_line' in the read model" in r for r in reasons)


async def test_missing_and_extra_rows_are_named(seeded_store: EventStore, pg_urls: PostgresUrls) -> None:
    async with superuser(pg_urls.owner_url) as su:
        await su.execute("DELETE FROM case_areas WHERE case_id = $1 AND code = 'analys'", LUDVIKA.case_id)
        await su.execute(
            "INSERT INTO cases SELECT 'ghost', 'G:1', 'g:1', organiser_id, title, state, round, response_due, overdue,"
            " opened_on, last_seq, updated_at, snapshot FROM cases WHERE case_id = $1",
            LUDVIKA.case_id,
        )
    failures = [(f.case_id, f.reason) for f in (await verify_read_model(seeded_store.pool)).failures]
    assert failures == [
        (LUDVIKA.case_id, "area analys is missing from the read model"),
        ("ghost", "a read-model row with no events behind it"),
    ]


async def test_the_whole_audit_names_log_and_read_model_failures_together(
    seeded_store: EventStore, pg_urls: PostgresUrls
) -> None:
    signer = NoteSigner.generate("test.example/log")
    await make_checkpoint(seeded_store.pool, signer)
    assert (await verify_all(seeded_store.pool, signer.verifier)).ok
    await seeded_store.pool.execute("UPDATE cases SET state = 'closed' WHERE case_id = $1", TRELLEBORG.case_id)
    async with superuser(pg_urls.owner_url) as su:
        await su.execute("DELETE FROM events WHERE case_id = $1 AND seq = 10", LUDVIKA.case_id)
    report = await verify_all(seeded_store.pool, signer.verifier)
    assert not report.ok
    first, *read_model = report.failures
    assert (first.case_id, first.seq) == (LUDVIKA.case_id, 10) and "truncated" in first.reason
    reasons = {(f.case_id, f.reason.split(" ")[0]) for f in read_model}
    assert (LUDVIKA.case_id, "last_seq") in reasons and (TRELLEBORG.case_id, "state") in reasons
