"""A case's documents: upload a PDF, list them, download one, and check an account's attachments.

Who sees what (issue 17): the inspectorate's staff who read case records see every document of the
case; an organiser user only its own case's documents that were sent to it (a signed decision, once its
event names it) or that came from it (its uploads, and an account staff registered for it). An upload is
checked by content before anything is stored (``documents.uploads``): a refusal stores nothing.

Direction (docs/api.md): decisions ``outgoing``; what an organiser uploads ``incoming``; a staff upload
``internal`` until an event names it — the only events that name uploads are accounts (submitted or
registered), so from then on it is ``incoming`` (the organiser's account, registered by staff).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import quote

import asyncpg
from pydantic import BaseModel, ConfigDict

from documents.uploads import ActiveContent, EncryptedPdf, NotAPdf, TooLarge, UploadRefused, check_pdf_upload
from domain import DomainError, Role, User
from domain.disclosure import is_staff
from domain.errors import Refusals, forbidden, invalid, not_found
from domain.state import CaseState
from store import cases, documents
from store.documents import Direction, DocumentKind, DocumentRecord, NewDocument
from store.rows import Source

__all__ = ["DocumentService", "DocumentView", "UploadRefused", "content_disposition"]

READERS = frozenset({Role.INSPECTOR, Role.DECISION_MAKER, Role.AUDITOR, Role.REGISTRAR})
"""Staff who read every document of a case."""
UPLOADERS = frozenset({Role.INSPECTOR, Role.DECISION_MAKER, Role.REGISTRAR, Role.ORGANISER})
"""Who may add a document to a case (an organiser user: only to its own organiser's)."""


class DocumentView(BaseModel):
    """One document of a case as the API lists it (docs/api.md, Documents)."""

    model_config = ConfigDict(frozen=True)

    sha256: str
    kind: DocumentKind
    filename: str
    media_type: str
    size: int
    direction: Direction
    registered_at: datetime
    seq: int | None
    """The first event that names the document (its signing event, or the account it belongs to)."""

    @classmethod
    def of(cls, record: DocumentRecord) -> DocumentView:
        """The view of a stored registration, with its direction as it stands now."""
        direction = record.direction
        if direction is Direction.INTERNAL and record.seq is not None:
            direction = Direction.INCOMING
        return cls(
            sha256=record.sha256,
            kind=record.kind,
            filename=record.filename,
            media_type=record.media_type,
            size=record.size,
            direction=direction,
            registered_at=record.registered_at,
            seq=record.seq,
        )


class DocumentService:
    """Upload, list and download a case's documents; check the attachments a command names."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def upload(self, user: User, case_id: str, filename: str | None, content: bytes) -> DocumentView:
        """Check ``content`` as a PDF attachment and store it in the case; :class:`UploadRefused` when it is not
        accepted (nothing stored). The same bytes again answer with the first registration."""
        await self.may_upload(user, case_id)
        accepted = check_pdf_upload(content, filename)
        record = await documents.put(
            self.pool,
            NewDocument(
                case_id=case_id,
                kind=DocumentKind.ATTACHMENT,
                direction=Direction.INTERNAL if is_staff(user) else Direction.INCOMING,
                filename=accepted.filename,
                media_type=accepted.media_type,
                added_by=user.username,
            ),
            accepted.content,
        )
        return DocumentView.of(record)

    async def upload_all(
        self, user: User, case_id: str, files: Sequence[tuple[str | None, bytes]], field: str = "attachments"
    ) -> list[str]:
        """Check every file, then store them all; their SHA-256 in order. Any refusal (a DomainError naming each
        refused file under ``field``) stores none of them (the pages' forms upload several files at once)."""
        await self.may_upload(user, case_id)
        found = Refusals()
        accepted = []
        for name, content in files:
            try:
                accepted.append(check_pdf_upload(content, name))
            except UploadRefused as error:
                found.add(upload_refusal(error, field, name))
        found.done()
        stored = []
        for upload in accepted:
            view = await self.upload(user, case_id, upload.filename, upload.content)
            stored.append(view.sha256)
        return stored

    async def may_upload(self, user: User, case_id: str) -> None:
        """Refuse (404, 403) unless the case exists and ``user`` may add documents to it."""
        state = await self._case(case_id)
        if not user.roles & UPLOADERS:
            raise forbidden("role.needed", roles=sorted(UPLOADERS), user=user.username)
        if not is_staff(user) and user.organiser_id != state.organiser_id:
            raise forbidden("organiser.other_case", user=user.username, dnr=state.dnr)

    async def list(self, user: User, case_id: str) -> list[DocumentView]:
        """The case's documents the user may see, in the order they were registered."""
        return await self.of_case(user, await self._case(case_id), self.pool)

    async def of_case(self, user: User, state: CaseState, source: Source) -> list[DocumentView]:
        """``list`` of a case read already, on ``source`` (a connection the caller holds: the case page's)."""
        _check_readable(user, state)
        found = await documents.list_for_case(source, state.case_id)
        return [DocumentView.of(r) for r in found if _may_see(user, r)]

    async def download(self, user: User, case_id: str, sha256: str) -> tuple[DocumentView, bytes]:
        """One document and its bytes; not found (404) for one the user may not see."""
        await self._readable(user, case_id)
        record = await documents.get(self.pool, case_id, sha256.lower())
        if record is None or not _may_see(user, record):
            raise not_found("documents.not_found", "sha256", value=sha256[:80])
        content = await documents.content(self.pool, record.sha256)
        if content is None:
            raise not_found("documents.gone", "sha256", value=record.sha256)
        return DocumentView.of(record), content

    async def check_attachments(self, user: User, case_id: str, attachments: Sequence[str]) -> None:
        """Refuse (422, naming each) attachments that are not documents of the case this user may attach: an
        organiser its own uploads, the inspectorate's staff any uploaded attachment of the case."""
        for index, sha256 in enumerate(attachments):
            record = await documents.get(self.pool, case_id, sha256) if isinstance(sha256, str) else None
            usable = record is not None and record.kind is DocumentKind.ATTACHMENT
            if usable and not is_staff(user):
                usable = record is not None and record.direction is Direction.INCOMING
            if not usable:
                raise invalid(f"attachments[{index}]", "attachments.unknown", value=str(sha256)[:80])

    async def _case(self, case_id: str) -> CaseState:
        state = await cases.get(self.pool, case_id)
        if state is None:
            raise not_found("case.not_found", "case_id", case_id=case_id)
        return state

    async def _readable(self, user: User, case_id: str) -> None:
        _check_readable(user, await self._case(case_id))


def _check_readable(user: User, state: CaseState) -> None:
    if is_staff(user):
        if not user.roles & READERS:
            raise forbidden("records.forbidden", user=user.username)
    elif user.organiser_id != state.organiser_id:
        raise forbidden("organiser.other_case", user=user.username, dnr=state.dnr)


_UPLOAD_KEYS = {
    NotAPdf: "upload.not_pdf",
    TooLarge: "upload.too_large",
    EncryptedPdf: "upload.encrypted",
    ActiveContent: "upload.active",
}


def upload_refusal(error: UploadRefused, field: str, filename: str | None) -> DomainError:
    """A refused upload as a refusal of the form's ``field``, naming the file (and what it holds)."""
    key = next((k for cls, k in _UPLOAD_KEYS.items() if isinstance(error, cls)), "upload.not_pdf")
    return invalid(field, key, value=filename or "filen", name=error.found)


def _may_see(user: User, record: DocumentRecord) -> bool:
    """Staff see everything; an organiser what was sent to it (named by an event) and what came from it."""
    if is_staff(user):
        return True
    if record.direction is Direction.OUTGOING:
        return record.seq is not None
    return record.direction is Direction.INCOMING or record.seq is not None


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in UTF-8 (RFC 6266 / RFC 5987)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
