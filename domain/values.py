"""Value objects shared by commands, events and state: areas, outcomes and statuses."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Base for immutable value objects; unknown fields are refused, not dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CaseStatus(StrEnum):
    """The states of a case (docs/api.md)."""

    UNDER_REVIEW = "under_review"
    DECISION_PENDING_SIGNATURE = "decision_pending_signature"
    AWAITING_RESPONSE = "awaiting_response"
    RESPONSE_RECEIVED = "response_received"
    FOLLOW_UP_PENDING_SIGNATURE = "follow_up_pending_signature"
    CLOSED = "closed"
    REFERRED = "referred"


TERMINAL_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.REFERRED})


class AreaStatus(StrEnum):
    """Where one assessment area stands: still open, or closed for one of two reasons."""

    OPEN = "open"
    NO_REQUIREMENTS = "no_requirements"
    IN_LINE = "in_line"


class Outcome(StrEnum):
    """The follow-up decision's verdict on one area."""

    IN_LINE = "in_line"
    FURTHER_MEASURES_REQUIRED = "further_measures_required"


class DraftKind(StrEnum):
    """Which kind of text awaits a signature."""

    DECISION = "decision"
    FOLLOW_UP = "follow_up"


class Recipient(StrEnum):
    """Who a reminder goes to."""

    ORGANISER = "organiser"
    INSPECTORATE = "inspectorate"


class AreaSpec(Frozen):
    """An assessment area (bedömningsområde) as the review defines it."""

    code: str
    title: str
    legal_basis: str


class DecisionArea(Frozen):
    """The decision's assessment of one area and its development requirements."""

    code: str
    assessment: str
    requirements: tuple[str, ...] = ()


class ResponseArea(Frozen):
    """The organiser's account of one area: what was done and how it will be evaluated."""

    code: str
    measures: str
    evaluation: str


class FollowUpArea(Frozen):
    """The follow-up decision's outcome for one area, with its motivation."""

    code: str
    outcome: Outcome
    motivation: str


class ApprovalKind(StrEnum):
    """Who approved the organiser's account: its board, an official by delegation, or nobody needed to."""

    BOARD = "board"
    DELEGATION = "delegation"
    NOT_REQUIRED = "not_required"


class Approval(Frozen):
    """The approval of the organiser's account, one of three kinds:

    by the board with its paragraph (Bildningsnämnden 2021-09-15 § 122), by an official the board
    delegated to (name and title), or not required (the organiser's own rules, named in ``basis``).
    """

    decided_on: date
    body: str | None = None
    paragraph: str | None = None
    delegated_to: str | None = None
    title: str | None = None
    basis: str | None = None

    @property
    def kind(self) -> ApprovalKind:
        """Which of the three kinds this approval is."""
        if self.delegated_to is not None:
            return ApprovalKind.DELEGATION
        if self.basis is not None:
            return ApprovalKind.NOT_REQUIRED
        return ApprovalKind.BOARD


BoardApproval = Approval
"""The name of :class:`Approval` from when only a board could approve."""
