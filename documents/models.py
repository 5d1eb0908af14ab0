"""What a decision document says: one input model per kind, built by the caller from the case.

The caller (an activity at signing) fills these from the case's events (``domain.state.CaseState``
and the signed draft) and from the people's full names; nothing here reads a database. Every
date is the business date the case records, and ``issued_at`` is the time of the signing
command on the workflow's clock, so a retried activity renders and seals the same bytes.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, model_validator

from domain.values import Frozen, Outcome

NonEmpty = Annotated[str, Field(min_length=1)]
"""A text that must say something."""


class Organiser(Frozen):
    """The school organiser (huvudman) the decision is addressed to."""

    name: NonEmpty
    organisation_number: NonEmpty


class DocumentArea(Frozen):
    """One assessment area as the decision judged it."""

    code: NonEmpty
    title: NonEmpty
    legal_basis: NonEmpty
    """Författningsstöd, e.g. "1 kap. 9 §, 2 kap. 8 §, 4 kap. 7 § skollagen"."""
    assessment: NonEmpty
    """The decision's assessment (bedömning)."""
    requirements: tuple[str, ...] = ()
    """Development requirements (utvecklingsbehov), one bullet each."""


class FollowUpDocumentArea(DocumentArea):
    """One area of a follow-up decision: the original assessment and the new outcome."""

    outcome: Outcome
    motivation: NonEmpty
    """Skolinspektionen's motivation; blank lines separate its paragraphs."""


class DocumentBase(Frozen):
    """What every decision document shares: the case, the addressee, the date and who decided."""

    dnr: NonEmpty
    case_title: NonEmpty
    organiser: Organiser
    decided_on: date
    issued_at: AwareDatetime
    """When the signing command was issued (workflow clock): the PDF's creation date and the seal's time."""
    decision_maker: NonEmpty
    """Full name of the beslutsfattare who signed."""
    review_type: str = "kvalitetsgranskning"
    """E.g. "planerad kvalitetsgranskning" or "regelbunden kvalitetsgranskning" (a case field)."""
    review_period: str | None = None
    """E.g. "vårterminen 2025" (a case field); omitted from the text when unknown."""


class DecisionDocument(DocumentBase):
    """The decision (beslut) after the review: per area an assessment and its requirements."""

    kind: Literal["decision"] = "decision"
    drafter: NonEmpty
    """Full name of the föredragande who drafted the text."""
    areas: tuple[DocumentArea, ...] = Field(min_length=1)
    response_due: date | None
    """When the account is due; None when no area has a requirement (the decision closes the case)."""

    @model_validator(mode="after")
    def _due_date_when_required(self) -> DecisionDocument:
        if any(a.requirements for a in self.areas) != (self.response_due is not None):
            raise ValueError("response_due is set exactly when some area has a requirement")
        return self


class FollowUpDecisionDocument(DocumentBase):
    """The follow-up decision (uppföljningsbeslut) on the organiser's account of one round."""

    kind: Literal["follow_up_decision"] = "follow_up_decision"
    drafter: NonEmpty
    round: int = Field(ge=1)
    first_decided_on: date
    """Date of the decision that identified the development requirements."""
    previous_follow_up_on: date | None = None
    """From round 2 on: the follow-up decision that started this round."""
    response_due: date
    """The due date of the account this decision judges."""
    received_on: date
    """When the account arrived at the Inspectorate."""
    areas: tuple[FollowUpDocumentArea, ...] = Field(min_length=1)
    next_response_due: date | None
    """When some area needs further measures: the due date of the next account."""

    @model_validator(mode="after")
    def _next_due_when_open(self) -> FollowUpDecisionDocument:
        if self.closes_case == (self.next_response_due is not None):
            raise ValueError("next_response_due is set exactly when some area needs further measures")
        if self.round >= 2 and self.previous_follow_up_on is None:
            raise ValueError("a follow-up decision from round 2 on cites the follow-up decision that started it")
        return self

    @property
    def closes_case(self) -> bool:
        """Every area is in line: the decision closes the review."""
        return all(a.outcome is Outcome.IN_LINE for a in self.areas)


class ReferralDocument(DocumentBase):
    """The decision to end the follow-up and refer the case to supervision (tillsyn)."""

    kind: Literal["referral"] = "referral"
    first_decided_on: date | None
    response_due: date | None
    """The due date of the account the organiser was asked for, if any."""
    areas: tuple[DocumentArea, ...] = Field(min_length=1)
    """The areas still open when the case is referred."""
    reason: NonEmpty
    reference: NonEmpty
    """The supervision case's Dnr."""


DocumentInput = DecisionDocument | FollowUpDecisionDocument | ReferralDocument
DocumentKind = Literal["decision", "follow_up_decision", "referral"]
