"""The archival package of one case: gather it from the store, build it with ``archive``, write it whole.

``inspections archive export --case <id|Dnr> --out DIR|FILE.zip`` and ``GET /api/v1/cases/{id}/archive-package``
(role auditor) both end here. Only a closed or referred case gets a package, unless ``include_open`` asks for
one that says throughout that it is not final. A checkpoint of the log is signed first (as for the proven
export), so every event of the case comes with its inclusion proof.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from admin.services.audit import AuditService
from archive.model import ArchiveDocument, ArchiveEntry, PackageInput
from archive.package import ArchiveTargetError, PackageReport, write_package
from domain.values import TERMINAL_STATUSES
from store import cases, documents, organisers, register_read
from store.events import EventStore

__all__ = ["ArchiveService", "ArchiveTargetError", "CaseStillOpen", "PackageReport"]


class CaseStillOpen(Exception):
    """The case is not closed or referred, and no package was asked for anyway; the message says so."""


class ArchiveService:
    """Archival packages over one pool, signing checkpoints with the audit service's key."""

    def __init__(self, pool: asyncpg.Pool, audit: AuditService) -> None:
        self.pool = pool
        self.audit = audit

    async def export(self, case: str, out: Path, *, include_open: bool = False) -> PackageReport:
        """Write the case's E-ARK SIP to ``out`` (a folder that gets the package's top folder, or a ``.zip``).

        UnknownCase for an unknown case id or Dnr; CaseStillOpen for an open case without ``include_open``;
        ArchiveTargetError when ``out`` cannot be written (nothing is left half-written); the audit service's
        checkpoint errors when no checkpoint can be signed.
        """
        case_id = await self.audit.resolve(case)
        state = await cases.get(self.pool, case_id)
        assert state is not None, "a resolved case has a read-model row"
        final = state.status in TERMINAL_STATUSES
        if not final and not include_open:
            raise CaseStillOpen(
                f"Case {state.dnr} is {state.status.value}: only a closed or referred case is archived. "
                "Use --include-open for a package marked as not final."
            )
        _check_target(Path(out))
        with tempfile.TemporaryDirectory(prefix="archive-export-") as folder:
            proven = Path(folder) / "events.jsonl"
            await self.audit.export(case_id, proven)  # signs a checkpoint first
            events_jsonl = proven.read_bytes()
        note = json.loads(events_jsonl.decode().strip().splitlines()[-1])["checkpoint"]
        stored = await EventStore(self.pool).read(case_id)
        events = tuple(e.domain_event() for e in stored)
        ended = [e.occurred_on for e in stored if e.type in ("CaseClosed", "CaseReferred")]
        organiser = await organisers.get(self.pool, state.organiser_id)
        rows = await register_read.for_case(self.pool, case_id)
        named = {r.document_sha256 for r in rows if r.document_sha256}
        held = []
        for record in await documents.list_for_case(self.pool, case_id):
            if record.sha256 in named:
                content = await documents.content(self.pool, record.sha256)
                held.append(
                    ArchiveDocument(
                        **record.model_dump(include={"sha256", "filename", "media_type", "size", "registered_at"}),
                        kind=record.kind.value,
                        content=content,
                    )
                )
        package = PackageInput(
            case_id=case_id,
            dnr=state.dnr,
            title=state.title,
            organiser_id=state.organiser_id,
            organiser_name=organiser.name if organiser else state.organiser_id,
            status=state.status,
            opened_on=state.opened_on,
            ended_on=max(ended) if ended else None,
            final=final,
            events=events,
            last_hash=stored[-1].hash,
            entries=tuple(ArchiveEntry(**r.model_dump(include=set(ArchiveEntry.model_fields))) for r in rows),
            documents=tuple(held),
            events_jsonl=events_jsonl,
            checkpoint_note=note,
            public_key=self.audit.public_key(),
            created_at=datetime.now(UTC).replace(microsecond=0),
        )
        return await asyncio.to_thread(write_package, package, Path(out))


def _check_target(out: Path) -> None:
    """Refuse a target that cannot be written before any work is done (write_package checks again)."""
    folder = out.parent if out.suffix.lower() == ".zip" else out
    if folder.exists() and not folder.is_dir():
        raise ArchiveTargetError(f"{folder} is a file: name a folder, or a file ending in .zip.")
    if not folder.is_dir():
        raise ArchiveTargetError(f"The folder {folder} does not exist: create it or name another --out.")
    probe = None
    try:
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".archive-probe-", delete=True)  # noqa: SIM115
    except OSError as error:
        raise ArchiveTargetError(
            f"Cannot write in {folder} ({error.strerror}): name a folder you may write to."
        ) from None
    finally:
        if probe is not None:
            probe.close()
