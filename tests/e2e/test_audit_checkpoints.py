"""Signed checkpoints end to end: ``inspections audit checkpoint`` and ``audit verify --checkpoint`` as an
operator runs them against a store a superuser tampered with (past every trigger), and the API's audit
routes (docs/api.md, "Audit")."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from admin.seeds import LUDVIKA, TRELLEBORG
from runtime.checkpoint_key import ensure_signer
from store.chain import event_hash, format_timestamp
from store.embedded import PostgresUrls
from store.events import EventStore
from store.signed_note import open_checkpoint
from tests.e2e.api_support import Stack, error_of
from tests.integration.log_support import relog_case, rewrite_case, superuser
from tests.integration.store_support import append_all, seed_batches, seeded_store

__all__ = ["seeded_store"]

INSPECTIONS = str(Path(sys.executable).parent / "inspections")
TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_export.py"
Tamper = Callable[[PostgresUrls, EventStore], Awaitable[None]]


async def cli(tmp_path: Path, urls: PostgresUrls, *args: str) -> subprocess.CompletedProcess[str]:
    """``inspections *args`` as an operator runs it: configured by the environment, its data folder ``tmp_path``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTIONS_")}
    env.update(INSPECTIONS_DATABASE_URL=urls.app_url, INSPECTIONS_DATA_DIR=str(tmp_path))
    return await asyncio.to_thread(
        subprocess.run, [INSPECTIONS, *args], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )


async def _truncate(urls: PostgresUrls, store: EventStore) -> None:
    async with superuser(urls.owner_url) as su:
        await su.execute("DELETE FROM events WHERE case_id = $1 AND seq = 10", LUDVIKA.case_id)


async def _delete(urls: PostgresUrls, store: EventStore) -> None:
    async with superuser(urls.owner_url) as su:
        await su.execute("DELETE FROM events WHERE case_id = $1 AND seq = 3", TRELLEBORG.case_id)


async def _rewrite_one(urls: PostgresUrls, store: EventStore) -> None:
    async with superuser(urls.owner_url) as su:
        await su.execute(
            "UPDATE events SET data = jsonb_set(data, '{title}', '\"X\"') WHERE case_id = $1 AND seq = 1",
            LUDVIKA.case_id,
        )


async def _rewrite_case(urls: PostgresUrls, store: EventStore) -> None:
    async with superuser(urls.owner_url) as su:  # re-hashed, and the log's leaves recomputed too
        await rewrite_case(su, TRELLEBORG.case_id, 2, {"response_due": "2030-01-01"})
        await relog_case(su, TRELLEBORG.case_id)


