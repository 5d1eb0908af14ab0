"""A case's export that proves itself: its events, each with an inclusion proof, and the signed checkpoint.

JSON Lines, oldest event first. Each event line holds the chained fields and ``hash`` exactly as
``store.audit.export`` writes them, plus ``log_index`` and ``inclusion_proof`` (base64 hashes, RFC 6962
audit path in the checkpoint's tree); the last line is ``{"checkpoint": "<signed note>"}``.
``tools/verify_export.py`` checks such a file with the log's public key and no project code: each
hash, each link, each leaf's inclusion in the checkpoint's root, and the checkpoint's signature.
An event logged after the checkpoint has ``"inclusion_proof": null`` (make a checkpoint first).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from pydantic import BaseModel

from domain.merkle import MerkleTree
from store.audit import resolve_case
from store.checkpoints import CheckpointRefused, latest_checkpoint
from store.log import leaf_hashes, sequence
from store.rows import CHAIN_COLUMNS, Source, chained_fields, connection
from store.signed_note import NoteVerifier


class NoCheckpoint(Exception):
    """There is no signed checkpoint to prove the export against; make one first."""


class ProvenExportReport(BaseModel):
    """What a proven export wrote."""

    case_id: str
    events: int
    proven: int
    """Events with an inclusion proof (the others were logged after the checkpoint)."""
    tree_size: int
    path: Path


async def export_case(
    source: Source, case_id_or_dnr: str, out_path: Path, verifier: NoteVerifier
) -> ProvenExportReport:
    """Write the case's proven export to ``out_path`` against the latest genuine checkpoint (file appears whole)."""
    out_path = Path(out_path)
    async with connection(source) as conn:
        await sequence(conn)
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            case_id = await resolve_case(conn, case_id_or_dnr)
            checkpoint = await latest_checkpoint(conn, verifier)
            if checkpoint is None:
                raise NoCheckpoint("There is no signed checkpoint yet: make one (`inspections audit checkpoint`).")
            tree = MerkleTree(await leaf_hashes(conn, checkpoint.tree_size))
            if tree.root() != checkpoint.root:
                raise CheckpointRefused(
                    f"The log's first {checkpoint.tree_size} leaves no longer hash to the latest signed checkpoint: "
                    "run `inspections audit verify`."
                )
            rows = await conn.fetch(
                f"""SELECT e.*, l.log_index FROM (SELECT {CHAIN_COLUMNS} FROM events WHERE case_id = $1) AS e
                    LEFT JOIN event_log l ON l.case_id = e.case_id AND l.seq = e.seq ORDER BY e.seq""",
                case_id,
            )
    lines, proven = [], 0
    for row in rows:
        line = chained_fields(row)
        line["hash"] = row["hash"]
        index = row["log_index"]
        covered = index is not None and index < checkpoint.tree_size
        line["log_index"] = index
        line["inclusion_proof"] = (
            [base64.b64encode(h).decode() for h in tree.inclusion_proof(index)] if covered else None
        )
        proven += covered
        lines.append(json.dumps(line, ensure_ascii=False))
    lines.append(json.dumps({"checkpoint": checkpoint.note}, ensure_ascii=False))
    partial = out_path.with_name(out_path.name + ".partial")
    try:
        partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
        partial.replace(out_path)
    finally:
        partial.unlink(missing_ok=True)
    return ProvenExportReport(
        case_id=case_id, events=len(rows), proven=proven, tree_size=checkpoint.tree_size, path=out_path
    )
