"""The inspectorate follows the account up: more time, a supplement, the follow-up decision, or supervision."""

from __future__ import annotations

from datetime import date
from typing import Literal

from domain import events as ev
from domain import rules
from domain.actors import Role, User
from domain.commands.base import CommandBase, Fact
from domain.commands.decision import refuse_the_drafter
from domain.errors import Refusals, invalid
from domain.forms import DECIDED_ON, CommandForm, Input
from domain.state import CaseState
from domain.values import CaseStatus, FollowUpArea, Outcome


class RequestSupplement(CommandBase):
    """The inspector asks for more in the received account, by a new due date."""

    command: Literal["request-supplement"] = "request-supplement"
    roles = (Role.INSPECTOR,)
    states = (CaseStatus.RESPONSE_RECEIVED,)
    form = CommandForm(
        title="Begär komplettering",
        button="Begär komplettering",
        done="Kompletteringen är begärd.",
        fields=(
            Input("what", "Vad som ska kompletteras", "textarea"),
            Input("response_due", "Komplettering senast", "date"),
            Input(
                "new_approval_needed",
                "Kompletteringen ska godkännas på nytt",
                "checkbox",
                required=False,
                hint="Lämna tomt så står det godkännande redovisningen redan har kvar.",
            ),
        ),
    )
    what: str
    response_due: date
    new_approval_needed: bool = False
    """True: the organiser's approval of its account no longer stands (its draft neither)."""

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """What is missing, and a due date after today; the approval already given stays unless asked otherwise."""
        found = Refusals()
        what = found.check(rules.text, "what", self.what)
        found.check(rules.due_after, "response_due", self.response_due, today, "today")
        found.done()
        keeps = state.approval is not None and not self.new_approval_needed
        data = {"round": state.round, "what": what, "response_due": self.response_due, "keeps_approval": keeps}
        return [(ev.SupplementRequested, today, data)]


class ExtendDeadline(CommandBase):
    """The inspector gives the organiser more time for the account."""

    command: Literal["extend-deadline"] = "extend-deadline"
    roles = (Role.INSPECTOR,)
    states = (CaseStatus.AWAITING_RESPONSE,)
    form = CommandForm(
        title="Förläng tidsfristen",
        button="Förläng tidsfristen",
        done="Tidsfristen är förlängd.",
        fields=(
            Input("response_due", "Ny sista dag för redovisningen", "date"),
            Input("reason", "Skäl", "textarea"),
        ),
    )
    response_due: date
    reason: str

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """A reason, and a due date after both the current one and today."""
        found = Refusals()
        reason = found.check(rules.text, "reason", self.reason)
        assert state.response_due is not None
        if found.ok(rules.due_after, "response_due", self.response_due, state.response_due, "current_due"):
            found.check(rules.due_after, "response_due", self.response_due, today, "today")
        found.done()
        data = {
            "round": state.round,
            "previous_due": state.response_due,
            "response_due": self.response_due,
            "reason": reason,
        }
        return [(ev.DeadlineExtended, today, data)]


