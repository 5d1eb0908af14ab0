"""Records management of a case: marking a register entry secret (sekretessmarkering)."""

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

LAGRUM_MAX = 200


class MarkSecrecy(CommandBase):
    """A registrar marks an entry of the case's register secret, naming the provision (lagrum).

    The register's entries are rows the domain does not hold in the case's state: the admin service
    supplies the numbers the case has (``entries``, whatever a client sent is replaced), and the rule
    that the entry must exist is written here.
    """

    command: Literal["mark-secrecy"] = "mark-secrecy"
    roles = (Role.REGISTRAR,)
    states = tuple(s for s in CaseStatus if s not in TERMINAL_STATUSES)
    supplied: ClassVar[tuple[str, ...]] = ("entries",)
    form = CommandForm(
        title="Sekretessmarkera en handling",
        button="Sekretessmarkera",
        done="Handlingen är sekretessmarkerad i diariet.",
        fields=(
            Input("entry", "Handlingens nummer i diariet", hint="Numret i ärendets diarium, t.ex. 3."),
            Input("lagrum", "Lagrum", hint="T.ex. ”21 kap. 1 § offentlighets- och sekretesslagen”."),
        ),
    )
    entry: int
    lagrum: str
    entries: tuple[int, ...] = ()
    """The numbers of the case's register entries (supplied by the service from the register)."""

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """The entry is one of the case's, and the provision is named."""
        lagrum = rules.text("lagrum", self.lagrum, LAGRUM_MAX)
        if self.entry not in self.entries:
            raise invalid("entry", "secrecy.unknown_entry", value=self.entry, dnr=state.dnr)
        return [(ev.SecrecyMarked, today, {"entry": self.entry, "lagrum": lagrum, "marked_on": today})]
