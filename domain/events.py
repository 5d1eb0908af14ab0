"""Events: the facts of a case. Each event type is one class here, and the class says it all:

its type name and data (what the store keeps, so field names and order are part of the audit
chain: never change them), its Swedish ``label``, how it changes the case's state
(:meth:`EventBase.changes`) and the notices it causes (:meth:`EventBase.notices`).
``EVENT_TYPES``, ``EVENT_CLASSES`` and the ``Event`` union are derived from the classes below,
so a new event type is one new class and nothing else.
"""

from __future__ import annotations

from datetime import date
from functools import reduce
from operator import or_
from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field, TypeAdapter

from domain.actors import ActorRef
from domain.notices import Notice, NoticeKind
from domain.state import AreaState, CaseState, DecisionDraft, FollowUpDraft, ResponseDraft, reminder_key
from domain.values import (
    Approval,
    AreaSpec,
    AreaStatus,
    CaseStatus,
    DecisionArea,
    DraftKind,
    FollowUpArea,
    Frozen,
    Outcome,
    Recipient,
    ResponseArea,
)

ENVELOPE_FIELDS = frozenset({"type", "event_id", "case_id", "occurred_on", "actor"})
_ORG, _INSP = Recipient.ORGANISER, Recipient.INSPECTORATE


class EventBase(Frozen):
    """The envelope every event shares, and what every event type declares."""

    label: ClassVar[str]
    """The event's name in Swedish, as the timeline shows it."""
    added_later: ClassVar[frozenset[str]] = frozenset()
    """Fields added after events of this type were first recorded: left out of ``data()`` while they hold
    their default, so a fact recorded as before keeps exactly the data (and so the hash) it always had."""

    event_id: str
    case_id: str
    occurred_on: date
    actor: ActorRef

    def data(self) -> dict[str, Any]:
        """The event's own data as JSON-ready values (what the store keeps in ``data``)."""
        unset = {name for name in self.added_later if getattr(self, name) == type(self).model_fields[name].default}
        return self.model_dump(mode="json", exclude=set(ENVELOPE_FIELDS) | unset)

    def evolve(self, state: CaseState | None) -> CaseState:
        """The state after this event (the old one is untouched); only CaseOpened may come first."""
        if state is None:
            raise ValueError(f"{self.type} cannot come before CaseOpened")  # type: ignore[attr-defined]
        return state.model_copy(update={"version": state.version + 1, **self.changes(state)})

    def changes(self, state: CaseState) -> dict[str, object]:
        """The fields of ``state`` this event sets (``evolve`` counts the version)."""
        raise NotImplementedError(f"{type(self).__name__} does not say how it changes the state")

    def notices(self, dnr: str) -> list[Notice]:
        """The notices this event on the case with registration number ``dnr`` causes (most cause none)."""
        return []


class CaseOpened(EventBase):
    """An inspector opened the case: its Dnr, organiser, title and assessment areas."""

    type: Literal["CaseOpened"] = "CaseOpened"
    label = "Ärendet öppnat"
    dnr: str
    organiser_id: str
    title: str
    opened_on: date
    areas: tuple[AreaSpec, ...]
    review_type: str | None = None
    """E.g. "planerad kvalitetsgranskning"; decisions name the review so."""
    review_period: str | None = None
    """When the review was carried out, e.g. "vårterminen 2025"."""
    added_later = frozenset({"review_type", "review_period"})

    def evolve(self, state: CaseState | None) -> CaseState:
        """A new case: every area open."""
        return CaseState(
            case_id=self.case_id,
            dnr=self.dnr,
            organiser_id=self.organiser_id,
            title=self.title,
            opened_on=self.opened_on,
            review_type=self.review_type,
            review_period=self.review_period,
            responsible=self.actor.username,
            version=1,
            areas=tuple(AreaState(code=a.code, title=a.title, legal_basis=a.legal_basis) for a in self.areas),
        )


