"""Commands: what a person (or a round's timer) asks of a case, one class per command.

Each command class, in the module of the lifecycle phase it belongs to, declares its name, roles,
states, fields, rules (``decide``) and form (see ``domain.commands.base``). Everything else is
derived here from those classes: the list of commands, the union the workflow's Updates take,
the parser, and the forms. A new command is one new class in a phase module below.
Every command carries a client-chosen ``request_id``: a retry carries the same one.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Annotated, Any

from pydantic import Field, ValidationError

from domain.actors import Role
from domain.commands import account, assignment, decision, follow_up, opening, records, timers
from domain.commands.base import CommandBase, Fact
from domain.commands.base import declared_in as _declared_in
from domain.commands.opening import OpenCase
from domain.commands.timers import MarkOverdue, SendReminder
from domain.errors import from_validation, not_found
from domain.forms import CommandForm

COMMAND_TYPES: dict[str, type[CommandBase]] = _declared_in(
    opening, decision, account, follow_up, assignment, records, timers
)
"""Every command by name, in the order of a case's life."""

PERSON_COMMANDS: tuple[str, ...] = tuple(n for n, c in COMMAND_TYPES.items() if Role.SYSTEM not in c.roles)
"""The commands people issue (docs/api.md's command names plus ``open-case``)."""

CaseCommand = Annotated[  # type: ignore[valid-type]
    reduce(or_, (c for c in COMMAND_TYPES.values() if c is not OpenCase)), Field(discriminator="command")
]
"""A command on an existing case (everything but ``open-case``), told apart by its ``command``."""

FORMS: dict[str, CommandForm] = {
    name: cls.form for name, cls in COMMAND_TYPES.items() if cls.form is not None and cls is not OpenCase
}
"""The form of every command people issue on an existing case (``OpenCase.form`` opens one)."""

__all__ = [
    "COMMAND_TYPES",
    "FORMS",
    "PERSON_COMMANDS",
    "CaseCommand",
    "CommandBase",
    "Fact",
    "MarkOverdue",
    "OpenCase",
    "SendReminder",
    "parse_command",
]


def parse_command(name: str, payload: dict[str, Any]) -> CommandBase:
    """Build the command ``name`` from a JSON-like payload, refusing bad input with a DomainError.

    Unknown command → ``not_found``; missing or mistyped fields → ``validation_error``
    naming each field (``areas[0].code``; the first one, the others in ``more``).
    """
    cls = COMMAND_TYPES.get(name)
    if cls is None:
        raise not_found("command.unknown", "command", name=name)
    try:
        return cls.model_validate({**payload, "command": name})
    except ValidationError as exc:
        raise from_validation(exc.errors()) from exc
