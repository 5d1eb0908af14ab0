"""The audit trail is append-only in the database itself, and tampering is found by verify."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from admin.seeds import LUDVIKA, TRELLEBORG
from runtime.checkpoint_key import ensure_signer
from store.audit import verify
from store.chain import chain_hash, chain_record
from store.embedded import PostgresUrls
from store.events import EventStore
from store.migrate import migrations

pytestmark = pytest.mark.integration

INSPECTIONS = Path(sys.executable).parent / "inspections"
CHANGES = ["UPDATE events SET data = '{}' WHERE seq = 2", "DELETE FROM events WHERE seq = 2", "TRUNCATE events CASCADE"]


@pytest.mark.parametrize("statement", CHANGES, ids=["update", "delete", "truncate"])
async def test_the_app_role_cannot_change_events(seeded_store: EventStore, statement: str) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        await seeded_store.pool.execute(statement)
    assert (await verify(seeded_store.pool)).events_checked == 20


@pytest.mark.parametrize("statement", CHANGES, ids=["update", "delete", "truncate"])
async def test_not_even_the_owner_can_change_events(
    seeded_store: EventStore, pg_urls: PostgresUrls, statement: str
) -> None:
    owner = await asyncpg.connect(pg_urls.owner_url)
    try:
        with pytest.raises(asyncpg.PostgresError, match="The audit trail is append-only"):
            await owner.execute(statement)
    finally:
        await owner.close()
    assert (await verify(seeded_store.pool)).events_checked == 20


async def test_the_app_role_cannot_disable_the_trigger_or_take_ownership(seeded_store: EventStore) -> None:
    for statement in (
        "ALTER TABLE events DISABLE TRIGGER events_append_only_rows",
        "ALTER TABLE events DISABLE TRIGGER ALL",
        "DROP TRIGGER events_append_only_rows ON events",
        "SET session_replication_role = replica",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await seeded_store.pool.execute(statement)
    privileges = await seeded_store.pool.fetch(
        "SELECT privilege_type FROM information_schema.role_table_grants"
        " WHERE table_name = 'events' AND grantee = 'inspections_app' ORDER BY 1"
    )
    assert [p["privilege_type"] for p in privileges] == ["INSERT", "SELECT"]


async def tamper(owner_url: str, case_id: str, seq: int) -> None:
    """What a superuser could do: switch the trigger off, change one event's data, switch it on."""
    owner = await asyncpg.connect(owner_url)
    try:
        await owner.execute("ALTER TABLE events DISABLE TRIGGER events_append_only_rows")
        await owner.execute(
            """UPDATE events SET data = jsonb_set(data, '{decided_on}', '"2025-06-27"')
                               WHERE case_id = $1 AND seq = $2""",
            case_id,
            seq,
        )
        await owner.execute("ALTER TABLE events ENABLE TRIGGER events_append_only_rows")
    finally:
        await owner.close()