class CaseAssigned(EventBase):
    """The case got another responsible inspector (handläggare): from whom, to whom."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)
    type: Literal["CaseAssigned"] = "CaseAssigned"
    label = "Ny handläggare"
    from_: str | None = Field(alias="from")
    """The responsible inspector before (None for a case opened before cases had one)."""
    to: str

    def changes(self, state: CaseState) -> dict[str, object]:
        return {"responsible": self.to}


class SignerDesignated(EventBase):
    """The decision maker who is to sign the case's decisions was named (None: any decision maker may)."""

    type: Literal["SignerDesignated"] = "SignerDesignated"
    label = "Beslutsfattare utsedd"
    signer: str | None

    def changes(self, state: CaseState) -> dict[str, object]:
        return {"designated_signer": self.signer}


class DecisionDrafted(EventBase):
    """An inspector drafted the decision: an assessment and requirements per area."""

    type: Literal["DecisionDrafted"] = "DecisionDrafted"
    label = "Utkast till beslut"
    areas: tuple[DecisionArea, ...]
    response_due: date | None

    def changes(self, state: CaseState) -> dict[str, object]:
        draft = DecisionDraft(
            drafted_by=self.actor.username,
            drafted_on=self.occurred_on,
            areas=self.areas,
            response_due=self.response_due,
        )
        return {"status": CaseStatus.DECISION_PENDING_SIGNATURE, "decision_draft": draft}


class DecisionSigned(EventBase):
    """A decision maker (not the drafter) signed the decision; areas without requirements close."""

    type: Literal["DecisionSigned"] = "DecisionSigned"
    label = "Beslut signerat"
    decided_on: date
    drafted_by: str
    response_due: date | None
    document_sha256: str | None = None
    """The SHA-256 of the sealed PDF of this decision (the case's document store holds it); the hash chain
    covers it. None for decisions signed before documents were made."""
    added_later = frozenset({"document_sha256"})

    def changes(self, state: CaseState) -> dict[str, object]:
        draft = state.decision_draft
        assert draft is not None, "DecisionSigned without a draft"
        areas = state.areas_with(
            {
                a.code: {
                    "assessment": a.assessment,
                    "requirements": a.requirements,
                    "status": AreaStatus.OPEN if a.requirements else AreaStatus.NO_REQUIREMENTS,
                }
                for a in draft.areas
            }
        )
        signed = {"decision_draft": None, "decided_on": self.decided_on, "last_signed_on": self.decided_on}
        return {"areas": areas, **signed, "status": CaseStatus.AWAITING_RESPONSE}

    def notices(self, dnr: str) -> list[Notice]:
        return [Notice(kind=NoticeKind.DECISION, recipient=_ORG, subject=f"Beslut i kvalitetsgranskning, Dnr {dnr}")]


class DraftRejected(EventBase):
    """A decision maker sent a draft (decision or follow-up) back to be drafted again."""

    type: Literal["DraftRejected"] = "DraftRejected"
    label = "Utkast avvisat"
    draft: DraftKind
    drafted_by: str
    reason: str

    def changes(self, state: CaseState) -> dict[str, object]:
        if self.draft is DraftKind.DECISION:
            return {"status": CaseStatus.UNDER_REVIEW, "decision_draft": None}
        return {"status": CaseStatus.RESPONSE_RECEIVED, "follow_up_draft": None}


class ResponseDrafted(EventBase):
    """The organiser drafted its account of measures for the round's open areas."""

    type: Literal["ResponseDrafted"] = "ResponseDrafted"
    label = "Utkast till redovisning"
    round: int
    areas: tuple[ResponseArea, ...]
    attachments: tuple[str, ...] = ()
    """The SHA-256 of each document attached to the draft."""
    added_later = frozenset({"attachments"})

    def changes(self, state: CaseState) -> dict[str, object]:
        draft = ResponseDraft(
            drafted_by=self.actor.username, drafted_on=self.occurred_on, areas=self.areas, attachments=self.attachments
        )
        return {"response_draft": draft, "approval": None}


