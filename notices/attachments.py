"""The files a notice carries: a decision's letter carries the sealed PDF its signing event names.

The signing event (``DecisionSigned``, ``FollowUpSigned``, ``CaseReferred``) names the document by its
SHA-256 (``document_sha256``); the document store holds its bytes and file name. A decision signed before
documents were made names none, and its letter goes without.
"""

from __future__ import annotations

import asyncpg
import structlog

from domain import events as ev
from notices.render import MailAttachment
from store import documents

log = structlog.get_logger(__name__)


async def files_for(conn: asyncpg.Connection, cause: ev.Event) -> tuple[MailAttachment, ...]:
    """The files the notice caused by ``cause`` carries (none, or the decision's sealed PDF)."""
    sha256 = getattr(cause, "document_sha256", None)
    if not sha256:
        return ()
    record = await documents.get(conn, cause.case_id, sha256)  # type: ignore[arg-type]
    content = await documents.content(conn, sha256)  # type: ignore[arg-type]
    if record is None or content is None:
        # The event names a document the store does not hold (disposed of): the letter still goes out.
        log.warning("decision document missing for a notice", case_id=cause.case_id, sha256=sha256)
        return ()
    return (MailAttachment(filename=record.filename, media_type=record.media_type, content=content),)
