"""Issue 14, row 8: an organiser sees only what was sent to it, decided, or done by itself (the domain's rule).

The seeds' real events, plus a rejected draft, go through ``domain.disclosure.for_organiser``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from admin.replay import replay
from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase
from domain.actors import ActorRef, Role, User
from domain.disclosure import INSPECTORATE, ORGANISER_SEES, for_organiser, notice_for_organiser, responsible_for
from domain.events import EVENT_TYPES


@dataclass(frozen=True)
class Row:
    """An event as a reader gets it (what the store's record has that the rule reads)."""

    seq: int
    type: str
    actor: ActorRef
    data: dict[str, Any]


def rows(seed: SeedCase) -> list[Row]:
    events = [e for _, batch in replay(seed) for e in batch]
    return [Row(i + 1, e.type, e.actor, e.data()) for i, e in enumerate(events)]


def shown(row: Row, actor: ActorRef, data: dict[str, Any]) -> Row:
    return replace(row, actor=actor, data=data)


def staff_names(seed: SeedCase) -> set[str]:
    return {u.username for u in seed.users.values() if u.roles - {Role.ORGANISER}}


def test_every_event_type_is_classified() -> None:
    assert set(ORGANISER_SEES) == set(EVENT_TYPES)


def test_a_draft_is_shown_only_once_signed_and_a_rejection_never() -> None:
    events = rows(TRELLEBORG)
    drafted = next(r for r in events if r.type == "DecisionDrafted")
    rejected = Row(drafted.seq, "DraftRejected", ActorRef(username="dm", role=Role.DECISION_MAKER), {"reason": "x"})
    pending = [*events[: drafted.seq], rejected, replace(drafted, seq=drafted.seq + 1)]
    visible = for_organiser(pending, shown)
    assert [r.type for r in visible].count("DecisionDrafted") == 0  # one rejected, one not yet signed
    assert "DraftRejected" not in [r.type for r in visible]
    signed = for_organiser(events, shown)
    assert "DecisionDrafted" in [r.type for r in signed]  # the text of the signed decision


def test_no_staff_username_but_the_signatories_reaches_an_organiser() -> None:
    for seed in (LUDVIKA, TRELLEBORG):
        events = rows(seed)
        visible = for_organiser(events, shown)
        signatories = {r.actor.username for r in events if r.type in ("DecisionSigned", "FollowUpSigned")}
        named = {r.actor.username for r in visible} | {
            str(v) for r in visible for v in r.data.values() if isinstance(v, str)
        }
        assert (named & staff_names(seed)) <= signatories, named & staff_names(seed)
        assert INSPECTORATE in {r.actor.username for r in visible}
        assert all("drafted_by" not in r.data for r in visible)


def test_reminders_to_the_inspectorate_stay_internal() -> None:
    system = ActorRef(username="system", role=Role.SYSTEM)
    reminders = [
        Row(1, "ReminderSent", system, {"recipient": "organiser", "days_before_due": 7}),
        Row(2, "ReminderSent", system, {"recipient": "inspectorate", "days_before_due": -30}),
    ]
    assert for_organiser(reminders, shown) == reminders[:1]
    assert notice_for_organiser("organiser") and not notice_for_organiser("inspectorate")


def test_the_organisers_own_steps_are_shown_with_its_people() -> None:
    events = rows(LUDVIKA)
    own = [r for r in for_organiser(events, shown) if r.actor.role is Role.ORGANISER]
    assert {r.type for r in own} >= {"ResponseDrafted", "ResponseApproved", "ResponseSubmitted"}
    assert all(r.actor.username != INSPECTORATE for r in own)


def test_the_responsible_inspector_is_named_to_staff_only() -> None:
    organiser = User(username="o", roles=frozenset({Role.ORGANISER}), organiser_id="212000-2270")
    staff = User(username="s", roles=frozenset({Role.INSPECTOR}))
    assert responsible_for(organiser, "marta.rivelis") is None
    assert responsible_for(staff, "marta.rivelis") == "marta.rivelis"
