"""The organiser's account of its measures: drafted, approved (by its board, by delegation, or not needed),
submitted — or, when it arrives by post or e-mail, registered by the inspectorate's staff."""

from __future__ import annotations

from datetime import date
from typing import Literal

from domain import events as ev
from domain import rules
from domain.actors import Role, User
from domain.commands.base import CommandBase, Fact
from domain.errors import Refusals, invalid, invalid_state
from domain.forms import DECIDED_ON, CommandForm, Input
from domain.state import CaseState
from domain.values import ApprovalKind, CaseStatus, Frozen, ResponseArea

ATTACHMENTS = Input(
    "attachments",
    "Bilagor",
    "files",
    required=False,
    hint="PDF-filer, högst 20 MB styck och högst 10 till en redovisning (till exempel protokollsutdrag).",
)
"""The PDF files of an account, by their SHA-256 once uploaded (``POST /api/v1/cases/{id}/documents``)."""


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
        fields=(ATTACHMENTS,),
    )
    areas: tuple[ResponseArea, ...]
    attachments: tuple[str, ...] = ()

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Every open area covered once, with texts; at most ten attachments, each once."""
        found = Refusals()
        check_account_areas(found, state, self.areas)
        attachments = found.check(rules.attachments, "attachments", self.attachments)
        found.done()
        data = {"round": state.round, "areas": self.areas, "attachments": attachments}
        return [(ev.ResponseDrafted, today, data)]


def check_account_areas(found: Refusals, state: CaseState, areas: tuple[ResponseArea, ...]) -> None:
    """An account's texts: every open area once, each with its measures and their evaluation."""
    statuses = {a.code: a.status for a in state.areas}
    found.check(rules.cover_areas, [a.code for a in areas], statuses, state.open_codes, open_only=True)
    for i, area in enumerate(areas):
        found.check(rules.text, f"areas[{i}].measures", area.measures)
        found.check(rules.text, f"areas[{i}].evaluation", area.evaluation)


_KIND_FIELDS = {
    ApprovalKind.BOARD: ("body", "paragraph"),
    ApprovalKind.DELEGATION: ("delegated_to", "title"),
    ApprovalKind.NOT_REQUIRED: ("basis",),
}
"""The fields each kind of approval is given with (besides ``decided_on``)."""


def _given(value: str | None) -> bool:
    """Whether a text was given (a form sends the inputs left empty as empty texts)."""
    return value is not None and bool(value.strip())


