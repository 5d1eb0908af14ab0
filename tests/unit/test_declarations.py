"""One command, one place: what each command and event class declares is complete and consistent,
and the lists, unions, forms and Swedish words derived from the classes are the right ones."""

from __future__ import annotations

from types import ModuleType
from typing import Literal, get_args

import pytest
from pydantic import BaseModel

from domain import labels
from domain.actors import Role, User
from domain.commands import COMMAND_TYPES, FORMS, PERSON_COMMANDS, CaseCommand, CommandBase, OpenCase
from domain.commands.base import declared_in
from domain.events import EVENT_CLASSES, EVENT_TYPES, EventBase
from domain.notices import NoticeKind
from domain.values import AreaStatus, CaseStatus, Outcome, Recipient

CASE_COMMANDS = [n for n in PERSON_COMMANDS if n != "open-case"]


def _area_model(cls: type[CommandBase]) -> type[BaseModel]:
    """The model of one row of the command's ``areas`` (``tuple[DecisionArea, ...]`` → DecisionArea)."""
    return get_args(cls.model_fields["areas"].annotation)[0]


def test_the_commands_in_the_order_of_a_case_s_life() -> None:
    """The order the pages and the API list them in; a new command may come anywhere among them."""
    known = [
        "open-case",
        "draft-decision",
        "sign-decision",
        "reject-draft",
        "draft-response",
        "approve-response",
        "submit-response",
        "request-supplement",
        "extend-deadline",
        "draft-follow-up",
        "sign-follow-up",
        "refer-to-supervision",
        "send-reminder",
        "mark-overdue",
    ]
    assert [name for name in COMMAND_TYPES if name in known] == known
    assert tuple(n for n in COMMAND_TYPES if n not in ("send-reminder", "mark-overdue")) == PERSON_COMMANDS
    union = get_args(get_args(CaseCommand)[0])
    assert [cls.model_fields["command"].default for cls in union] == list(COMMAND_TYPES)[1:]


@pytest.mark.parametrize("name", CASE_COMMANDS)
def test_a_person_command_declares_who_when_and_how_it_appears(name: str) -> None:
    cls = COMMAND_TYPES[name]
    assert cls.roles and Role.SYSTEM not in cls.roles and cls.role is cls.roles[0]
    assert cls.states and not set(cls.states) & {CaseStatus.CLOSED, CaseStatus.REFERRED}
    assert "decide" in vars(cls), f"{name} has no rules of its own"
    assert FORMS[name] is cls.form and cls.form.command == name
    assert cls.form.title and cls.form.button and cls.form.done.endswith(".")


@pytest.mark.parametrize("name", PERSON_COMMANDS)
def test_a_form_asks_for_exactly_the_command_s_fields(name: str) -> None:
    cls = COMMAND_TYPES[name]
    form = cls.form
    assert form is not None
    fields = {n: f for n, f in cls.model_fields.items() if n not in ("request_id", "command", *cls.supplied)}
    asked = {i.name: i for i in form.fields}
    assert set(asked) | ({"areas"} if form.areas else set()) == set(fields)
    for input_name, item in asked.items():
        assert item.required == fields[input_name].is_required(), input_name
    if form.areas:
        row = _area_model(cls).model_fields
        given = {"code"} if form.areas != "new" else set()  # the case's own rows carry their code
        assert {i.name for i in form.area_fields} | given == set(row)
        for item in form.area_fields:
            assert item.required == row[item.name].is_required(), item.name


def test_the_timers_commands_have_no_form_and_are_not_offered_to_people() -> None:
    for name in ("send-reminder", "mark-overdue"):
        assert COMMAND_TYPES[name].roles == (Role.SYSTEM,) and COMMAND_TYPES[name].form is None
        assert name not in PERSON_COMMANDS and name not in FORMS
    assert OpenCase.form is not None and "open-case" not in FORMS  # the new-case page, not a case's form


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.__name__)
def test_an_event_type_declares_its_name_label_and_how_it_changes_the_state(cls: type[EventBase]) -> None:
    assert cls.model_fields["type"].default == cls.__name__
    assert isinstance(vars(cls).get("label"), str) and cls.label
    assert "changes" in vars(cls) or "evolve" in vars(cls), f"{cls.__name__} does not change the state"


def test_the_event_types_are_derived_from_the_classes_in_the_order_written() -> None:
    assert tuple(c.__name__ for c in EVENT_CLASSES) == EVENT_TYPES
    assert EVENT_TYPES[0] == "CaseOpened" and len(set(EVENT_TYPES)) == len(EVENT_TYPES)
    assert {"DecisionSigned", "RoundStarted", "CaseClosed", "CaseReferred"} <= set(EVENT_TYPES)


@pytest.mark.parametrize(
    ("table", "codes"),
    [
        (labels.STATES, CaseStatus),
        (labels.ROLES, Role),
        (labels.AREA_STATUSES, AreaStatus),
        (labels.OUTCOMES, Outcome),
        (labels.RECIPIENTS, Recipient),
        (labels.NOTICE_KINDS, NoticeKind),
    ],
    ids=["states", "roles", "area statuses", "outcomes", "recipients", "notice kinds"],
)
def test_every_code_has_a_swedish_word(table: dict[str, str], codes: type) -> None:
    assert list(table) == [c.value for c in codes] and all(table.values())


def test_every_event_and_person_command_has_its_swedish_words() -> None:
    assert list(labels.EVENTS) == list(EVENT_TYPES)
    assert labels.EVENTS["DraftRejected"] == "Utkast avvisat"
    assert list(labels.DONE) == list(PERSON_COMMANDS)
    assert labels.DONE["open-case"] == "Ärendet är öppnat."


# -- the machinery itself, with commands written here (never registered: only the phase modules count) --


class _Assign(CommandBase):
    """A command two roles may issue."""

    command: Literal["assign-for-test"] = "assign-for-test"
    roles = (Role.INSPECTOR, Role.DECISION_MAKER)
    to: str


def test_a_command_of_several_roles_is_issued_in_the_first_one_the_user_holds() -> None:
    both = User(username="bo", roles=frozenset({Role.DECISION_MAKER, Role.INSPECTOR}))
    signer = User(username="malin", roles=frozenset({Role.DECISION_MAKER}))
    nobody = User(username="arkivarie", roles=frozenset({Role.AUDITOR}))
    assert _Assign.role is Role.INSPECTOR
    assert (_Assign.acting_role(both), _Assign.acting_role(signer), _Assign.acting_role(nobody)) == (
        Role.INSPECTOR,
        Role.DECISION_MAKER,
        None,
    )
    assert "assign-for-test" not in COMMAND_TYPES


def test_a_command_name_declared_twice_is_refused() -> None:
    phase = ModuleType("tests.unit.a_phase")

    class First(_Assign):
        pass

    class Second(_Assign):
        pass

    for cls in (First, Second):
        cls.__module__ = phase.__name__
        setattr(phase, cls.__name__, cls)
    with pytest.raises(TypeError, match="assign-for-test"):
        declared_in(phase)
    del phase.Second
    assert declared_in(phase) == {"assign-for-test": First}
