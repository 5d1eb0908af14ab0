"""The records rules of the domain: which events make register entries, marking one secret, and which
documents a disposal rule lets go."""

from __future__ import annotations

from datetime import date

import pytest

from admin.replay import seed_events
from admin.seeds import LUDVIKA
from domain import DomainError, ErrorCode, Role, User, decide
from domain.commands.records import MarkSecrecy
from domain.disposal import DisposalRuleError, due, parse_rules
from domain.register import fold_register
from domain.state import fold

REGISTRAR = User(username="rut.registrator", roles=frozenset({Role.REGISTRAR}))
ENDED = date(2026, 3, 5)


def test_the_seed_case_registers_its_case_decisions_and_account() -> None:
    entries = fold_register(seed_events(LUDVIKA))
    assert [(e.number, e.entry.direction.value, e.entry.kind.value, e.entry.registered_on) for e in entries] == [
        (1, "internal", "case", date(2025, 1, 20)),
        (2, "outgoing", "decision", date(2025, 6, 26)),
        (3, "incoming", "account", date(2025, 12, 30)),
        (4, "outgoing", "follow_up_decision", date(2026, 3, 5)),
    ]
    assert all(e.entry.counterpart_is_organiser for e in entries)


def test_marking_an_entry_secret_needs_an_entry_of_the_case_and_a_lagrum() -> None:
    events = seed_events(LUDVIKA)[:3]  # decision signed: the case awaits the account
    state = fold(events)
    assert state is not None
    body = {"request_id": "r1", "entry": 2, "lagrum": " 21 kap. 1 § OSL ", "entries": (1, 2)}
    [marked] = decide(state, MarkSecrecy(command="mark-secrecy", **body), REGISTRAR, date(2025, 7, 1))
    assert (marked.type, marked.entry, marked.lagrum, marked.marked_on) == (
        "SecrecyMarked",
        2,
        "21 kap. 1 § OSL",
        date(2025, 7, 1),
    )
    for wrong, field in (({"entry": 9}, "entry"), ({"lagrum": "  "}, "lagrum")):
        with pytest.raises(DomainError) as refused:
            decide(state, MarkSecrecy(command="mark-secrecy", **{**body, **wrong}), REGISTRAR, date(2025, 7, 1))
        assert (refused.value.code, refused.value.field) == (ErrorCode.VALIDATION_ERROR, field)


def test_rules_are_explicit_and_never_reach_a_decision() -> None:
    assert parse_rules("") == () and parse_rules(" attachment = 2y ")[0].text == "attachment=2y"
    for bad, says in (
        ("decision=1y", "never disposed"),
        ("follow_up_decision=1y", "never disposed"),
        ("account=1y", "no file"),
        ("bilaga=1y", "no document type"),
        ("attachment=2 år", "number and y, m or d"),
        ("attachment=1y,attachment=2y", "has a rule already"),
    ):
        with pytest.raises(DisposalRuleError, match=says):
            parse_rules(bad)
    rule = parse_rules("attachment=1m")[0]
    assert rule.due_on(date(2025, 1, 31)) == date(2025, 2, 28) and rule.due_on(date(2024, 12, 15)) == date(2025, 1, 15)


def test_due_only_for_an_ended_case_after_the_period_and_only_attachments() -> None:
    attachment = "a" * 64
    events = seed_events(LUDVIKA)
    submitted = next(i for i, e in enumerate(events) if e.type == "ResponseSubmitted")
    events[submitted] = events[submitted].model_copy(update={"attachments": (attachment,)})
    register = fold_register(events)
    rules = parse_rules("attachment=2y")
    assert due(rules, None, register, date(2099, 1, 1)) == []  # an open case: never
    assert due(rules, ENDED, register, date(2028, 3, 4)) == []
    [found] = due(rules, ENDED, register, date(2028, 3, 5))
    assert (found.entry.entry.document_sha256, found.due_on, found.rule.text) == (
        attachment,
        date(2028, 3, 5),
        "attachment=2y",
    )
    disposed = [e.model_copy(update={"disposal": object()}) if e.entry.document_sha256 else e for e in register]
    assert due(rules, ENDED, disposed, date(2030, 1, 1)) == []
