"""Payloads of the workflows, their updates, signals and queries (pydantic models).

Whatever a run carries into the next (continue-as-new) is bounded by a constant: the case's
state (a fold of its events, not the events), a window of recent request ids with compact
answers, and the deadline clock. Fields are only ever added, with defaults, so that inputs
written by an earlier release still load.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, model_validator

from domain.actors import User
from domain.commands import CaseCommand, OpenCase
from domain.deadlines import Alarm, DeadlinePolicy
from domain.state import CaseState
from domain.views import CaseView

HANDING_OVER = "CaseHandingOver"
"""Error type of an Update refused while the case's run hands over to the next (continue-as-new).

Nothing was recorded; the client sends the same request again (same request id) a moment later,
when the next run takes it. Refusing is what lets the run finish its commands in flight and hand
over even while commands keep coming (the server caps a run at 2,000 Updates)."""


def case_workflow_id(case_id: str) -> str:
    """The id of a case's workflow (one workflow per case, for its whole life)."""
    return f"case-{case_id}"


def round_workflow_id(case_id: str, round: int) -> str:
    """The id of the child workflow that kept one response round's deadline (cases of earlier releases)."""
    return f"case-{case_id}-round-{round}"


class CommandRequest(BaseModel):
    """A person's command on a case, as an Update's single argument."""

    user: User
    command: CaseCommand = Field(discriminator="command")


class OpenCaseRequest(BaseModel):
    """The command that opens the case, given when the workflow starts."""

    user: User
    command: OpenCase


_UNCHANGING = frozenset({"case_id", "dnr", "organiser_id", "title"})


class Answer(BaseModel):
    """A command's answer without what never changes in a case (ids, Dnr, title, area names): ~200 bytes."""

    view: dict[str, Any]
    """The view's fields but the unchanging ones; ``areas`` as their statuses, in the case's order."""

    @model_validator(mode="before")
    @classmethod
    def _first_form(cls, data: Any) -> Any:
        # The first form of this model had one field per view field (state, round, …, area_statuses).
        if isinstance(data, dict) and "view" not in data:
            fields = {k: v for k, v in data.items() if k != "area_statuses"}
            return {"view": {**fields, "areas": list(data.get("area_statuses", ()))}}
        return data

    @classmethod
    def of(cls, view: CaseView) -> Answer:
        """The compact form of ``view``."""
        fields = view.model_dump(mode="json", exclude=set(_UNCHANGING))
        fields["areas"] = [area["status"] for area in fields["areas"]]
        return cls(view=fields)

    def view_in(self, state: CaseState) -> CaseView:
        """The view this answer was, with the case's unchanging parts taken from ``state``."""
        fields = dict(self.view)
        statuses = fields.pop("areas")
        areas = [
            {"code": area.code, "title": area.title, "status": status}
            for area, status in zip(state.areas, statuses, strict=True)
        ]
        unchanging = {name: getattr(state, name) for name in _UNCHANGING}
        return CaseView.model_validate({**fields, **unchanging, "areas": areas})


class Remembered(BaseModel):
    """A request id the case has carried out, with what a retry needs: who asked what, and the answer."""

    request_id: str
    fingerprint: str | None
    """Digest of the user and the command; None when remembered by a release that kept none."""
    answer: Answer


class DeadlineClock(BaseModel):
    """The current round's deadline, kept by the case workflow's own timers."""

    round: int
    due: date | None
    """None while no account is awaited (it has been received)."""
    set_at: datetime
    """When the due date was set: reminders whose time had passed by then are skipped."""
    fired: tuple[str, ...] = ()
    """Keys of the alarms of this due date that have fired."""


class CarriedState(BaseModel):
    """What a case's workflow carries across continue-as-new (bounded by a constant)."""

    state: CaseState
    processed: dict[str, CaseView] = {}
    """Written by releases before the window (every answer ever given); read once, never written again."""
    recent: tuple[Remembered, ...] = ()
    """The most recent request ids carried out (a bounded window), oldest first."""
    round_child: str | None = None
    """The child workflow keeping the current round's deadline, for rounds started by earlier releases."""
    clock: DeadlineClock | None = None
    handled_before: int = 0
    """Commands carried out by earlier runs (for operators; not used for decisions)."""


class CaseWorkflowInput(BaseModel):
    """Start a case (``open``) or continue one (``carried``)."""

    case_id: str
    open: OpenCaseRequest | None = None
    carried: CarriedState | None = None
    policy: DeadlinePolicy = DeadlinePolicy()
    continue_as_new_after: int | None = None
    """Continue as new after this many handled commands (tests); None: the default, or when the SDK suggests it."""


class ViewRequest(BaseModel):
    """Who is asking, so the view lists the commands that user may issue."""

    user: User


class RoundCarried(BaseModel):
    """What a response round's child carries across continue-as-new."""

    due: date | None
    set_at: datetime
    fired: tuple[str, ...] = ()


class RoundInput(BaseModel):
    """Start a response round's deadline keeper (or continue one: ``carried``)."""

    case_id: str
    round: int
    response_due: date | None
    """None while no account is awaited (it has been received)."""
    parent_workflow_id: str
    policy: DeadlinePolicy = DeadlinePolicy()
    carried: RoundCarried | None = None
    continue_as_new_after: int | None = None
    """Continue as new after this many deadline changes (tests); None: the default."""


class DeadlineChange(BaseModel):
    """The round's due date moved (extension, supplement) or paused (account received)."""

    response_due: date | None


class AlarmFired(BaseModel):
    """Sent by a round's child to its case when a reminder or the overdue notice falls due."""

    alarm: Alarm
