"""The document activity: render a signed decision as PDF/A-2b, seal it and keep it in the document store.

It runs when a decision, a follow-up decision or a referral is signed, after the workflow has checked the
command and before its event is recorded, so that the event can name the PDF's SHA-256 (and the hash chain
covers the document). It is idempotent: the document is made from the case's events up to the command (which
a retry reads the same), and the store keeps one document per request id, so a retry answers with the first
document even if rendering again were to give other bytes. Rendering and sealing are CPU work (about 0.1 s);
they run in a thread so the worker's event loop keeps serving other cases meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.document_models import IssuedDocumentRef, IssueDocument
from documents.from_case import Signing, decision_input, follow_up_input, referral_input
from documents.issue import issue_document_blocking
from documents.models import DocumentInput, Organiser
from documents.seal import Seal
from domain import Event
from store import documents, organisers, users
from store.documents import Direction, DocumentKind, NewDocument
from store.events import EventStore


class DocumentActivities:
    """The document activity over one pool and the organisation's seal (register the bound method)."""

    def __init__(self, pool: asyncpg.Pool, seal: Seal | Callable[[], Seal]) -> None:
        self.pool = pool
        self._seal = seal

    def seal(self) -> Seal:
        """The seal (loaded once, when first needed, if the worker was given a loader)."""
        if callable(self._seal):
            self._seal = self._seal()
        return self._seal

    @activity.defn(name="issue_decision_document")
    async def issue_decision_document(self, request: IssueDocument) -> IssuedDocumentRef:
        """Make, seal and store the document ``request`` names; its reference (SHA-256) for the signing event."""
        events = await self._events(request)
        document = await self._input(request, events)
        issued = await asyncio.to_thread(issue_document_blocking, document, self.seal())
        stored = await documents.put(
            self.pool,
            NewDocument(
                case_id=request.case_id,
                kind=DocumentKind(request.kind),
                direction=Direction.OUTGOING,
                filename=issued.filename,
                media_type=issued.media_type,
                added_by=request.signed_by,
                request_id=request.request_id,
            ),
            issued.content,
        )
        activity.logger.info("document issued: %s %s", request.kind, stored.sha256, extra={"case_id": request.case_id})
        return IssuedDocumentRef(sha256=stored.sha256, filename=stored.filename, size=stored.size)

    async def _events(self, request: IssueDocument) -> list[Event]:
        stored = await EventStore(self.pool).read(request.case_id)
        if len(stored) < request.expected_seq:  # the store lags the workflow: cannot be, but never guess
            raise ApplicationError(
                f"case {request.case_id} has {len(stored)} events, the command expected {request.expected_seq}",
                type="CaseBehind",
            )
        return [e.domain_event() for e in stored[: request.expected_seq]]

    async def _input(self, request: IssueDocument, events: list[Event]) -> DocumentInput:
        organiser_id = getattr(events[0], "organiser_id", "")
        registered = await organisers.get(self.pool, organiser_id)
        organiser = Organiser(name=registered.name if registered else organiser_id, organisation_number=organiser_id)
        names = await users.full_names(self.pool)
        signing = Signing(decided_on=request.decided_on, signed_by=request.signed_by, issued_at=request.issued_at)
        try:
            if request.kind == "decision":
                return decision_input(events, signing, organiser, names)
            if request.kind == "follow_up_decision":
                return follow_up_input(events, signing, organiser, names)
            return referral_input(events, signing, organiser, names, request.reason or "", request.reference or "")
        except ValueError as error:  # the case does not hold what the document needs: retrying cannot help
            raise ApplicationError(str(error), type="DocumentInputInvalid", non_retryable=True) from error
