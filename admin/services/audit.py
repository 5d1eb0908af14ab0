"""The records: verify the store (chains, log, checkpoints, read model), sign and read checkpoints, export
a proven case, rebuild the read model, and a case's events and Temporal histories as an operator reads
them (the auditor's page, ``/api/v1/audit/*`` and the ``audit``, ``projections``, ``cases show`` and
``history`` commands).

Checkpoints are signed with the key file the settings name (runtime.checkpoint_key), read when it is
needed: a process without the key still serves everything else, and says what is missing when asked
for a checkpoint. Verification needs only the public key (``public_key``), or takes it from the key file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from pydantic import BaseModel
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from runtime.checkpoint_key import CheckpointKeyError, load_signer
from runtime.config import Settings
from store import audit, projections
from store.audit import ExportReport, VerifyReport
from store.case_export import NoCheckpoint, ProvenExportReport, export_case
from store.checkpoints import CheckpointConflict, CheckpointRefused, StoredCheckpoint, latest_checkpoint
from store.checkpoints import publish_checkpoint as publish
from store.events import EventStore
from store.projections import RebuildReport
from store.proof_scan import Failure
from store.records import StoredEvent
from store.signed_note import NoteError, NoteSigner, NoteVerifier
from store.verification import verify_all
from workflows.models import case_workflow_id, round_workflow_id

__all__ = [
    "AuditReport",
    "AuditService",
    "CheckpointConflict",
    "CheckpointFiles",
    "CheckpointKeyError",
    "CheckpointRefused",
    "ExportReport",
    "Failure",
    "NoCheckpoint",
    "NoteError",
    "ProvenExportReport",
    "RebuildReport",
    "StoredCheckpoint",
    "StoredEvent",
    "VerifyReport",
]


@dataclass(frozen=True)
class CheckpointFiles:
    """The checkpoint key file and the folder signed checkpoints are sent out to (from the settings)."""

    key_file: Path
    out_dir: Path

    @classmethod
    def of(cls, settings: Settings) -> CheckpointFiles:
        """The files ``settings`` name (``INSPECTIONS_CHECKPOINT_KEY_FILE``, ``_DIR``, or under the data dir)."""
        return cls(settings.checkpoint_key_path, settings.checkpoint_out_dir)


class AuditReport(BaseModel):
    """docs/api.md's ``/audit/verify`` answer: ok, what was checked, and each failure (case, seq, log index
    and reason, as far as they are known; a read-model row names its case and column in the reason)."""

    ok: bool
    cases_checked: int
    events_checked: int
    tree_size: int | None = None
    """The log's size (None: only one case's chain was checked)."""
    root_hash: str | None = None
    """The log's root hash today, base64."""
    checkpoint_size: int | None = None
    """The size of the signed checkpoint checked against (None: there was none)."""
    pending: int = 0
    """Events committed after the sequencer ran, not logged yet (not a failure)."""
    failures: list[Failure]


