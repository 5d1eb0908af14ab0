"""The register (diarium): which events make which register entries, and how later events change them.

A Swedish authority registers every document it receives or draws up (offentlighets- och sekretesslagen
5 kap. 1 §): the date, the Dnr, the sender or recipient, a short description, and whether it came in,
went out or was drawn up internally. Here every such handling is a fact of the case's events, so the
register is derived from them, like the notices (``domain.notices``): :func:`entries_for` says which
entries an event makes, :func:`marks_for` how a later event (a secrecy marking, a disposal) changes
entries already made. Pure: the store calls both for each event it appends and writes the result in
the same transaction, so an entry exists exactly when its event does, and a rebuild from the events
alone gives the same register (:func:`fold_register`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from domain.values import Frozen

if TYPE_CHECKING:  # the events are only read here, never built
    from domain.events import Event


class Direction(StrEnum):
    """Came in from outside, went out, or drawn up and kept inside the inspectorate."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    INTERNAL = "internal"


class EntryKind(StrEnum):
    """The kind of handling (handlingstyp) an entry registers; the disposal rules name these."""

    CASE = "case"
    DECISION = "decision"
    FOLLOW_UP_DECISION = "follow_up_decision"
    REFERRAL = "referral"
    ACCOUNT = "account"
    ATTACHMENT = "attachment"
    SUPPLEMENT_REQUEST = "supplement_request"
    EXTENSION = "extension"


KIND_LABELS = {
    EntryKind.CASE: "Ärende",
    EntryKind.DECISION: "Beslut",
    EntryKind.FOLLOW_UP_DECISION: "Uppföljningsbeslut",
    EntryKind.REFERRAL: "Beslut om överlämnande till tillsyn",
    EntryKind.ACCOUNT: "Redovisning",
    EntryKind.ATTACHMENT: "Bilaga",
    EntryKind.SUPPLEMENT_REQUEST: "Begäran om komplettering",
    EntryKind.EXTENSION: "Förlängd tidsfrist",
}
"""Each kind of handling in Swedish (the register's "handlingstyp")."""

DECISION_KINDS = frozenset({EntryKind.DECISION, EntryKind.FOLLOW_UP_DECISION, EntryKind.REFERRAL})
"""Decisions: never disposed of, whatever a rule says."""

DIRECTION_LABELS = {Direction.INCOMING: "Inkommande", Direction.OUTGOING: "Utgående", Direction.INTERNAL: "Upprättad"}
"""A direction in Swedish, as the register page shows it."""


class NewEntry(Frozen):
    """One register entry an event makes (the store adds the Dnr, the time and the entry's number)."""

    seq: int
    """The event that made the entry."""
    registered_on: date
    direction: Direction
    kind: EntryKind
    counterpart: str | None = None
    """Sender or recipient as given (e.g. a registered account's sender); None: see ``counterpart_is_organiser``."""
    counterpart_is_organiser: bool = False
    """The case's organiser is the counterpart: the store records its name as registered at that moment."""
    description: str
    document_sha256: str | None = None
    registered_by: str


class SecrecyMark(Frozen):
    """Entry ``number`` of the case is secret under ``lagrum`` from ``marked_on`` (event ``seq``)."""

    number: int
    lagrum: str
    marked_on: date
    seq: int


class Disposal(Frozen):
    """The bytes of ``document_sha256`` in the case were disposed of (gallrade) by ``rule`` on ``disposed_on``."""

    document_sha256: str
    rule: str
    disposed_on: date
    seq: int


def _account(seq: int, on: date, by: str, sender: str | None, what: str, attachments: Iterable[str]) -> list[NewEntry]:
    """An account of measures and each of its attachments: incoming, from the organiser or the sender named."""
    common: dict[str, Any] = {
        "seq": seq,
        "registered_on": on,
        "direction": Direction.INCOMING,
        "counterpart": sender,
        "counterpart_is_organiser": sender is None,
        "registered_by": by,
    }
    entries = [NewEntry(kind=EntryKind.ACCOUNT, description=what, **common)]
    for number, sha in enumerate(attachments, start=1):
        text = f"Bilaga {number} till redovisning"
        entries.append(NewEntry(kind=EntryKind.ATTACHMENT, description=text, document_sha256=sha, **common))
    return entries


