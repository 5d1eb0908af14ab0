"""Opening a case: the one command that starts a case instead of acting on one."""

from __future__ import annotations

from datetime import date
from typing import Literal

from domain import events as ev
from domain import rules
from domain.actors import Role
from domain.commands.base import CommandBase, Fact
from domain.errors import Refusals, conflict, invalid
from domain.forms import CommandForm, Input
from domain.values import AreaSpec


class OpenCase(CommandBase):
    """An inspector opens a case: Dnr, organiser, title, the day it was opened and its assessment areas."""

    command: Literal["open-case"] = "open-case"
    roles = (Role.INSPECTOR,)
    form = CommandForm(
        title="Öppna ett nytt ärende",
        button="Öppna ärendet",
        done="Ärendet är öppnat.",
        areas="new",
        fields=(
            Input("dnr", "Diarienummer (Dnr)", hint="Till exempel 2025:1234."),
            Input("organiser_id", "Huvudman", "select"),
            Input("title", "Granskningens rubrik"),
            Input("opened_on", "Öppnat den", "date", today=True),
            Input(
                "review_type",
                "Typ av granskning",
                required=False,
                hint="Som den ska stå i besluten, till exempel planerad kvalitetsgranskning.",
            ),
            Input("review_period", "Granskningen genomfördes", required=False, hint="Till exempel vårterminen 2025."),
        ),
        area_fields=(
            Input("code", "Kod"),
            Input("title", "Bedömningsområde"),
            Input("legal_basis", "Författningsstöd"),
        ),
    )
    dnr: str
    organiser_id: str
    title: str
    opened_on: date
    areas: tuple[AreaSpec, ...]
    review_type: str | None = None
    review_period: str | None = None

    def open(self, today: date, *, dnr_taken: bool) -> list[Fact]:
        """The case's first fact; ``dnr_taken`` tells whether another case already has this Dnr.

        Every wrong field is told at once; a Dnr another case has is a conflict, told once the rest is right.
        """
        found = Refusals()
        dnr = found.check(rules.dnr, self.dnr)
        found.check(rules.text, "organiser_id", self.organiser_id, 64)
        title = found.check(rules.one_line, "title", self.title)
        found.check(rules.not_in_future, "opened_on", self.opened_on, today)
        if not self.areas:
            found.add(invalid("areas", "case.no_areas"))
        seen: set[str] = set()
        for i, area in enumerate(self.areas):
            if found.check(rules.area_code, f"areas[{i}].code", area.code) is not None and area.code in seen:
                found.add(invalid(f"areas[{i}].code", "area_code.twice", value=area.code))
            seen.add(area.code)
            found.check(rules.one_line, f"areas[{i}].title", area.title)
            found.check(rules.one_line, f"areas[{i}].legal_basis", area.legal_basis)
        review = {
            name: found.check(rules.one_line, name, value, 100)
            for name, value in (("review_type", self.review_type), ("review_period", self.review_period))
            if value is not None and value.strip()
        }
        found.done()
        if dnr_taken:
            raise conflict("dnr", "case.dnr_taken", dnr=dnr)
        data = {
            "dnr": dnr,
            "organiser_id": self.organiser_id.strip(),
            "title": title,
            "opened_on": self.opened_on,
            "areas": self.areas,
            **review,
        }
        return [(ev.CaseOpened, self.opened_on, data)]
