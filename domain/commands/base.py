"""What every command declares, and how the list of commands is derived from the classes.

A command class says everything about its command, in one place:

- ``command``: its name, as a ``Literal`` field with that default (the API's, the CLI's and the
  workflow Update's name);
- ``roles``: who may issue it (a user holding any of them; the first one the user holds is the
  role recorded on the events);
- ``states``: the case states in which it means something;
- its fields: the JSON body (pydantic checks types only; content rules live in ``decide``);
- ``precondition``: any further check of who may issue it now (the drafter never signs);
- ``decide``: the rules on its content, and the facts (events) it produces;
- ``form``: how it appears on a page (``None``: people do not issue it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import ModuleType
from typing import Any, ClassVar

from domain.actors import Role, User
from domain.events import EventBase
from domain.forms import CommandForm
from domain.state import CaseState
from domain.values import CaseStatus, Frozen

Fact = tuple[type[EventBase], date, dict[str, Any]]
"""One event a command produces: its type, its business date and its own data (``decide`` adds the envelope)."""


class CommandBase(Frozen):
    """Fields every command shares, and what each command class declares (see the module's docstring)."""

    roles: ClassVar[tuple[Role, ...]]
    role: ClassVar[Role]
    """The first of ``roles`` (set from it): the role named when only one may issue the command."""
    states: ClassVar[tuple[CaseStatus, ...]] = ()
    form: ClassVar[CommandForm | None] = None
    supplied: ClassVar[dict[str, str]] = {}
    """Fields the admin service fills in from what it alone can see, never the client: field → the field naming
    the user whose roles (from the users table) it holds."""

    request_id: str

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Derive ``role`` from ``roles`` and give the form its command's name."""
        super().__pydantic_init_subclass__(**kwargs)
        if "roles" in cls.__dict__:
            cls.role = cls.roles[0]
        if "form" in cls.__dict__ and cls.form is not None:
            cls.form = replace(cls.form, command=cls.model_fields["command"].default)

    @classmethod
    def acting_role(cls, user: User) -> Role | None:
        """The role ``user`` issues this command in: the first of ``roles`` they hold (None: none)."""
        return next((role for role in cls.roles if user.has(role)), None)

    @classmethod
    def precondition(cls, state: CaseState, user: User) -> None:
        """Refuse (DomainError) when ``user`` may not issue this now for a reason beyond role and state."""

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Check the command's content against the case and return the facts it produces (or refuse)."""
        raise NotImplementedError(f"{type(self).__name__} does not decide anything")


def declared_in(*modules: ModuleType) -> dict[str, type[CommandBase]]:
    """Every command class written in ``modules``, by name, in the order they are written."""
    found: dict[str, type[CommandBase]] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, CommandBase) and value.__module__ == module.__name__:
                name = value.model_fields["command"].default
                if name in found:
                    raise TypeError(f"Two classes declare the command {name!r}: {found[name]} and {value}.")
                found[name] = value
    return found