class ApproveResponse(CommandBase):
    """The organiser records who approved the latest draft: its board (with the paragraph of the minutes), an
    official by delegation (name and title), or that its rules require no approval (which rule says so)."""

    command: Literal["approve-response"] = "approve-response"
    roles = (Role.ORGANISER,)
    states = (CaseStatus.AWAITING_RESPONSE,)
    form = CommandForm(
        title="Godkännande av redovisningen",
        button="Registrera godkännande",
        done="Godkännandet av redovisningen är registrerat.",
        fields=(
            Input(
                "approved_by",
                "Godkänd av",
                "select",
                required=False,
                hint="Nämnden, en tjänsteperson med delegation, eller inget godkännande enligt huvudmannens regler.",
                choices=(
                    ("board", "Nämnden"),
                    ("delegation", "En delegat (beslut på delegation)"),
                    ("not_required", "Inget godkännande krävs enligt huvudmannens regler"),
                ),
            ),
            Input("body", "Nämnd", required=False, when="vid nämndbeslut", hint="Till exempel Bildningsnämnden."),
            Input("paragraph", "Paragraf", required=False, when="vid nämndbeslut", hint="Till exempel § 122."),
            Input("delegated_to", "Delegat", required=False, when="vid beslut på delegation", hint="Namn."),
            Input(
                "title",
                "Delegatens titel",
                required=False,
                when="vid beslut på delegation",
                hint="Till exempel skolchef.",
            ),
            Input(
                "basis",
                "Regel som gör godkännande onödigt",
                required=False,
                when="om inget godkännande krävs",
                hint="Till exempel delegationsordningen, punkt 4.2.",
            ),
            DECIDED_ON,
        ),
    )
    approved_by: ApprovalKind | None = None
    """Which kind of approval; when left out, told by the fields given (delegated_to, basis, or the board's)."""
    body: str | None = None
    decided_on: date
    paragraph: str | None = None
    delegated_to: str | None = None
    title: str | None = None
    basis: str | None = None

    @property
    def kind(self) -> ApprovalKind:
        """The kind of approval asked for, given or told by its fields."""
        if self.approved_by is not None:
            return self.approved_by
        if _given(self.delegated_to) or _given(self.title):
            return ApprovalKind.DELEGATION
        if _given(self.basis):
            return ApprovalKind.NOT_REQUIRED
        return ApprovalKind.BOARD

    @classmethod
    def precondition(cls, state: CaseState, user: User) -> None:
        """Only a drafted account can be approved."""
        if state.response_draft is None:
            raise invalid_state("account.no_draft")

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """The fields of its kind given (and no other kind's); approved on a day that has been, after the
        inspectorate's decision."""
        kind = self.kind
        found = Refusals()
        data: dict[str, object] = {"round": state.round, "decided_on": self.decided_on}
        for name in ("body", "paragraph", "delegated_to", "title", "basis"):
            value: str | None = getattr(self, name)
            if name not in _KIND_FIELDS[kind]:
                if _given(value):
                    found.add(invalid(name, "approval.other_kind"))
            elif name == "delegated_to":
                data[name] = found.check(rules.name, name, value or "")
            else:
                data[name] = found.check(rules.one_line, name, value or "", 64 if name == "paragraph" else 300)
        found.check(rules.not_in_future, "decided_on", self.decided_on, today)
        assert state.last_signed_on is not None
        found.check(rules.not_before, "decided_on", self.decided_on, state.last_signed_on, "inspectorate_decision")
        found.done()
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
        fields=(Input("submitted_on", "Inskickad den", "date", today=True), ATTACHMENTS),
    )
    submitted_on: date
    attachments: tuple[str, ...] = ()
    """Documents added at submission, besides those attached to the draft."""

    @classmethod
    def precondition(cls, state: CaseState, user: User) -> None:
        """Only a drafted and approved account can be submitted."""
        if state.response_draft is None or state.approval is None:
            if state.response_draft is None:
                raise invalid_state("account.submit_needs_draft")
            raise invalid_state("account.submit_needs_approval")

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Submitted on a day that has been, not before it was approved; with the draft's attachments and those
        added now, at most ten in all."""
        assert state.approval is not None and state.response_draft is not None
        found = Refusals()
        found.check(rules.not_in_future, "submitted_on", self.submitted_on, today)
        found.check(rules.not_before, "submitted_on", self.submitted_on, state.approval.decided_on, "approval")
        added = found.check(rules.attachments, "attachments", self.attachments) or ()
        attachments = tuple(dict.fromkeys((*state.response_draft.attachments, *added)))
        if len(attachments) > rules.MAX_ATTACHMENTS:
            found.add(
                invalid("attachments", "attachments.too_many", max=rules.MAX_ATTACHMENTS, length=len(attachments))
            )
        found.done()
        data = {"round": state.round, "submitted_on": self.submitted_on, "attachments": attachments}
        return [(ev.ResponseSubmitted, self.submitted_on, data)]


class RegisteredArea(Frozen):
    """One area of a registered account: its texts, when the registrar types them in (a row left empty is none)."""

    code: str
    measures: str | None = None
    evaluation: str | None = None

    @property
    def given(self) -> bool:
        """Whether any text of the row was typed in."""
        return bool((self.measures or "").strip() or (self.evaluation or "").strip())


class RegisterResponse(CommandBase):
    """The inspectorate's staff register an account that arrived by post or e-mail: when it was sent, when it
    arrived, who sent it, its PDF files and (optionally) its text per area. The case goes on as when the
    organiser submits its account."""

    command: Literal["register-response"] = "register-response"
    roles = (Role.REGISTRAR, Role.INSPECTOR)
    states = (CaseStatus.AWAITING_RESPONSE,)
    form = CommandForm(
        title="Registrera inkommen redovisning",
        button="Registrera redovisningen",
        done="Redovisningen är registrerad.",
        areas="open",
        area_fields=(
            Input("measures", "Vidtagna åtgärder", "textarea", required=False),
            Input("evaluation", "Hur åtgärderna ska utvärderas", "textarea", required=False),
        ),
        fields=(
            Input("sent_on", "Avsänd den", "date", hint="Dagen huvudmannen skickade redovisningen (ÅÅÅÅ-MM-DD)."),
            Input("received_on", "Inkom den", "date", today=True),
            Input("sender", "Avsändare", hint="Till exempel Trelleborgs kommun, bildningsförvaltningen."),
            Input(
                "attachments",
                "Redovisningens filer",
                "files",
                hint="PDF-filer, högst 20 MB styck och högst 10: redovisningen och dess bilagor.",
            ),
        ),
    )
    sent_on: date
    received_on: date
    sender: str
    attachments: tuple[str, ...]
    areas: tuple[RegisteredArea, ...] = ()
    """The account's text per open area, when it is typed in (then for every open area); rows left empty count
    as not typed in."""

    def decide(self, state: CaseState, today: date) -> list[Fact]:
        """Sent after the inspectorate's last decision, received on or after it was sent and not in the future; a
        sender; one to ten documents; texts, when given, for every open area."""
        found = Refusals()
        sender = found.check(rules.name, "sender", self.sender)
        assert state.last_signed_on is not None
        found.check(rules.not_before, "sent_on", self.sent_on, state.last_signed_on, "inspectorate_decision")
        found.check(rules.not_in_future, "sent_on", self.sent_on, today)
        if found.ok(rules.not_in_future, "received_on", self.received_on, today):
            found.check(rules.not_before, "received_on", self.received_on, self.sent_on, "account_sent")
        attachments = found.check(rules.attachments, "attachments", self.attachments)
        if not self.attachments:
            found.add(invalid("attachments", "register.no_files"))
        areas: tuple[ResponseArea, ...] = ()
        if any(a.given for a in self.areas):
            areas = tuple(
                ResponseArea(code=a.code, measures=a.measures or "", evaluation=a.evaluation or "") for a in self.areas
            )
            check_account_areas(found, state, areas)
        found.done()
        data = {
            "round": state.round,
            "sent_on": self.sent_on,
            "received_on": self.received_on,
            "sender": sender,
            "attachments": attachments,
            "areas": areas,
        }
        return [(ev.ResponseRegistered, self.received_on, data)]
