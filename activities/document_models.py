"""Payloads of the document activity: one pydantic model in, one out (workflows import this module, not the
activity, so they depend on the interface only)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

SignedKind = Literal["decision", "follow_up_decision", "referral"]
"""The decisions that are issued as sealed PDF documents when they are signed."""


class IssueDocument(BaseModel):
    """Render, seal and store the document a signing command decides, before its event is recorded.

    The document reads the case's first ``expected_seq`` events (the case as the command found it) and the
    command's own values; ``request_id`` is the command's, so a retried command gets its first document.
    """

    case_id: str
    kind: SignedKind
    request_id: str
    expected_seq: int = Field(ge=1)
    decided_on: date
    signed_by: str
    """Username of the decision maker who signs."""
    issued_at: datetime
    """The workflow's clock when the command was handled: the PDF's date and the seal's signing time."""
    reason: str | None = None
    """A referral's reason."""
    reference: str | None = None
    """A referral's supervision case (its Dnr)."""


class IssuedDocumentRef(BaseModel):
    """The stored document, by reference: what the signing event names."""

    sha256: str
    filename: str
    size: int
