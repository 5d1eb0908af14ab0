"""Payloads of the checkpoint activities (one pydantic model in, one out), named here so that the
checkpoint workflow depends on this interface and not on the store."""

from __future__ import annotations

from pydantic import BaseModel


class PublishCheckpoint(BaseModel):
    """Ask for a checkpoint of the whole log now (the latest one again when no event came since)."""


class CheckpointMade(BaseModel):
    """A signed checkpoint: the log's size, its root hash (base64) and the signed note."""

    tree_size: int
    root_hash: str
    note: str


class WitnessReceipt(BaseModel):
    """What ``mail_checkpoint`` did: the address it mailed and the Message-ID (None: no witness configured)."""

    recipient: str | None = None
    message_id: str | None = None
