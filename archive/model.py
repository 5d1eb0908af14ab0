"""What an archival package is built from: one case, gathered by the caller (admin.services.archive).

Nothing here reads a database: the caller fills :class:`PackageInput` from the store (the case's
events, its register, its documents and their bytes, its proven export with the signed checkpoint)
and :func:`archive.package.write_package` turns it into an E-ARK SIP.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from domain.events import Event
from domain.register import Direction, EntryKind
from domain.values import CaseStatus, Frozen

_PACKAGE_NAMESPACE = uuid.UUID("5b0e5a52-6f0c-4f51-9d3c-2b8f7e0a1c18")
AGENCY = "Skolinspektionen"
"""The authority whose records these are (the package's creator and the ERMS maintenance agency)."""
SOFTWARE = "inspections"


class ArchiveDocument(Frozen):
    """A document of the case: its registration and its bytes (None when disposed of)."""

    sha256: str
    filename: str
    media_type: str
    size: int
    kind: str
    registered_at: datetime
    content: bytes | None


class ArchiveEntry(Frozen):
    """One register entry of the case (store.register_read.RegisterRow, as the package needs it)."""

    number: int
    seq: int
    registered_on: date
    recorded_at: datetime
    direction: Direction
    kind: EntryKind
    counterpart: str | None
    description: str
    document_sha256: str | None
    registered_by: str
    secrecy_lagrum: str | None = None
    secrecy_marked_on: date | None = None
    disposed_on: date | None = None
    disposal_rule: str | None = None


class PackageInput(Frozen):
    """Everything one case's package holds."""

    case_id: str
    dnr: str
    title: str
    organiser_id: str
    organiser_name: str
    status: CaseStatus
    opened_on: date
    ended_on: date | None
    """The day the case was closed or referred (None: still open)."""
    final: bool
    """False for a package of a case still open (``--include-open``): marked as not final throughout."""
    events: tuple[Event, ...]
    last_hash: str
    """The hash of the case's last event: the package's id follows the case's content."""
    entries: tuple[ArchiveEntry, ...]
    documents: tuple[ArchiveDocument, ...]
    events_jsonl: bytes
    """The case's proven export (store.case_export): events with their hash chain and inclusion proofs."""
    checkpoint_note: str
    """The signed checkpoint the inclusion proofs lead to."""
    public_key: str
    """The checkpoint key's public half (``<name>+<key id>+<base64>``) to check it with."""
    created_at: datetime
    software_version: str = "0.1.0"

    @property
    def package_id(self) -> str:
        """The package's OBJID and top folder: the same case content always gives the same id."""
        name = "\n".join((self.case_id, self.last_hash, "final" if self.final else "not-final"))
        return f"uuid-{uuid.uuid5(_PACKAGE_NAMESPACE, name)}"

    def document(self, sha256: str) -> ArchiveDocument | None:
        """The case's document with this hash, if registered."""
        return next((d for d in self.documents if d.sha256 == sha256), None)


def document_path(entry_number: int, sha256: str) -> str:
    """Where a document's bytes lie in the package (ASCII only: archives' file systems vary)."""
    return f"representations/rep1/data/documents/handling-{entry_number:03d}-{sha256[:12]}.pdf"


def unregistered_path(sha256: str) -> str:
    """Where a document no register entry names lies (an upload not yet sent or referred to)."""
    return f"representations/rep1/data/documents/document-{sha256[:12]}.pdf"