class ResponseApproved(EventBase):
    """The latest draft of the account was approved: by the organiser's board (body and paragraph), by an
    official the board delegated to (name and title), or declared not to need approval (the rule saying so)."""

    type: Literal["ResponseApproved"] = "ResponseApproved"
    label = "Redovisningen godkänd"
    round: int
    body: str | None = None
    decided_on: date
    paragraph: str | None = None
    delegated_to: str | None = None
    title: str | None = None
    basis: str | None = None
    added_later = frozenset({"delegated_to", "title", "basis", "body", "paragraph"})

    def changes(self, state: CaseState) -> dict[str, object]:
        fields = ("decided_on", "body", "paragraph", "delegated_to", "title", "basis")
        return {"approval": Approval(**{name: getattr(self, name) for name in fields})}


class ResponseSubmitted(EventBase):
    """The organiser submitted its approved account."""

    type: Literal["ResponseSubmitted"] = "ResponseSubmitted"
    label = "Redovisning inskickad"
    round: int
    submitted_on: date
    attachments: tuple[str, ...] = ()
    """The SHA-256 of each document the account consists of (the draft's and those added at submission)."""
    added_later = frozenset({"attachments"})

    def changes(self, state: CaseState) -> dict[str, object]:
        return {"status": CaseStatus.RESPONSE_RECEIVED, "submitted_on": self.submitted_on, "overdue": False}

    def notices(self, dnr: str) -> list[Notice]:
        return [_receipt(dnr)]


def _receipt(dnr: str) -> Notice:
    """The acknowledgement of receipt (mottagningsbekräftelse) of an account, to its sender: the organiser."""
    return Notice(kind=NoticeKind.RECEIPT, recipient=_ORG, subject=f"Mottagningsbekräftelse: er redovisning, Dnr {dnr}")


class ResponseRegistered(EventBase):
    """The inspectorate's staff registered an account that arrived outside the system (by post or e-mail).

    It continues the case exactly as a submitted account does; ``received_on`` is the day it arrived.
    """

    type: Literal["ResponseRegistered"] = "ResponseRegistered"
    label = "Redovisning registrerad"
    round: int
    sent_on: date
    received_on: date
    sender: str
    attachments: tuple[str, ...]
    areas: tuple[ResponseArea, ...] = ()
    """The account's text per area, when the registrar typed it in (optional)."""

    def changes(self, state: CaseState) -> dict[str, object]:
        return {"status": CaseStatus.RESPONSE_RECEIVED, "submitted_on": self.received_on, "overdue": False}

    def notices(self, dnr: str) -> list[Notice]:
        return [_receipt(dnr)]


_NEW_DEADLINE = {"overdue": False, "response_draft": None, "approval": None, "submitted_on": None, "reminders_sent": ()}
"""A new deadline period awaits a new account, and its reminders are due afresh."""


class SupplementRequested(EventBase):
    """The inspector asked for more in the account, by a new due date.

    ``keeps_approval``: the draft of the account and the approval already given stay (the organiser may
    submit again with more attachments); False, as for every request before it could be kept, starts afresh.
    """

    type: Literal["SupplementRequested"] = "SupplementRequested"
    label = "Komplettering begärd"
    round: int
    what: str
    response_due: date
    keeps_approval: bool = False
    added_later = frozenset({"keeps_approval"})

    def changes(self, state: CaseState) -> dict[str, object]:
        changed = {"status": CaseStatus.AWAITING_RESPONSE, "response_due": self.response_due, **_NEW_DEADLINE}
        if self.keeps_approval:
            changed.update(response_draft=state.response_draft, approval=state.approval)
        return changed


class DeadlineExtended(EventBase):
    """The inspector moved the round's due date later."""

    type: Literal["DeadlineExtended"] = "DeadlineExtended"
    label = "Tidsfristen förlängd"
    round: int
    previous_due: date
    response_due: date
    reason: str

    def changes(self, state: CaseState) -> dict[str, object]:
        return {"response_due": self.response_due, "overdue": False, "reminders_sent": ()}


