"""What an organiser may see of its own case: only what was sent to it, decided, or done by itself.

The inspectorate's working material is not a public document until it is decided: an unsigned
draft, the reason a draft was sent back, who was made responsible for the case, and the names of
the staff who did the work (the drafters, the inspector who opened the case or moved a date) stay
with the staff. A signed decision is shown with its signatory; its text (the draft it signed) is
shown, without the drafter. Reminders to the inspectorate and notices to it are internal too.
Staff see everything. This module is the one place the rule is written; the events API, the case
page, the notices and any export an organiser can reach apply it.

Every event type must be classified in :data:`ORGANISER_SEES` (a test checks it): a new type is
hidden from organisers until someone decides otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from domain.actors import ActorRef, Role, User
from domain.values import Recipient

INSPECTORATE = "skolinspektionen"
"""The name an organiser sees instead of a staff member's username (who is not a signatory)."""

SIGNED_BY = {"DecisionDrafted": "DecisionSigned", "FollowUpDrafted": "FollowUpSigned"}
"""A draft becomes the text of the decision that signs it: shown once signed, never before."""
ENDS_A_DRAFT = {
    "DecisionDrafted": ("DecisionSigned", "DraftRejected"),
    "FollowUpDrafted": ("FollowUpSigned", "DraftRejected"),
}

ORGANISER_SEES: dict[str, bool] = {
    "CaseOpened": True,
    "CaseAssigned": False,  # who handles the case inside the inspectorate
    "SignerDesignated": False,  # who is to sign, inside the inspectorate
    "DecisionDrafted": True,  # only once signed (SIGNED_BY)
    "DecisionSigned": True,
    "DraftRejected": False,  # an internal reason
    "ResponseDrafted": True,
    "ResponseApproved": True,
    "ResponseSubmitted": True,
    "ResponseRegistered": True,  # the organiser's own account, as the inspectorate registered it
    "SupplementRequested": True,
    "DeadlineExtended": True,
    "ReminderSent": True,  # only those sent to the organiser
    "ResponseOverdue": True,
    "FollowUpDrafted": True,  # only once signed (SIGNED_BY)
    "FollowUpSigned": True,
    "RoundStarted": True,
    "CaseClosed": True,
    "CaseReferred": True,
    "SecrecyMarked": False,  # the register's marking, kept inside the inspectorate
    "DocumentsDisposed": False,  # records management inside the inspectorate
}
"""Event type → whether an organiser may see events of it at all (conditions in :func:`for_organiser`)."""

SIGNATORY_EVENTS = frozenset({"DecisionSigned", "FollowUpSigned", "CaseReferred"})
"""Events whose actor signs a decision: their name is part of the decision the organiser receives."""
STAFF_NAME_FIELDS = ("drafted_by", "from", "to")
"""Event data naming a staff member who is not a signatory."""


class Recorded(Protocol):
    """What the rule reads of a recorded event."""

    @property
    def type(self) -> str: ...

    @property
    def actor(self) -> ActorRef: ...

    @property
    def data(self) -> Mapping[str, Any]: ...


E = TypeVar("E", bound=Recorded)


def is_staff(user: User) -> bool:
    """Whether ``user`` holds any role besides organiser (staff see everything)."""
    return bool(user.roles - {Role.ORGANISER})


def for_organiser(events: Sequence[E], shown: Callable[[E, ActorRef, dict[str, Any]], E]) -> list[E]:
    """The events (oldest first) an organiser may see, each as it may see it.

    ``shown(event, actor, data)`` makes the event with another actor and data (the caller's record type).
    """
    visible: list[E] = []
    for index, event in enumerate(events):
        if not _visible(event, events[index + 1 :]):
            continue
        actor = event.actor
        if actor.role not in (Role.ORGANISER, Role.SYSTEM) and event.type not in SIGNATORY_EVENTS:
            actor = ActorRef(username=INSPECTORATE, role=actor.role)
        data = {k: v for k, v in event.data.items() if k not in STAFF_NAME_FIELDS}
        visible.append(shown(event, actor, data))
    return visible


def _visible(event: Recorded, later: Sequence[Recorded]) -> bool:
    if not ORGANISER_SEES.get(event.type, False):
        return False
    if event.type in SIGNED_BY:  # shown when the next event ending this draft signs it
        ending = next((e.type for e in later if e.type in ENDS_A_DRAFT[event.type]), None)
        return ending == SIGNED_BY[event.type]
    if event.type == "ReminderSent":
        return event.data.get("recipient") == Recipient.ORGANISER.value
    return True


def notice_for_organiser(recipient: str) -> bool:
    """Whether an organiser may see a notice sent to ``recipient`` (its own letters, not the inspectorate's)."""
    return recipient == Recipient.ORGANISER.value


def responsible_for(user: User, responsible: str | None) -> str | None:
    """The responsible inspector as ``user`` may see it (organisers: not named)."""
    return responsible if is_staff(user) else None
