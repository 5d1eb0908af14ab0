"""The decision: the inspector drafts it, a decision maker signs it or sends it back."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from domain import events as ev
from domain import rules
from domain.actors import Role, User
from domain.commands.base import CommandBase, Fact
from domain.errors import Refusals, forbidden, invalid
from domain.forms import DECIDED_ON, CommandForm, Input
from domain.state import CaseState
from domain.values import CaseStatus, DecisionArea, DraftKind


class DraftDecision(CommandBase):
    """The inspector drafts the decision: an assessment and development requirements for every area."""

    command: Literal["draft-decision"] = "draft-decision"
    roles = (Role.INSPECTOR,)
    states = (CaseStatus.UNDER_REVIEW,)
    form = CommandForm(
        title="Utkast till beslut",
        button="Spara utkast till beslut",
        done="Utkastet till beslut är sparat.",
        areas="all",
        area_fields=(
            Input("assessment", "Bedömning", "textarea"),
            Input(
                "requirements",
                "Utvecklingsbehov",
                "lines",
                required=False,
                hint="Ett utvecklingsbehov per rad. Lämna tomt om området saknar behov.",
            ),
        ),
        fields=(
            Input(
                "response_due",
                "Redovisning senast",
                "date",
                required=False,
                when="krävs om något område har utvecklingsbehov",
            ),
        ),
    )
    areas: tuple[DecisionArea, ...]
    response_due: date | None = None

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Every area assessed once; a due date exactly when some area has requirements."""
        statuses = {a.code: a.status for a in state.areas}
        found = Refusals()
        codes = [a.code for a in self.areas]
        found.check(rules.cover_areas, codes, statuses, [a.code for a in state.areas], open_only=False)
        for i, area in enumerate(self.areas):
            found.check(rules.text, f"areas[{i}].assessment", area.assessment)
            for j, requirement in enumerate(area.requirements):
                found.check(rules.text, f"areas[{i}].requirements[{j}]", requirement)
        if any(a.requirements for a in self.areas):
            if self.response_due is None:
                found.add(invalid("response_due", "decision.due_needed"))
            else:
                # Only against the case's own dates: a decision may be registered after the fact (its business
                # date is the signing date, checked at signing); a due date already passed makes the round overdue.
                found.check(rules.due_after, "response_due", self.response_due, state.opened_on, "case_opened")
        elif self.response_due is not None:
            found.add(invalid("response_due", "decision.due_not_wanted"))
        found.done()
        return [(ev.DecisionDrafted, today, {"areas": self.areas, "response_due": self.response_due})]


def refuse_the_drafter(state: CaseState, user: User) -> None:
    """The one who drafted a text never signs it: another decision maker must; and when the case has a
    designated signer (``designate-signer``), only that decision maker signs."""
    if state.pending_drafter == user.username:
        raise forbidden("signing.by_drafter", user=user.username)
    if state.designated_signer not in (None, user.username):
        raise forbidden("signing.designated", user=user.username, value=state.designated_signer)


class SignDecision(CommandBase):
    """A decision maker signs the drafted decision: the first round starts, or the case closes."""

    command: Literal["sign-decision"] = "sign-decision"
    roles = (Role.DECISION_MAKER,)
    states = (CaseStatus.DECISION_PENDING_SIGNATURE,)
    form = CommandForm(
        title="Signera beslut", button="Signera beslut", done="Beslutet är signerat.", fields=(DECIDED_ON,)
    )
    decided_on: date

    @classmethod
    def precondition(cls, state: CaseState, user: User) -> None:
        """Not by the drafter."""
        refuse_the_drafter(state, user)

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Signed on a day that has been, after the case opened and before the draft's due date."""
        draft = state.decision_draft
        assert draft is not None
        rules.not_in_future("decided_on", self.decided_on, today)
        rules.not_before("decided_on", self.decided_on, state.opened_on, "case_opened")
        signed = {"decided_on": self.decided_on, "drafted_by": draft.drafted_by, "response_due": draft.response_due}
        open_codes = tuple(a.code for a in draft.areas if a.requirements)
        if not open_codes:
            return [
                (ev.DecisionSigned, self.decided_on, signed),
                (ev.CaseClosed, self.decided_on, {"reason": "no_requirements"}),
            ]
        assert draft.response_due is not None
        rules.draft_due_after_signing(draft.response_due, self.decided_on, "account_due")
        return [
            (ev.DecisionSigned, self.decided_on, signed),
            (ev.RoundStarted, self.decided_on, {"round": 1, "areas": open_codes, "response_due": draft.response_due}),
        ]


class RejectDraft(CommandBase):
    """A decision maker sends the draft awaiting signature (decision or follow-up) back, with a reason."""

    command: Literal["reject-draft"] = "reject-draft"
    roles = (Role.DECISION_MAKER,)
    states = (CaseStatus.DECISION_PENDING_SIGNATURE, CaseStatus.FOLLOW_UP_PENDING_SIGNATURE)
    form = CommandForm(
        title="Avvisa utkast",
        button="Avvisa utkast",
        done="Utkastet är avvisat.",
        fields=(Input("reason", "Skäl", "textarea"),),
        danger=True,
    )
    own_form: ClassVar[CommandForm] = CommandForm(
        title="Dra tillbaka utkastet",
        button="Dra tillbaka utkastet",
        done="Utkastet är tillbakadraget.",
        fields=(Input("reason", "Skäl", "textarea"),),
        danger=True,
        command="reject-draft",
    )
    """The same command as the drafter sees it on their own draft (they may not sign it, but may withdraw it)."""
    reason: str

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """A reason is needed."""
        reason = rules.text("reason", self.reason)
        kind = DraftKind.DECISION if state.decision_draft else DraftKind.FOLLOW_UP
        return [(ev.DraftRejected, today, {"draft": kind, "drafted_by": state.pending_drafter, "reason": reason})]
