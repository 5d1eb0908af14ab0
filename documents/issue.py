"""Issue a decision document: render it as PDF/A-2b, seal it, and name it — the one call an activity makes.

Deterministic: the same input model and the same seal give the same bytes (and so the same
SHA-256), so a retried activity stores nothing new and the signing event names one document.
"""

from __future__ import annotations

import asyncio
import hashlib

from pydantic import BaseModel, ConfigDict

from documents.filenames import sanitise_filename
from documents.models import DocumentInput, DocumentKind
from documents.render import render_pdf
from documents.seal import Seal, seal_pdf

PDF_MEDIA_TYPE = "application/pdf"
_FILE_LABEL = {"decision": "Beslut", "follow_up_decision": "Uppföljningsbeslut", "referral": "Beslut om tillsyn"}


class IssuedDocument(BaseModel):
    """A sealed decision PDF ready to store (``store.documents.put``) and to name in the signing event."""

    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    filename: str
    media_type: str
    content: bytes
    sha256: str
    size: int


def document_filename(document: DocumentInput) -> str:
    """E.g. "Uppföljningsbeslut 2025-1234 2026-03-05.pdf" (the Dnr's ':' and '/' become '-')."""
    dnr = document.dnr.replace(":", "-").replace("/", "-")
    return sanitise_filename(f"{_FILE_LABEL[document.kind]} {dnr} {document.decided_on.isoformat()}.pdf")


async def issue_document(document: DocumentInput, seal: Seal) -> IssuedDocument:
    """Render ``document`` and seal it at ``document.issued_at``."""
    sealed = await seal_pdf(render_pdf(document), seal, document.issued_at)
    return IssuedDocument(
        kind=document.kind,
        filename=document_filename(document),
        media_type=PDF_MEDIA_TYPE,
        content=sealed,
        sha256=hashlib.sha256(sealed).hexdigest(),
        size=len(sealed),
    )


def issue_document_blocking(document: DocumentInput, seal: Seal) -> IssuedDocument:
    """:func:`issue_document` for a worker thread (``await asyncio.to_thread(issue_document_blocking, …)``).

    Rendering and sealing are CPU work (about 0.1 s a document); an async activity should not
    hold its event loop for it.
    """
    return asyncio.run(issue_document(document, seal))
