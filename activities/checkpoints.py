"""The checkpoint activities: sign and send out a checkpoint of the log, and mail it to the witness.

``publish_checkpoint`` runs the sequencer, signs a checkpoint when the log grew (only while the log
still extends the latest signed checkpoint: store.checkpoints) and writes it to the checkpoint folder;
with nothing new it answers the latest checkpoint again, so a periodic run costs a few queries.
``mail_checkpoint`` sends a checkpoint's signed note to the witness address (the registry), so that a
copy exists where the database's owner cannot change it. Both are idempotent: a checkpoint is
signed once per size, and its mail has a Message-ID made of its size and root, and is sent once per
size (a marker beside the note in the checkpoint folder says it went); only a crash between the
server's "250" and the marker sends it again, as the same message.

The worker (the composition root) hands in the key, the folder and the mail client: activities do
not read configuration or import the notice delivery.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.checkpoint_models import CheckpointMade, PublishCheckpoint, WitnessReceipt
from store.checkpoints import CheckpointConflict, CheckpointRefused, publish_checkpoint
from store.signed_note import NoteSigner

MESSAGE_ID_DOMAIN = "checkpoints.inspections.local"

SignerSource = Callable[[], NoteSigner]
"""Loads the checkpoint key when a checkpoint is made (raises, naming the file, when there is none)."""


class Mailer(Protocol):
    """What sends a message (notices.mail.SmtpMailer in the worker)."""

    async def send(self, message: EmailMessage) -> None:
        """Send ``message``; raise when the server did not take it."""


@dataclass(frozen=True)
class Witness:
    """Where checkpoints are mailed (``recipient`` None: nowhere) and whom they come from."""

    recipient: str | None
    sender: str


def witness_message_id(checkpoint: CheckpointMade) -> str:
    """The Message-ID of a checkpoint's mail: the same checkpoint always has the same id."""
    root = base64.b64decode(checkpoint.root_hash).hex()[:16]
    return f"<checkpoint-{checkpoint.tree_size}-{root}@{MESSAGE_ID_DOMAIN}>"


def witness_message(checkpoint: CheckpointMade, witness: Witness, now: datetime) -> EmailMessage:
    """The mail to the witness: a few Swedish lines and the signed note as it is, also as an attachment."""
    origin = checkpoint.note.split("\n", 1)[0]
    message = EmailMessage()
    message["Message-ID"] = witness_message_id(checkpoint)
    message["From"] = witness.sender
    message["To"] = witness.recipient
    message["Subject"] = f"Kontrollpunkt för händelseloggen {origin}: {checkpoint.tree_size} händelser"
    message["Date"] = format_datetime(now)
    message["X-Checkpoint-Size"] = str(checkpoint.tree_size)
    message.set_content(
        "Bifogat är en signerad kontrollpunkt för ärendesystemets händelselogg "
        f"({checkpoint.tree_size} händelser). Spara den oförändrad: den visar i efterhand att loggen\n"
        "inte har ändrats bakåt i tiden (`inspections audit verify --checkpoint FIL`).\n\n" + checkpoint.note
    )
    message.add_attachment(
        checkpoint.note.encode("utf-8"),
        maintype="text",
        subtype="plain",
        filename=f"checkpoint-{checkpoint.tree_size}.txt",
        params={"charset": "utf-8"},
    )
    return message


class CheckpointActivities:
    """The checkpoint activities over one pool (register the bound methods with the worker)."""

    def __init__(
        self, pool: asyncpg.Pool, signer: SignerSource, directory: Path, mailer: Mailer | None, witness: Witness
    ) -> None:
        self.pool = pool
        self.signer = signer
        self.directory = directory
        self.mailer = mailer
        self.witness = witness

    @activity.defn(name="publish_checkpoint")
    async def publish_checkpoint(self, request: PublishCheckpoint) -> CheckpointMade:
        """Sign a checkpoint of the whole log when it grew, store it and write it to the checkpoint folder."""
        try:
            signer = self.signer()
        except Exception as error:  # a missing or unsafe key file: no retry mends it, an operator must
            raise ApplicationError(str(error), type="CheckpointKeyError", non_retryable=True) from error
        try:
            made = await publish_checkpoint(self.pool, signer, self.directory)
        except (CheckpointRefused, CheckpointConflict) as error:  # the log or a sent-out note was changed
            activity.logger.error("checkpoint refused: %s", error)
            raise ApplicationError(str(error), type=type(error).__name__, non_retryable=True) from error
        activity.logger.info("checkpoint published", extra={"tree_size": made.tree_size})
        return CheckpointMade(tree_size=made.tree_size, root_hash=made.root_hash, note=made.note)

    @activity.defn(name="mail_checkpoint")
    async def mail_checkpoint(self, checkpoint: CheckpointMade) -> WitnessReceipt:
        """Mail the checkpoint to the witness, once per size (nothing when no witness is configured)."""
        if self.witness.recipient is None or self.mailer is None:
            return WitnessReceipt()
        receipt = WitnessReceipt(recipient=self.witness.recipient, message_id=witness_message_id(checkpoint))
        marker = self.directory / f"checkpoint-{checkpoint.tree_size}.mailed"
        if marker.exists():
            return receipt
        await self.mailer.send(witness_message(checkpoint, self.witness, datetime.now(UTC)))
        self.directory.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{receipt.message_id} {receipt.recipient}\n", encoding="utf-8")
        activity.logger.info(
            "checkpoint mailed to the witness", extra={"tree_size": checkpoint.tree_size, "to": receipt.recipient}
        )
        return receipt