async def _forged_insert(urls: PostgresUrls, store: EventStore) -> None:
    """The application's own role appends an event with a correct hash, backdated before the checkpoint."""
    last = (await store.read(LUDVIKA.case_id))[-1]
    backdated = datetime(2025, 1, 1, tzinfo=UTC)
    forged = (LUDVIKA.case_id, 11, "forged-1", last.type, last.occurred_on, backdated, last.actor.username)
    forged += (last.actor.role.value, '{"reason":"all_in_line"}', last.hash)
    digest = event_hash(*forged[:4], last.occurred_on.isoformat(), format_timestamp(backdated), *forged[6:])
    await store.pool.execute(
        """INSERT INTO events (case_id, seq, event_id, type, occurred_on, recorded_at, actor_username, actor_role,
                               data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        *forged,
        digest,
    )


async def _read_model(urls: PostgresUrls, store: EventStore) -> None:
    async with superuser(urls.owner_url) as su:
        await su.execute("UPDATE cases SET organiser_id = $1 WHERE case_id = $2", "212000-1355", LUDVIKA.case_id)


TAMPERING: dict[str, tuple[Tamper, str]] = {
    "truncated case": (_truncate, f"ärende {LUDVIKA.case_id}, löpnummer 10"),
    "deleted event": (_delete, "händelsen saknas: den har raderats"),
    "rewritten event": (_rewrite_one, "händelsen har ändrats efter att den registrerades"),
    "consistently rewritten case": (_rewrite_case, "inte en fortsättning av kontrollpunkten för 20 händelser"),
    "forged insert": (_forged_insert, "insmugen bakom kontrollpunkten"),
    "read model": (_read_model, f"ärende {LUDVIKA.case_id}"),
}


@pytest.mark.parametrize("kind", TAMPERING)
async def test_verify_against_a_checkpoint_names_each_kind_of_tampering(
    seeded_store: EventStore, pg_urls: PostgresUrls, tmp_path: Path, kind: str
) -> None:
    signer = ensure_signer(tmp_path / "secrets" / "checkpoint-key")  # as `make run` makes it
    made = await cli(tmp_path, pg_urls, "audit", "checkpoint", "--out", "cp.txt")
    assert made.returncode == 0, made.stderr
    note = (tmp_path / "cp.txt").read_text(encoding="utf-8")
    assert open_checkpoint(note, signer.verifier).tree_size == 20
    assert (tmp_path / "checkpoints" / "checkpoint-20.txt").read_text(encoding="utf-8") == note  # sent out
    holds = await cli(tmp_path, pg_urls, "audit", "verify", "--checkpoint", "cp.txt")
    assert holds.returncode == 0, holds.stdout + holds.stderr
    assert (
        "håller: 20 händelser i 2 ärenden, en logg med 20 händelser mot den signerade kontrollpunkten" in holds.stdout
    )

    tamper, named = TAMPERING[kind]
    await tamper(pg_urls, seeded_store)
    broken = await cli(tmp_path, pg_urls, "audit", "verify", "--checkpoint", "cp.txt")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Händelseloggen är INTE hel mot den signerade kontrollpunkten för 20 händelser" in broken.stdout
    assert named in broken.stdout, broken.stdout
    if kind == "read model":
        assert "”Huvudman” är '212000-1355'" in broken.stdout


async def test_checkpoint_refuses_a_rewritten_log_and_verify_refuses_a_changed_note(
    seeded_store: EventStore, pg_urls: PostgresUrls, tmp_path: Path
) -> None:
    no_key = await cli(tmp_path, pg_urls, "audit", "checkpoint")
    assert no_key.returncode == 2 and "No checkpoint signing key" in no_key.stderr
    assert "Traceback" not in no_key.stderr
    ensure_signer(tmp_path / "secrets" / "checkpoint-key")
    assert (await cli(tmp_path, pg_urls, "audit", "checkpoint", "--out", "cp.txt")).returncode == 0
    note = (tmp_path / "cp.txt").read_text(encoding="utf-8")
    (tmp_path / "changed.txt").write_text(note.replace("\n20\n", "\n21\n"), encoding="utf-8")
    changed = await cli(tmp_path, pg_urls, "audit", "verify", "--checkpoint", "changed.txt")
    assert changed.returncode == 1 and "Kontrollpunkten som angavs går inte att använda" in changed.stdout
    missing = await cli(tmp_path, pg_urls, "audit", "verify", "--checkpoint", "nowhere.txt")
    assert missing.returncode == 2 and "Kan inte läsa kontrollpunkten nowhere.txt" in missing.stderr
    bad_key = await cli(tmp_path, pg_urls, "audit", "verify", "--public-key", "not-a-key")
    assert bad_key.returncode == 2 and "verifier key" in bad_key.stderr

    await _rewrite_case(pg_urls, seeded_store)
    refused = await cli(tmp_path, pg_urls, "audit", "checkpoint")
    assert refused.returncode == 1 and "no longer hash to the latest signed checkpoint" in refused.stderr
    public = (await cli(tmp_path, pg_urls, "audit", "public-key")).stdout.strip()
    against_public = await cli(tmp_path, pg_urls, "audit", "verify", "--public-key", public)
    assert against_public.returncode == 1 and "inte en fortsättning av kontrollpunkten" in against_public.stdout


async def test_the_api_signs_serves_and_checks_checkpoints(stack: Stack, pg_urls: PostgresUrls, tmp_path: Path) -> None:
    store = EventStore(stack.pool)
    for seed in (LUDVIKA, TRELLEBORG):
        await append_all(store, seed.case_id, seed_batches(seed))
    await stack.add_user("granskare", ["auditor"])
    await stack.add_user("inspektor", ["inspector"])
    auditor, inspector = await stack.token("granskare"), await stack.token("inspektor")
    verifier = ensure_signer(tmp_path / "checkpoint-key").verifier  # the key the stack fixture made

    none_yet = await stack.http.get("/api/v1/audit/checkpoints/latest", headers=auditor)
    assert (
        none_yet.status_code == 404 and error_of(none_yet)["message"] == "Det finns ingen signerad kontrollpunkt ännu."
    )
    refused = await stack.http.post("/api/v1/audit/checkpoints", headers=inspector)
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    made = await stack.http.post("/api/v1/audit/checkpoints", headers=auditor)
    assert made.status_code == 201, made.text
    body = made.json()
    assert set(body) == {"tree_size", "root_hash", "note"} and body["tree_size"] == 20
    assert open_checkpoint(body["note"], verifier).tree_size == 20
    assert (await stack.http.get("/api/v1/audit/checkpoints/latest", headers=auditor)).json() == body
    assert (await stack.http.post("/api/v1/audit/checkpoints", headers=auditor)).json() == body  # nothing new

    report = (await stack.http.get("/api/v1/audit/verify", headers=auditor)).json()
    assert (report["ok"], report["events_checked"], report["checkpoint_size"]) == (True, 20, 20), report

    exported = await stack.http.get("/api/v1/audit/export", params={"case": "2025:1234"}, headers=auditor)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/x-ndjson")
    (tmp_path / "ludvika.jsonl").write_bytes(exported.content)
    checked = subprocess.run(
        [sys.executable, "-I", str(TOOL), str(tmp_path / "ludvika.jsonl"), "--public-key", verifier.encode()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0 and "Exporten håller: 10 händelser" in checked.stdout, checked.stderr
    unknown = await stack.http.get("/api/v1/audit/export", params={"case": "1999:1"}, headers=auditor)
    assert unknown.status_code == 404

    await _read_model(pg_urls, store)
    report = (await stack.http.get("/api/v1/audit/verify", headers=auditor)).json()
    assert report["ok"] is False
    assert [(f["case_id"], "organiser_id" in f["reason"]) for f in report["failures"]] == [(LUDVIKA.case_id, True)]

    await _rewrite_case(pg_urls, store)
    conflict = await stack.http.post("/api/v1/audit/checkpoints", headers={**auditor, "Accept-Language": "en"})
    assert conflict.status_code == 409 and error_of(conflict)["code"] == "conflict"
    assert "no longer extends the latest signed checkpoint" in error_of(conflict)["message"]
    assert (tmp_path / "checkpoints" / "latest.txt").read_text(encoding="utf-8") == body["note"]  # the genuine one
