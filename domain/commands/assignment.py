"""Who handles a case: the responsible inspector (handläggare), set at opening and changed by ``assign``;
and, when the case needs one, the decision maker designated to sign its decisions (``designate-signer``)."""

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

OPEN_STATES = tuple(s for s in CaseStatus if s not in TERMINAL_STATUSES)


class Assign(CommandBase):
    """An inspector or decision maker makes another inspector responsible for the case.

    Whether ``to`` holds the inspector role is a fact of the users table, which the domain cannot
    see: the admin service looks it up and supplies it as ``to_roles`` (whatever a client sent is
    replaced), just as it supplies the acting user's own roles. The rule is written here.
    """

    command: Literal["assign"] = "assign"
    roles = (Role.INSPECTOR, Role.DECISION_MAKER)
    states = OPEN_STATES
    supplied: ClassVar[dict[str, str]] = {"to_roles": "to"}
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


class DesignateSigner(CommandBase):
    """An inspector or decision maker names the decision maker who is to sign the case's decisions, or no one
    (then any decision maker but the drafter may). The signer's roles are supplied by the service, as for
    ``assign``."""

    command: Literal["designate-signer"] = "designate-signer"
    roles = (Role.INSPECTOR, Role.DECISION_MAKER)
    states = OPEN_STATES
    supplied: ClassVar[dict[str, str]] = {"signer_roles": "signer"}
    form = CommandForm(
        title="Utse beslutsfattare",
        button="Utse beslutsfattare",
        done="Beslutsfattaren som ska signera är utsedd.",
        fields=(
            Input(
                "signer",
                "Beslutsfattare som ska signera",
                "select",
                required=False,
                hint="Välj ingen: vilken beslutsfattare som helst får signera (utom den som skrev utkastet).",
            ),
        ),
    )
    signer: str | None = None
    signer_roles: tuple[Role, ...] = ()
    """The roles ``signer`` holds (supplied by the service from the users table)."""

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """A decision maker, or no one; not the one designated already."""
        signer = rules.text("signer", self.signer, 64) if self.signer and self.signer.strip() else None
        if signer is not None and Role.DECISION_MAKER not in self.signer_roles:
            raise invalid("signer", "signer.not_decision_maker", user=signer, roles=[Role.DECISION_MAKER])
        if signer == state.designated_signer:
            raise invalid("signer", "signer.already" if signer else "signer.none_already", user=signer)
        return [(ev.SignerDesignated, today, {"signer": signer})]
