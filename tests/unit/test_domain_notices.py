"""Which events cause which notices (domain.notices): pure."""

from __future__ import annotations

from admin.replay import seed_events
from admin.seeds import LUDVIKA, TRELLEBORG
from domain import events as ev
from domain.actors import ActorRef, Role
from domain.notices import NoticeKind, notice_id, notices_for
from domain.values import Recipient

ORG, INSP = Recipient.ORGANISER, Recipient.INSPECTORATE


def kinds(events: list[ev.Event], dnr: str) -> list[tuple[str, str, str]]:
    return [(e.type, n.kind.value, n.recipient.value) for e in events for n in notices_for(e, dnr)]


def test_the_seed_cases_notify_decision_receipt_and_follow_up() -> None:
    # the receipt goes to the account's sender; the follow-up decision that closes the case says so itself
    assert kinds(seed_events(LUDVIKA), "2025:1234") == [
        ("DecisionSigned", "decision", "organiser"),
        ("ResponseSubmitted", "receipt", "organiser"),
        ("FollowUpSigned", "follow_up_decision", "organiser"),
    ]
    assert [k for _, k, _ in kinds(seed_events(TRELLEBORG), "2020:7120")] == [
        "decision",
        "receipt",
        "follow_up_decision",
    ]


def test_reminders_overdue_and_referral() -> None:
    opened = seed_events(LUDVIKA)[0]
    common = {
        "case_id": opened.case_id,
        "occurred_on": opened.occurred_on,
        "actor": ActorRef(username="system", role=Role.SYSTEM),
    }
    reminder = ev.ReminderSent(
        event_id="r", round=1, response_due=opened.occurred_on, recipient=INSP, days_before_due=-31, **common
    )  # type: ignore[arg-type]
    overdue = ev.ResponseOverdue(event_id="o", round=1, response_due=opened.occurred_on, **common)  # type: ignore[arg-type]
    referred = ev.CaseReferred(event_id="x", reason="r", decided_on=opened.occurred_on, reference="2026:1", **common)  # type: ignore[arg-type]
    assert [(n.kind, n.recipient) for n in notices_for(reminder, "D")] == [(NoticeKind.REMINDER, INSP)]
    assert [(n.kind, n.recipient) for n in notices_for(overdue, "D")] == [
        (NoticeKind.OVERDUE, INSP),
        (NoticeKind.OVERDUE, ORG),
    ]
    assert [(n.kind, n.recipient) for n in notices_for(referred, "D")] == [(NoticeKind.REFERRAL, ORG)]
    assert all(n.subject.endswith("Dnr D") for e in (reminder, overdue, referred) for n in notices_for(e, "D"))


def test_notice_ids_are_deterministic_and_distinct() -> None:
    assert notice_id("c", 3, "overdue", "organiser") == notice_id("c", 3, "overdue", "organiser")
    ids = {notice_id("c", 3, "overdue", r) for r in ("organiser", "inspectorate")} | {
        notice_id("c", 4, "overdue", "organiser")
    }
    assert len(ids) == 3
