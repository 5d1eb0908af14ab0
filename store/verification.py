"""The whole audit in one call: the store against a signed checkpoint (store.proofs) and the read model
against the events (store.read_model_check), as ``inspections audit verify`` and ``GET /audit/verify`` give it."""

from __future__ import annotations

from store.proofs import ProofReport, verify_store
from store.read_model_check import verify_read_model
from store.rows import Source
from store.signed_note import NoteVerifier


async def verify_all(source: Source, verifier: NoteVerifier, checkpoint_note: str | None = None) -> ProofReport:
    """Every chain, the log against ``checkpoint_note`` (default: the latest genuine stored checkpoint),
    each case's chain against where the log says it ends, and every read-model row against its events.

    The failures of both parts come in one list: chain and log findings first, then read-model rows
    (each naming its case, and the column that differs).
    """
    proofs = await verify_store(source, verifier, checkpoint_note)
    read_model = await verify_read_model(source)
    failures = proofs.failures + read_model.failures
    return proofs.model_copy(update={"ok": not failures, "failures": failures})