class DraftFollowUp(CommandBase):
    """The inspector drafts the follow-up decision: an outcome and its motivation for each open area."""

    command: Literal["draft-follow-up"] = "draft-follow-up"
    roles = (Role.INSPECTOR,)
    states = (CaseStatus.RESPONSE_RECEIVED,)
    form = CommandForm(
        title="Utkast till uppföljningsbeslut",
        button="Spara utkast till uppföljningsbeslut",
        done="Utkastet till uppföljningsbeslut är sparat.",
        areas="open",
        area_fields=(Input("outcome", "Bedömning", "outcome"), Input("motivation", "Motivering", "textarea")),
        fields=(
            Input(
                "next_response_due",
                "Nästa redovisning senast",
                "date",
                required=False,
                when="krävs om något område kräver ytterligare åtgärder",
            ),
        ),
    )
    areas: tuple[FollowUpArea, ...]
    next_response_due: date | None = None

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Every open area judged once; a next due date exactly when some area needs further measures."""
        statuses = {a.code: a.status for a in state.areas}
        found = Refusals()
        found.check(rules.cover_areas, [a.code for a in self.areas], statuses, state.open_codes, open_only=True)
        for i, area in enumerate(self.areas):
            found.check(rules.text, f"areas[{i}].motivation", area.motivation)
        if any(a.outcome is Outcome.FURTHER_MEASURES_REQUIRED for a in self.areas):
            if self.next_response_due is None:
                found.add(invalid("next_response_due", "follow_up.due_needed"))
            else:
                assert state.submitted_on is not None
                found.check(
                    rules.due_after,
                    "next_response_due",
                    self.next_response_due,
                    state.submitted_on,
                    "account_submitted",
                )
        elif self.next_response_due is not None:
            found.add(invalid("next_response_due", "follow_up.due_not_wanted"))
        found.done()
        data = {"round": state.round, "areas": self.areas, "next_response_due": self.next_response_due}
        return [(ev.FollowUpDrafted, today, data)]


class SignFollowUp(CommandBase):
    """A decision maker signs the follow-up decision: the case closes, or a new round starts."""

    command: Literal["sign-follow-up"] = "sign-follow-up"
    roles = (Role.DECISION_MAKER,)
    states = (CaseStatus.FOLLOW_UP_PENDING_SIGNATURE,)
    form = CommandForm(
        title="Signera uppföljningsbeslut",
        button="Signera uppföljningsbeslut",
        done="Uppföljningsbeslutet är signerat.",
        fields=(DECIDED_ON,),
    )
    decided_on: date

    @classmethod
    def precondition(cls, state: CaseState, user: User) -> None:
        """Not by the drafter."""
        refuse_the_drafter(state, user)

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Signed on a day that has been, after the account came, before the draft's next due date."""
        draft = state.follow_up_draft
        assert draft is not None and state.submitted_on is not None
        rules.not_in_future("decided_on", self.decided_on, today)
        rules.not_before("decided_on", self.decided_on, state.submitted_on, "account_submitted")
        signed = {"round": state.round, "decided_on": self.decided_on, "drafted_by": draft.drafted_by}
        further = tuple(a.code for a in draft.areas if a.outcome is Outcome.FURTHER_MEASURES_REQUIRED)
        if not further:
            return [
                (ev.FollowUpSigned, self.decided_on, signed),
                (ev.CaseClosed, self.decided_on, {"reason": "all_in_line"}),
            ]
        assert draft.next_response_due is not None
        rules.draft_due_after_signing(draft.next_response_due, self.decided_on, "next_account_due")
        next_round = {"round": state.round + 1, "areas": further, "response_due": draft.next_response_due}
        return [(ev.FollowUpSigned, self.decided_on, signed), (ev.RoundStarted, self.decided_on, next_round)]


class ReferToSupervision(CommandBase):
    """A decision maker hands the case over to supervision: it ends here."""

    command: Literal["refer-to-supervision"] = "refer-to-supervision"
    roles = (Role.DECISION_MAKER,)
    states = (CaseStatus.AWAITING_RESPONSE, CaseStatus.RESPONSE_RECEIVED)
    form = CommandForm(
        title="Överlämna till tillsyn",
        button="Överlämna till tillsyn",
        done="Ärendet är överlämnat till tillsyn.",
        danger=True,
        fields=(
            Input("reason", "Skäl", "textarea"),
            DECIDED_ON,
            Input("reference", "Tillsynsärendets diarienummer", hint="Till exempel 2026:512."),
        ),
    )
    reason: str
    decided_on: date
    reference: str

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """A reason, the supervision case's Dnr, decided on a day that has been, after the last signed decision."""
        found = Refusals()
        reason = found.check(rules.text, "reason", self.reason)
        reference = found.check(rules.dnr, self.reference, "reference")
        found.check(rules.not_in_future, "decided_on", self.decided_on, today)
        assert state.last_signed_on is not None
        found.check(rules.not_before, "decided_on", self.decided_on, state.last_signed_on, "last_signed")
        found.done()
        data = {"reason": reason, "decided_on": self.decided_on, "reference": reference}
        return [(ev.CaseReferred, self.decided_on, data)]
