"""Checkpoints: signed with a key file outside the database, stored append-only, sent out to a folder."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest

from admin.seeds import LUDVIKA
from runtime.checkpoint_key import CheckpointKeyError, ensure_signer, load_signer, public_key
from store.checkpoints import CheckpointConflict, make_checkpoint, publish_checkpoint, send_out, stored_checkpoints
from store.embedded import PostgresUrls
from store.events import EventStore
from store.proofs import verify_store
from store.signed_note import open_checkpoint
from tests.integration.log_support import superuser
from tests.integration.store_support import append_all, renamed, seed_batches

pytestmark = pytest.mark.integration


def test_the_key_file_is_made_once_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "checkpoint-key"
    with pytest.raises(CheckpointKeyError, match="INSPECTIONS_CHECKPOINT_KEY_FILE"):
        load_signer(path)
    signer = ensure_signer(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert ensure_signer(path).encode() == signer.encode()  # kept, not replaced
    assert path.read_text().startswith(f"PRIVATE+KEY+{signer.name}+")
    assert public_key(signer).startswith(f"{signer.name}+{signer.verifier.key_id.hex()}+")
    assert public_key(signer) not in path.read_text() and signer.encode() not in public_key(signer)
    path.chmod(0o640)
    with pytest.raises(CheckpointKeyError, match="chmod 600"):
        load_signer(path)
    path.chmod(0o600)
    path.write_text("PRIVATE+KEY+broken\n")
    with pytest.raises(CheckpointKeyError, match="malformed"):
        load_signer(path)


async def test_checkpoints_are_stored_sent_out_and_made_once_per_size(seeded_store: EventStore, tmp_path: Path) -> None:
    signer = ensure_signer(tmp_path / "key")
    made = await asyncio.gather(*(make_checkpoint(seeded_store.pool, signer) for _ in range(3)))
    assert {(c.tree_size, c.note) for c in made} == {(20, made[0].note)}
    assert [c.tree_size for c in await stored_checkpoints(seeded_store.pool)] == [20]
    assert open_checkpoint(made[0].note, signer.verifier).root_hash == made[0].root
    out = tmp_path / "witness"
    target = send_out(made[0], out)
    assert target.read_text() == made[0].note == (out / "latest.txt").read_text()
    assert send_out(made[0], out) == target  # sending the same again is harmless
    await append_all(seeded_store, "third", renamed(seed_batches(LUDVIKA), "third", "T:1"))
    later = await make_checkpoint(seeded_store.pool, signer)
    send_out(later, out)
    assert sorted(p.name for p in out.iterdir()) == ["checkpoint-20.txt", "checkpoint-30.txt", "latest.txt"]
    assert (out / "latest.txt").read_text() == later.note
    assert await publish_checkpoint(seeded_store.pool, signer, out) == later  # nothing new: the same again
    forked = later.model_copy(update={"tree_size": 20})
    with pytest.raises(CheckpointConflict, match="checkpoint-20.txt holds a different checkpoint"):
        send_out(forked, out)
    assert target.read_text() == made[0].note


async def test_an_event_inserted_past_the_log_trigger_is_named(
    seeded_store: EventStore, pg_urls: PostgresUrls, tmp_path: Path
) -> None:
    signer = ensure_signer(tmp_path / "key")
    await make_checkpoint(seeded_store.pool, signer)
    async with superuser(pg_urls.owner_url) as su:  # no trigger fires: the event never reaches the log's queue
        await su.execute(
            """INSERT INTO events (case_id, seq, event_id, type, occurred_on, recorded_at, actor_username,
                                   actor_role, data, prev_hash, hash)
               SELECT case_id, 11, 'sneaked-in', type, occurred_on, recorded_at, actor_username, actor_role,
                      data, hash, hash FROM events WHERE case_id = $1 AND seq = 10""",
            LUDVIKA.case_id,
        )
    failures = (await verify_store(seeded_store.pool, signer.verifier)).failures
    assert [(f.case_id, f.seq) for f in failures if "trigger off" in f.reason] == [(LUDVIKA.case_id, 11)]