class ReminderSent(EventBase):
    """The round's timer reminded the organiser or the inspectorate of the due date."""

    type: Literal["ReminderSent"] = "ReminderSent"
    label = "Påminnelse skickad"
    round: int
    response_due: date
    recipient: Recipient
    days_before_due: int
    """Positive: days left before the due date; negative: days overdue."""

    def changes(self, state: CaseState) -> dict[str, object]:
        key = reminder_key(self.round, self.response_due, self.recipient, self.days_before_due)
        return {"reminders_sent": (*state.reminders_sent, key)}

    def notices(self, dnr: str) -> list[Notice]:
        due = self.response_due.isoformat()
        if self.days_before_due > 0:
            subject = f"Påminnelse: redovisning ska lämnas senast {due}, Dnr {dnr}"
        else:
            subject = f"Påminnelse: redovisningen skulle ha lämnats senast {due}, Dnr {dnr}"
        return [Notice(kind=NoticeKind.REMINDER, recipient=self.recipient, subject=subject)]


class ResponseOverdue(EventBase):
    """The due date passed without an account."""

    type: Literal["ResponseOverdue"] = "ResponseOverdue"
    label = "Redovisningen är försenad"
    round: int
    response_due: date

    def changes(self, state: CaseState) -> dict[str, object]:
        return {"overdue": True}

    def notices(self, dnr: str) -> list[Notice]:
        due = self.response_due.isoformat()
        return [
            Notice(
                kind=NoticeKind.OVERDUE,
                recipient=_INSP,
                subject=f"Redovisning har inte kommit in (senast {due}), Dnr {dnr}",
            ),
            Notice(
                kind=NoticeKind.OVERDUE,
                recipient=_ORG,
                subject=f"Er redovisning är försenad (skulle ha lämnats senast {due}), Dnr {dnr}",
            ),
        ]


class FollowUpDrafted(EventBase):
    """The inspector drafted the follow-up decision: an outcome per open area."""

    type: Literal["FollowUpDrafted"] = "FollowUpDrafted"
    label = "Utkast till uppföljningsbeslut"
    round: int
    areas: tuple[FollowUpArea, ...]
    next_response_due: date | None

    def changes(self, state: CaseState) -> dict[str, object]:
        draft = FollowUpDraft(
            drafted_by=self.actor.username,
            drafted_on=self.occurred_on,
            areas=self.areas,
            next_response_due=self.next_response_due,
        )
        return {"status": CaseStatus.FOLLOW_UP_PENDING_SIGNATURE, "follow_up_draft": draft}


class FollowUpSigned(EventBase):
    """A decision maker (not the drafter) signed the follow-up decision."""

    type: Literal["FollowUpSigned"] = "FollowUpSigned"
    label = "Uppföljningsbeslut signerat"
    round: int
    decided_on: date
    drafted_by: str
    document_sha256: str | None = None
    """The SHA-256 of the sealed PDF of this decision (the case's document store holds it); the hash chain
    covers it. None for decisions signed before documents were made."""
    added_later = frozenset({"document_sha256"})

    def changes(self, state: CaseState) -> dict[str, object]:
        draft = state.follow_up_draft
        assert draft is not None, "FollowUpSigned without a draft"
        areas = state.areas_with(
            {
                a.code: {
                    "last_outcome": a.outcome,
                    "status": AreaStatus.IN_LINE if a.outcome is Outcome.IN_LINE else AreaStatus.OPEN,
                }
                for a in draft.areas
            }
        )
        return {"areas": areas, "follow_up_draft": None, "last_signed_on": self.decided_on}

    def notices(self, dnr: str) -> list[Notice]:
        subject = f"Uppföljningsbeslut i kvalitetsgranskning, Dnr {dnr}"
        return [Notice(kind=NoticeKind.FOLLOW_UP_DECISION, recipient=_ORG, subject=subject)]