class AuditService:
    """The event store read as evidence, and the read model rebuilt from it."""

    def __init__(
        self, pool: asyncpg.Pool, client: Client | None = None, checkpoints: CheckpointFiles | None = None
    ) -> None:
        self.pool = pool
        self.client = client
        self.checkpoints = checkpoints

    def files(self) -> CheckpointFiles:
        """The checkpoint files; CheckpointKeyError when this process was given none."""
        if self.checkpoints is None:
            raise CheckpointKeyError("This process was started without a checkpoint key (no settings given).")
        return self.checkpoints

    def signer(self) -> NoteSigner:
        """The checkpoint key; CheckpointKeyError naming the file and what to do when it is missing or unsafe."""
        return load_signer(self.files().key_file)

    def verifier(self, public_key: str | None = None) -> NoteVerifier:
        """The verifier of ``public_key`` (``<name>+<key id>+<base64>``; NoteError if malformed), or the key file's."""
        return NoteVerifier.parse(public_key) if public_key else self.signer().verifier

    def public_key(self) -> str:
        """The public key that checks the checkpoints (to publish; ``tools/verify_export.py --public-key``)."""
        return self.signer().verifier.encode()

    async def resolve(self, case_id_or_dnr: str) -> str:
        """The case id of a case id or Dnr; UnknownCase when no case has it."""
        return await audit.resolve_case(self.pool, case_id_or_dnr)

    async def checkpoint(self) -> StoredCheckpoint:
        """Sign a checkpoint of the whole log (the latest again when no event came since), store it and send it
        out to the checkpoint folder. CheckpointRefused when the log no longer extends the latest signed one;
        CheckpointConflict when the folder holds another checkpoint of the same size."""
        return await publish(self.pool, self.signer(), self.files().out_dir)

    async def latest_checkpoint(self) -> StoredCheckpoint | None:
        """The largest stored checkpoint genuinely signed by the key (None: none yet)."""
        return await latest_checkpoint(self.pool, self.verifier())

    async def verify(
        self, case_id: str | None = None, checkpoint_note: str | None = None, public_key: str | None = None
    ) -> AuditReport:
        """Verify the whole store: every chain, the log against ``checkpoint_note`` (default: the latest signed
        checkpoint stored), each case's chain against where the log says it ends, and the read model against
        the events. With ``case_id``: that case's chain only (no key needed)."""
        if case_id is not None:
            chain = await audit.verify(self.pool, case_id)
            failures = [Failure(**f.model_dump()) for f in chain.failures]
            return AuditReport(
                ok=chain.ok, cases_checked=chain.cases_checked, events_checked=chain.events_checked, failures=failures
            )
        report = await verify_all(self.pool, self.verifier(public_key), checkpoint_note)
        return AuditReport(**report.model_dump(include=set(AuditReport.model_fields)))

    async def export(self, case: str, out: Path) -> ProvenExportReport:
        """Write the case's proven export: a checkpoint is signed first, then its events, each with an inclusion
        proof in it, and the signed checkpoint (JSON Lines; ``tools/verify_export.py`` checks it)."""
        case_id = await self.resolve(case)  # an unknown case is named before the key is needed
        await self.checkpoint()
        return await export_case(self.pool, case_id, out, self.verifier())

    async def rebuild_projections(self) -> RebuildReport:
        """Recompute the read model from the events alone, in one transaction (needs the owner's pool)."""
        async with self.pool.acquire() as conn:
            return await projections.rebuild(conn)

    async def events(self, case_id: str) -> list[StoredEvent]:
        """The case's events, oldest first."""
        return await EventStore(self.pool).read(case_id)

    async def histories(self, case_id: str, rounds: int) -> list[dict[str, Any]]:
        """Every run of the case's workflow, then of its round children, oldest first, as JSON.

        A case opened before the round clock moved into the case workflow has a child per round (up to
        ``rounds``); a newer case has none, and its children's ids simply have no runs.
        """
        if self.client is None:
            raise RuntimeError("reading histories needs a Temporal client (bootstrap(..., temporal=True))")
        ids = [case_workflow_id(case_id)] + [round_workflow_id(case_id, n) for n in range(1, rounds + 1)]
        return [run for workflow_id in ids for run in await _runs(self.client, workflow_id)]


async def _runs(client: Client, workflow_id: str) -> list[dict[str, Any]]:
    """Every run of ``workflow_id``, oldest first (following continue-as-new back); [] when there is none."""
    try:
        run_id: str | None = (await client.get_workflow_handle(workflow_id).describe()).run_id
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return []
        raise
    runs = []
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        runs.append({"workflow_id": workflow_id, "run_id": run_id, "history": json.loads(history.to_json())})
        started = history.events[0].workflow_execution_started_event_attributes if history.events else None
        run_id = started.continued_execution_run_id if started else None
    return runs[::-1]