_DECISIONS = {
    "DecisionSigned": (EntryKind.DECISION, "Beslut i kvalitetsgranskning"),
    "FollowUpSigned": (EntryKind.FOLLOW_UP_DECISION, "Uppföljningsbeslut, redovisningsomgång {round}"),
    "CaseReferred": (EntryKind.REFERRAL, "Beslut om överlämnande till tillsyn"),
}
"""Signing events: each registers its decision, sent to the organiser, with the sealed PDF it names."""
_LETTERS = {
    "SupplementRequested": (EntryKind.SUPPLEMENT_REQUEST, "Begäran om komplettering senast {response_due}"),
    "DeadlineExtended": (EntryKind.EXTENSION, "Tidsfristen förlängd till {response_due}"),
}
"""Events that tell the organiser something without a document of their own."""


def entries_for(event: Event, seq: int) -> list[NewEntry]:
    """The register entries ``event`` (stored as ``seq`` of its case) makes; most events make none.

    The case itself (its ärendemening), each decision and follow-up decision (with its PDF), a referral,
    each account of measures that came in (submitted or registered, each attachment an entry of its own),
    a request for supplementary material and an extended deadline (both sent to the organiser).
    Fields are read from the event's stored ``data``, as the store keeps them.
    """
    data, by = event.data(), event.actor.username
    to_organiser: dict[str, Any] = {"direction": Direction.OUTGOING, "counterpart_is_organiser": True}
    if event.type == "CaseOpened":
        return [
            NewEntry(
                seq=seq,
                registered_on=date.fromisoformat(data["opened_on"]),
                direction=Direction.INTERNAL,
                kind=EntryKind.CASE,
                counterpart_is_organiser=True,
                description=f"Ärendet upprättat: {data['title']}",
                registered_by=by,
            )
        ]
    if event.type in _DECISIONS:
        kind, text = _DECISIONS[event.type]
        return [
            NewEntry(
                seq=seq,
                registered_on=date.fromisoformat(data["decided_on"]),
                kind=kind,
                description=text.format(**data),
                document_sha256=data.get("document_sha256"),
                registered_by=by,
                **to_organiser,
            )
        ]
    if event.type in _LETTERS:
        kind, text = _LETTERS[event.type]
        description = text.format(**data)
        return [
            NewEntry(
                seq=seq,
                registered_on=event.occurred_on,
                kind=kind,
                description=description,
                registered_by=by,
                **to_organiser,
            )
        ]
    if event.type == "ResponseSubmitted":
        what = f"Redovisning av vidtagna åtgärder, omgång {data['round']}"
        on = date.fromisoformat(data["submitted_on"])
        return _account(seq, on, by, None, what, data.get("attachments", ()))
    if event.type == "ResponseRegistered":
        what = f"Redovisning av vidtagna åtgärder, omgång {data['round']} (avsänd {data['sent_on']})"
        on = date.fromisoformat(data["received_on"])
        return _account(seq, on, by, data["sender"], what, data.get("attachments", ()))
    return []


def marks_for(event: Event, seq: int) -> tuple[list[SecrecyMark], list[Disposal]]:
    """How ``event`` changes entries already made: secrecy markings and disposals (most events: neither)."""
    data = event.data()
    if event.type == "SecrecyMarked":
        on = date.fromisoformat(data["marked_on"])
        return [SecrecyMark(number=data["entry"], lagrum=data["lagrum"], marked_on=on, seq=seq)], []
    if event.type == "DocumentsDisposed":
        on = event.occurred_on
        return [], [Disposal(document_sha256=s, rule=data["rule"], disposed_on=on, seq=seq) for s in data["documents"]]
    return [], []


class Entry(Frozen):
    """A register entry as the fold of a case's events has it (numbered 1, 2, … in the case)."""

    number: int
    entry: NewEntry
    secrecy: SecrecyMark | None = None
    disposal: Disposal | None = None


def fold_register(events: Iterable[Event]) -> list[Entry]:
    """The case's register from all its events (seq 1, 2, … in order) alone: what the store's rows must equal."""
    entries: list[Entry] = []
    for seq, event in enumerate(events, start=1):
        for new in entries_for(event, seq):
            entries.append(Entry(number=len(entries) + 1, entry=new))
        marks, disposals = marks_for(event, seq)
        for mark in marks:
            entries = [e.model_copy(update={"secrecy": mark}) if e.number == mark.number else e for e in entries]
        for gone in disposals:
            entries = [
                e.model_copy(update={"disposal": gone}) if e.entry.document_sha256 == gone.document_sha256 else e
                for e in entries
            ]
    return entries
