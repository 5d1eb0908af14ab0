"""Who handles a case: the responsible inspector (handläggare), set at opening and changed by ``assign``."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from domain import events as ev
from domain import rules
from domain.actors import Role
from domain.commands.base import CommandBase, Fact
from domain.errors import invalid
from domain.forms import CommandForm, Input
from domain.state import CaseState
from domain.values import TERMINAL_STATUSES, CaseStatus


class Assign(CommandBase):
    """An inspector or decision maker makes another inspector responsible for the case.

    Whether ``to`` holds the inspector role is a fact of the users table, which the domain cannot
    see: the admin service looks it up and supplies it as ``to_roles`` (whatever a client sent is
    replaced), just as it supplies the acting user's own roles. The rule is written here.
    """

    command: Literal["assign"] = "assign"
    roles = (Role.INSPECTOR, Role.DECISION_MAKER)
    states = tuple(s for s in CaseStatus if s not in TERMINAL_STATUSES)
    supplied: ClassVar[tuple[str, ...]] = ("to_roles",)
    form = CommandForm(
        title="Byt handläggare",
        button="Byt handläggare",
        done="Ärendet har fått en ny handläggare.",
        fields=(Input("to", "Ny handläggare", "select"),),
    )
    to: str
    to_roles: tuple[Role, ...] = ()
    """The roles ``to`` holds (supplied by the service from the users table)."""

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """``to`` is an inspector, and not the one responsible already."""
        to = rules.text("to", self.to, 64)
        if Role.INSPECTOR not in self.to_roles:
            raise invalid("to", "assign.not_inspector", user=to, roles=[Role.INSPECTOR])
        if to == state.responsible:
            raise invalid("to", "assign.already", user=to)
        return [(ev.CaseAssigned, today, {"from_": state.responsible, "to": to})]