def cli(tmp_path: Path, *args: str, app_url: str, owner_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``inspections *args`` as a user would, against these database URLs only (a checkpoint key in
    ``tmp_path``, as ``make run`` makes one in its data folder)."""
    ensure_signer(tmp_path / "secrets" / "checkpoint-key")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTIONS_")}
    env.update(INSPECTIONS_DATABASE_URL=app_url, INSPECTIONS_DATA_DIR=str(tmp_path))
    if owner_url is not None:
        env["INSPECTIONS_DATABASE_OWNER_URL"] = owner_url
    return subprocess.run([str(INSPECTIONS), *args], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)


async def test_tampering_is_reported_with_its_case_and_seq(
    seeded_store: EventStore, pg_urls: PostgresUrls, tmp_path: Path
) -> None:
    ok = cli(tmp_path, "audit", "verify", app_url=pg_urls.app_url)
    assert ok.returncode == 0, ok.stderr
    assert "håller: 20 händelser i 2 ärenden" in ok.stdout
    signed = next(e for e in await seeded_store.read(LUDVIKA.case_id) if e.type == "DecisionSigned")
    await tamper(pg_urls.owner_url, LUDVIKA.case_id, signed.seq)
    report = await verify(seeded_store.pool)
    assert not report.ok and report.cases_checked == 2
    assert [(f.case_id, f.seq) for f in report.failures] == [(LUDVIKA.case_id, signed.seq)]
    assert "changed after it was recorded" in report.failures[0].reason
    broken = cli(tmp_path, "audit", "verify", app_url=pg_urls.app_url)
    assert broken.returncode == 1, broken.stderr
    assert f"ärende {LUDVIKA.case_id}, löpnummer {signed.seq}" in broken.stdout
    only_other = cli(tmp_path, "audit", "verify", "--case", "2020:7120", app_url=pg_urls.app_url)
    assert only_other.returncode == 0, only_other.stdout + only_other.stderr


async def test_a_rehashed_forgery_breaks_the_next_link(seeded_store: EventStore, pg_urls: PostgresUrls) -> None:
    second = (await seeded_store.read(TRELLEBORG.case_id))[1]
    forged = {**second.data, "response_due": "2022-12-31"}
    forged_hash = chain_hash(
        chain_record(
            case_id=second.case_id,
            seq=2,
            event_id=second.event_id,
            type=second.type,
            occurred_on=second.occurred_on,
            recorded_at=second.recorded_at,
            actor_username=second.actor.username,
            actor_role=second.actor.role.value,
            data=forged,
            prev_hash=second.prev_hash,
        )
    )
    owner = await asyncpg.connect(pg_urls.owner_url)
    try:  # seq 2 changed and consistently re-hashed: seq 3's prev_hash gives it away
        await owner.execute("SET session_replication_role = replica")
        await owner.execute(
            "UPDATE events SET data = $1::jsonb, hash = $2 WHERE case_id = $3 AND seq = 2",
            json.dumps(forged),
            forged_hash,
            TRELLEBORG.case_id,
        )
    finally:
        await owner.close()
    report = await verify(seeded_store.pool, TRELLEBORG.case_id)
    assert (report.cases_checked, [(f.case_id, f.seq) for f in report.failures]) == (1, [(TRELLEBORG.case_id, 3)])
    assert "prev_hash" in report.failures[0].reason


def test_cli_user_errors_have_messages_and_no_traceback(pg_urls: PostgresUrls, tmp_path: Path) -> None:
    unmigrated = cli(tmp_path, "audit", "verify", app_url=pg_urls.app_url)
    assert unmigrated.returncode == 2 and "inspections db migrate" in unmigrated.stderr
    migrated = cli(tmp_path, "db", "migrate", app_url=pg_urls.app_url, owner_url=pg_urls.owner_url)
    assert migrated.returncode == 0 and f"Körde {len(migrations())} migreringar" in migrated.stdout, migrated.stderr
    again = cli(tmp_path, "db", "migrate", app_url=pg_urls.app_url, owner_url=pg_urls.owner_url)
    assert again.returncode == 0 and "aktuellt" in again.stdout
    rebuild_as_app = cli(tmp_path, "projections", "rebuild", app_url=pg_urls.app_url)
    assert rebuild_as_app.returncode == 2 and "ägarens URL" in rebuild_as_app.stderr
    target = str(tmp_path / "x.json")
    unknown = cli(tmp_path, "audit", "export", "--case", "no-such-case", "--out", target, app_url=pg_urls.app_url)
    assert unknown.returncode == 2 and "no-such-case" in unknown.stderr and "Traceback" not in unknown.stderr
    assert not (tmp_path / "x.json").exists()
    down = cli(tmp_path, "audit", "verify", app_url="postgresql://u:p@127.0.0.1:1/none")
    assert down.returncode == 2 and "Kan inte ansluta till databasen" in down.stderr and ":p@" not in down.stderr
    url = cli(tmp_path, "db", "url", app_url=pg_urls.app_url)
    assert url.stdout.strip() == pg_urls.app_url
