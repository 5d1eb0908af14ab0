"""Signed checkpoints of the log: made, stored (append-only), read back, and sent out of the database's reach.

A checkpoint is the log's size and RFC 6962 root hash, signed by a key the database never sees
(runtime/checkpoint_key.py), in the C2SP signed-note checkpoint format (store.signed_note). It is
made only when it extends the latest checkpoint already signed: a log never signs two checkpoints
that contradict each other, so a log changed behind the checkpoints' back is refused, not signed.
"""

from __future__ import annotations

import base64
import os
import secrets
from datetime import datetime
from pathlib import Path

import asyncpg
from pydantic import BaseModel

from domain.merkle import MerkleTree
from store.log import leaf_hashes, sequence
from store.rows import Source, connection
from store.signed_note import CheckpointText, NoteError, NoteSigner, NoteVerifier, open_checkpoint


class CheckpointRefused(Exception):
    """The log does not extend the latest signed checkpoint, so no new one is signed; the message says how."""


class CheckpointConflict(Exception):
    """A different checkpoint of the same size was sent out before: the log forked."""


class StoredCheckpoint(BaseModel):
    """A signed checkpoint (docs/api.md's ``{"tree_size", "root_hash", "note"}``; ``root_hash`` in base64)."""

    tree_size: int
    root_hash: str
    note: str
    created_at: datetime | None = None

    @property
    def root(self) -> bytes:
        """The root hash as bytes."""
        return base64.b64decode(self.root_hash)


def _stored(row: asyncpg.Record) -> StoredCheckpoint:
    return StoredCheckpoint(
        tree_size=row["tree_size"],
        root_hash=base64.b64encode(row["root_hash"]).decode(),
        note=row["note"],
        created_at=row["created_at"],
    )


async def make_checkpoint(source: Source, signer: NoteSigner) -> StoredCheckpoint:
    """Log every committed event, then sign and store a checkpoint of the whole log (the stored one when
    the log has not grown). Raises CheckpointRefused when the log no longer extends the latest valid
    signed checkpoint."""
    async with connection(source) as conn:
        size = await sequence(conn)
        tree = MerkleTree(await leaf_hashes(conn, size))
        latest = await latest_checkpoint(conn, signer.verifier)
        if latest is not None:
            if latest.tree_size > size:
                raise CheckpointRefused(
                    f"The log has {size} leaves, fewer than the {latest.tree_size} of the latest signed checkpoint."
                )
            if tree.root(latest.tree_size) != latest.root:
                raise CheckpointRefused(
                    f"The log's first {latest.tree_size} leaves no longer hash to the latest signed checkpoint's "
                    "root: the log was changed. Run `inspections audit verify` to find where."
                )
            if latest.tree_size == size:
                return latest
        body = CheckpointText(origin=signer.name, tree_size=size, root_hash=tree.root())
        row = await conn.fetchrow(
            """INSERT INTO checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3)
               ON CONFLICT (tree_size) DO NOTHING RETURNING tree_size, root_hash, note, created_at""",
            size,
            body.root_hash,
            signer.sign(body.text()),
        )
        if row is None:  # another process signed the same size meanwhile
            row = await conn.fetchrow("SELECT * FROM checkpoints WHERE tree_size = $1", size)
    return _stored(row)


async def stored_checkpoints(source: Source) -> list[StoredCheckpoint]:
    """Every stored checkpoint, smallest first (their signatures unchecked)."""
    async with connection(source) as conn:
        rows = await conn.fetch("SELECT tree_size, root_hash, note, created_at FROM checkpoints ORDER BY tree_size")
    return [_stored(row) for row in rows]


def is_genuine(checkpoint: StoredCheckpoint, verifier: NoteVerifier) -> bool:
    """Whether the stored row is exactly what its note, signed by ``verifier``'s key, says."""
    try:
        text = open_checkpoint(checkpoint.note, verifier)
    except NoteError:
        return False
    return (text.tree_size, text.root_hash) == (checkpoint.tree_size, checkpoint.root)


async def latest_checkpoint(source: Source, verifier: NoteVerifier) -> StoredCheckpoint | None:
    """The largest stored checkpoint that is genuinely signed by ``verifier``'s key (None: there is none)."""
    below = None  # newest first, a few at a time: normally the newest is genuine
    async with connection(source) as conn:
        while rows := await conn.fetch(
            "SELECT tree_size, root_hash, note, created_at FROM checkpoints"
            " WHERE $1::bigint IS NULL OR tree_size < $1 ORDER BY tree_size DESC LIMIT 20",
            below,
        ):
            found = next((c for c in map(_stored, rows) if is_genuine(c, verifier)), None)
            if found is not None:
                return found
            below = rows[-1]["tree_size"]
    return None


async def publish_checkpoint(source: Source, signer: NoteSigner, directory: Path) -> StoredCheckpoint:
    """What the periodic job, the CLI and the API do: make a checkpoint (the latest one again when no event
    came since) and send it out to ``directory``. Idempotent, so a retry or a run with nothing new is harmless."""
    checkpoint = await make_checkpoint(source, signer)
    send_out(checkpoint, directory)
    return checkpoint


def send_out(checkpoint: StoredCheckpoint, directory: Path) -> Path:
    """Write the signed note to ``directory`` as ``checkpoint-<size>.txt`` (never replaced) and ``latest.txt``.

    Raises CheckpointConflict when a different note of the same size is already there: the log forked.
    (The witness's e-mail copy is sent by the checkpoint workflow: activities/checkpoints.py.)
    """
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"checkpoint-{checkpoint.tree_size}.txt"
    if target.exists():
        if target.read_text(encoding="utf-8") != checkpoint.note:
            raise CheckpointConflict(f"{target} holds a different checkpoint of {checkpoint.tree_size} leaves.")
    else:
        _write_atomically(target, checkpoint.note, replace=False)
    _write_atomically(directory / "latest.txt", checkpoint.note, replace=True)
    return target


def _write_atomically(path: Path, text: str, *, replace: bool) -> None:
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    try:
        with partial.open("x", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(partial, path)
        else:
            os.link(partial, path)  # never over a note sent out before
    finally:
        partial.unlink(missing_ok=True)
