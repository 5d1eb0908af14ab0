"""The organiser's account of its measures: drafted, approved by its board, submitted."""

from __future__ import annotations

from datetime import date
from typing import Literal

from domain import events as ev
from domain import rules
from domain.actors import Role, User
from domain.commands.base import CommandBase, Fact
from domain.errors import Refusals, invalid_state
from domain.forms import DECIDED_ON, CommandForm, Input
from domain.state import CaseState
from domain.values import CaseStatus, ResponseArea


class DraftResponse(CommandBase):
    """The organiser drafts (or redrafts) its account: measures and their evaluation for each open area."""

    command: Literal["draft-response"] = "draft-response"
    roles = (Role.ORGANISER,)
    states = (CaseStatus.AWAITING_RESPONSE,)
    form = CommandForm(
        title="Utkast till redovisning",
        button="Spara utkast till redovisning",
        done="Utkastet till redovisning är sparat.",
        areas="open",
        area_fields=(
            Input("measures", "Vidtagna åtgärder", "textarea"),
            Input("evaluation", "Hur åtgärderna ska utvärderas", "textarea"),
        ),
    )
    areas: tuple[ResponseArea, ...]

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Every open area covered once, with texts."""
        statuses = {a.code: a.status for a in state.areas}
        found = Refusals()
        found.check(rules.cover_areas, [a.code for a in self.areas], statuses, state.open_codes, open_only=True)
        for i, area in enumerate(self.areas):
            found.check(rules.text, f"areas[{i}].measures", area.measures)
            found.check(rules.text, f"areas[{i}].evaluation", area.evaluation)
        found.done()
        return [(ev.ResponseDrafted, today, {"round": state.round, "areas": self.areas})]


class ApproveResponse(CommandBase):
    """The organiser records its board's approval of the latest draft."""

    command: Literal["approve-response"] = "approve-response"
    roles = (Role.ORGANISER,)
    states = (CaseStatus.AWAITING_RESPONSE,)
    form = CommandForm(
        title="Nämndens godkännande",
        button="Registrera godkännande",
        done="Nämndens godkännande är registrerat.",
        fields=(
            Input("body", "Nämnd", hint="Till exempel Bildningsnämnden."),
            DECIDED_ON,
            Input("paragraph", "Paragraf", hint="Till exempel § 122."),
        ),
    )
    body: str
    decided_on: date
    paragraph: str

    @classmethod
    def precondition(cls, state: CaseState, user: User) -> None:
        """Only a drafted account can be approved."""
        if state.response_draft is None:
            raise invalid_state("account.no_draft")

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """The board and paragraph named; approved on a day that has been, after the inspectorate's decision."""
        found = Refusals()
        body = found.check(rules.one_line, "body", self.body)
        paragraph = found.check(rules.one_line, "paragraph", self.paragraph, 64)
        found.check(rules.not_in_future, "decided_on", self.decided_on, today)
        assert state.last_signed_on is not None
        found.check(rules.not_before, "decided_on", self.decided_on, state.last_signed_on, "inspectorate_decision")
        found.done()
        data = {"round": state.round, "body": body, "decided_on": self.decided_on, "paragraph": paragraph}
        return [(ev.ResponseApproved, self.decided_on, data)]


class SubmitResponse(CommandBase):
    """The organiser submits its approved account to the inspectorate."""

    command: Literal["submit-response"] = "submit-response"
    roles = (Role.ORGANISER,)
    states = (CaseStatus.AWAITING_RESPONSE,)
    form = CommandForm(
        title="Skicka in redovisningen",
        button="Skicka in redovisningen",
        done="Redovisningen är inskickad.",
        fields=(Input("submitted_on", "Inskickad den", "date", today=True),),
    )
    submitted_on: date

    @classmethod
    def precondition(cls, state: CaseState, user: User) -> None:
        """Only a drafted and approved account can be submitted."""
        if state.response_draft is None or state.approval is None:
            if state.response_draft is None:
                raise invalid_state("account.submit_needs_draft")
            raise invalid_state("account.submit_needs_approval")

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Submitted on a day that has been, not before the board approved it."""
        assert state.approval is not None
        rules.not_in_future("submitted_on", self.submitted_on, today)
        rules.not_before("submitted_on", self.submitted_on, state.approval.decided_on, "board_approval")
        return [(ev.ResponseSubmitted, self.submitted_on, {"round": state.round, "submitted_on": self.submitted_on})]
