"""Decision documents from a case's workflow: at signing, the sealed PDF is made before the event is recorded.

A command that signs a decision (``sign-decision``, ``sign-follow-up``, ``refer-to-supervision``) is
decided first; then the ``issue_decision_document`` activity renders, seals and stores its PDF from the
case's events up to this command, and the signing event is recorded naming the PDF's SHA-256, so the
hash chain covers the document. Runs whose history predates this step (patch ``documents-at-signing``)
record their signing events without a document, as they did.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.document_models import IssuedDocumentRef, IssueDocument, SignedKind
    from domain import events as ev
    from domain.actors import User
    from workflows.recording import on_the_command_path

DOCUMENTS_AT_SIGNING = "documents-at-signing"
"""Patch: from this release on, a signing command's event names its sealed PDF."""
ISSUE_TIMEOUT = timedelta(seconds=30)
"""Rendering and sealing take a fraction of a second; the first document of a worker also loads the seal."""
ISSUE_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=500),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=10),
    non_retryable_error_types=["DocumentInputInvalid"],
)
KINDS: dict[type[ev.EventBase], SignedKind] = {
    ev.DecisionSigned: "decision",
    ev.FollowUpSigned: "follow_up_decision",
    ev.CaseReferred: "referral",
}
"""The signing events, and the kind of document each one names."""


async def with_document(
    case_id: str, version: int, request_id: str, user: User, events: list[ev.Event]
) -> list[ev.Event]:
    """``events`` with the signing event naming its sealed PDF (made now), or unchanged when no decision is signed.

    ``version`` is the case's last seq before the command; the document is made from those events.
    """
    signing = events[0] if events else None
    kind = KINDS.get(type(signing)) if signing is not None else None
    if signing is None or kind is None or not workflow.patched(DOCUMENTS_AT_SIGNING):
        return events
    request = IssueDocument(
        case_id=case_id,
        kind=kind,
        request_id=request_id,
        expected_seq=version,
        decided_on=signing.decided_on,  # type: ignore[union-attr]
        signed_by=user.username,
        issued_at=workflow.now(),
        reason=getattr(signing, "reason", None),
        reference=getattr(signing, "reference", None),
    )
    # in the case's own workflow task (see workflows/recording.py)
    issued = await on_the_command_path(
        "issue_decision_document", request, IssuedDocumentRef, ISSUE_TIMEOUT, ISSUE_RETRY
    )
    return [signing.model_copy(update={"document_sha256": issued.sha256}), *events[1:]]