class RoundStarted(EventBase):
    """A new response round began, for the areas that still need measures."""

    type: Literal["RoundStarted"] = "RoundStarted"
    label = "Ny redovisningsomgång"
    round: int
    areas: tuple[str, ...]
    response_due: date

    def changes(self, state: CaseState) -> dict[str, object]:
        started = {"round": self.round, "round_areas": self.areas, "response_due": self.response_due}
        return {"status": CaseStatus.AWAITING_RESPONSE, **started, **_NEW_DEADLINE}


class CaseClosed(EventBase):
    """The case ended: no requirements, or every area in line."""

    type: Literal["CaseClosed"] = "CaseClosed"
    label = "Ärendet avslutat"
    reason: Literal["no_requirements", "all_in_line"]

    def changes(self, state: CaseState) -> dict[str, object]:
        closed = {"status": CaseStatus.CLOSED, "closed_reason": self.reason}
        return {**closed, "overdue": False, "response_draft": None, "approval": None}

    # No notice: the decision or follow-up decision that closes the case says so, and goes out itself.


class CaseReferred(EventBase):
    """A decision maker referred the case to supervision; it ends here."""

    type: Literal["CaseReferred"] = "CaseReferred"
    label = "Överlämnat till tillsyn"
    reason: str
    decided_on: date
    reference: str
    document_sha256: str | None = None
    """The SHA-256 of the sealed PDF of this decision (the case's document store holds it); the hash chain
    covers it. None for decisions signed before documents were made."""
    added_later = frozenset({"document_sha256"})

    def changes(self, state: CaseState) -> dict[str, object]:
        return {"status": CaseStatus.REFERRED, "referral_reference": self.reference, "overdue": False}

    def notices(self, dnr: str) -> list[Notice]:
        subject = f"Ärendet lämnas över till tillsyn, Dnr {dnr}"
        return [Notice(kind=NoticeKind.REFERRAL, recipient=_ORG, subject=subject)]


class SecrecyMarked(EventBase):
    """Entry ``entry`` of the case's register is marked secret under ``lagrum`` (e.g. "21 kap. 1 § OSL").

    A marking in the register (domain.register), not a change of the case: the state is untouched.
    """

    type: Literal["SecrecyMarked"] = "SecrecyMarked"
    label = "Sekretessmarkering"
    entry: int
    lagrum: str
    marked_on: date

    def changes(self, state: CaseState) -> dict[str, object]:
        return {}


class DocumentsDisposed(EventBase):
    """The bytes of ``documents`` (SHA-256) of the ended case were disposed of (gallrade) under ``rule``.

    Their registration and every event naming them stay; only the bytes go (store.register.dispose).
    """

    type: Literal["DocumentsDisposed"] = "DocumentsDisposed"
    label = "Handlingar gallrade"
    rule: str
    """The configured rule, e.g. "attachment=2y" (a document type and its retention after the case ended)."""
    documents: tuple[str, ...]

    def changes(self, state: CaseState) -> dict[str, object]:
        return {}


EVENT_CLASSES: tuple[type[EventBase], ...] = tuple(
    value
    for value in list(globals().values())
    if isinstance(value, type) and issubclass(value, EventBase) and value is not EventBase
)
"""Every event type, in the order its class is written above."""

EVENT_TYPES: tuple[str, ...] = tuple(cls.model_fields["type"].default for cls in EVENT_CLASSES)
"""The type names, as the store records them."""

Event = Annotated[reduce(or_, EVENT_CLASSES), Field(discriminator="type")]  # type: ignore[valid-type]
"""Any event, told apart by its ``type``."""

_EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def event_from_record(
    *,
    type: str,
    event_id: str,
    case_id: str,
    occurred_on: date | str,
    actor: dict[str, str],
    data: dict[str, Any],
) -> Event:
    """Rebuild a typed event from the store's columns (the inverse of envelope + ``data()``)."""
    fields = dict(data)
    fields.update(type=type, event_id=event_id, case_id=case_id, occurred_on=occurred_on, actor=actor)
    return _EVENT_ADAPTER.validate_python(fields)
