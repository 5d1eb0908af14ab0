"""The register is part of the audit: every register entry is proven against the events of its case, and an
entry changed, removed or added behind the events' back is named with its case and number."""

from __future__ import annotations

from datetime import date

import pytest

from admin.seeds import LUDVIKA, TRELLEBORG
from store import register
from store.checkpoints import make_checkpoint
from store.embedded import PostgresUrls
from store.events import EventStore
from store.read_model_check import verify_read_model
from store.signed_note import NoteSigner
from store.verification import verify_all
from tests.integration.log_support import superuser
from tests.integration.records_support import documented_store, mark_and_dispose

pytestmark = pytest.mark.integration
__all__ = ["documented_store"]


async def test_the_register_as_written_holds_with_markings_and_disposals(documented_store: EventStore) -> None:
    await mark_and_dispose(documented_store)
    rows = await documented_store.pool.fetch(
        "SELECT secrecy_lagrum, disposed_on FROM register_entries WHERE case_id = $1 AND number IN (3, 4)"
        " ORDER BY number",
        LUDVIKA.case_id,
    )  # the check below compares a register with a marking and a disposal in it
    assert [tuple(r) for r in rows] == [("21 kap. 1 § OSL", None), (None, date(2026, 3, 6))]
    report = await verify_read_model(documented_store.pool)
    assert report.ok and report.failures == [] and report.cases_checked == 2


async def test_changed_missing_and_extra_entries_are_named(documented_store: EventStore, pg_urls: PostgresUrls) -> None:
    await mark_and_dispose(documented_store)
    pool = documented_store.pool
    # what the application's role may do (it has UPDATE on the register) …
    await pool.execute(
        "UPDATE register_entries SET description = 'Något annat', direction = 'incoming'"
        " WHERE case_id = $1 AND number = 2",
        LUDVIKA.case_id,
    )
    await pool.execute(
        "UPDATE register_entries SET secrecy_lagrum = NULL, disposed_on = '2030-01-01' WHERE case_id = $1"
        " AND number IN (3, 4)",
        LUDVIKA.case_id,
    )
    # … and what only the owner could: an entry deleted, one added, one for a case that does not exist
    async with superuser(pg_urls.owner_url) as su:
        await su.execute("DELETE FROM register_entries WHERE case_id = $1 AND number = 1", TRELLEBORG.case_id)
        for case_id, number in ((TRELLEBORG.case_id, 99), ("ghost", 1)):
            await su.execute(
                "INSERT INTO register_entries (case_id, number, seq, dnr, registered_on, recorded_at, direction, kind,"
                " description, registered_by) VALUES ($1, $2, 1, 'X:1', '2026-01-01', now(), 'internal', 'case',"
                " 'Påhittad', 'mallory')",
                case_id,
                number,
            )
    failures = [(f.case_id, f.reason) for f in (await verify_read_model(pool)).failures]
    ludvika, trelleborg = LUDVIKA.case_id, TRELLEBORG.case_id
    assert (
        ludvika,
        "register entry 2: direction is 'incoming' in the register but 'outgoing' from the events",
    ) in failures
    assert (
        ludvika,
        "register entry 2: description is 'Något annat' in the register but 'Beslut i kvalitetsgranskning' from the"
        " events",
    ) in failures
    assert (
        ludvika,
        "register entry 3: secrecy_lagrum is None in the register but '21 kap. 1 § OSL' from the events",
    ) in failures
    assert (ludvika, "register entry 3: disposed_on is 2030-01-01 in the register but None from the events") in failures
    assert (ludvika, "register entry 4: disposed_on is 2030-01-01 in the register but 2026-03-06 from the events") in (
        failures
    )
    title = "Ärendet upprättat: Regelbunden kvalitetsgranskning av Trelleborgs kommun"
    assert (trelleborg, f"register entry 1 ({title}) is missing") in failures
    assert (trelleborg, "register entry 99 (Påhittad) is in the register but not in the events") in failures
    assert ("ghost", "register entries 1 have no events behind them") in failures
    assert len(failures) == 8, failures  # and nothing else


async def test_the_whole_audit_names_a_changed_entry_and_holds_again_after_a_rebuild(
    documented_store: EventStore, pg_urls: PostgresUrls
) -> None:
    signer = NoteSigner.generate("test.example/log")
    await make_checkpoint(documented_store.pool, signer)
    assert (await verify_all(documented_store.pool, signer.verifier)).ok
    await documented_store.pool.execute(
        "UPDATE register_entries SET counterpart = 'Någon annan' WHERE case_id = $1 AND number = 3",
        TRELLEBORG.case_id,
    )
    report = await verify_all(documented_store.pool, signer.verifier)
    assert not report.ok
    [failure] = report.failures
    assert failure.case_id == TRELLEBORG.case_id and failure.reason.startswith(
        "register entry 3: counterpart is 'Någon annan' in the register but "
    )
    async with superuser(pg_urls.owner_url) as su:
        await register.rebuild(su)
    assert (await verify_all(documented_store.pool, signer.verifier)).ok
