"""Payloads of the workflows, their updates, signals and queries (pydantic models)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from domain.actors import User
from domain.commands import CaseCommand, OpenCase
from domain.deadlines import Alarm, DeadlinePolicy
from domain.state import CaseState
from domain.views import CaseView


def case_workflow_id(case_id: str) -> str:
    """The id of a case's workflow (one workflow per case, for its whole life)."""
    return f"case-{case_id}"


def round_workflow_id(case_id: str, round: int) -> str:
    """The id of the child workflow that owns one response round's deadline."""
    return f"case-{case_id}-round-{round}"


class CommandRequest(BaseModel):
    """A person's command on a case, as an Update's single argument."""

    user: User
    command: CaseCommand = Field(discriminator="command")


class OpenCaseRequest(BaseModel):
    """The command that opens the case, given when the workflow starts."""

    user: User
    command: OpenCase


class CarriedState(BaseModel):
    """What a case's workflow carries across continue-as-new."""

    state: CaseState
    processed: dict[str, CaseView] = {}
    """Answers to request ids already handled: a retry gets the same answer."""
    round_child: str | None = None


class CaseWorkflowInput(BaseModel):
    """Start a case (``open``) or continue one (``carried``)."""

    case_id: str
    open: OpenCaseRequest | None = None
    carried: CarriedState | None = None
    policy: DeadlinePolicy = DeadlinePolicy()
    continue_as_new_after: int | None = None
    """Continue as new after this many handled messages (tests); None: when the SDK suggests it."""


class ViewRequest(BaseModel):
    """Who is asking, so the view lists the commands that user may issue."""

    user: User


class RoundInput(BaseModel):
    """Start a response round's deadline keeper."""

    case_id: str
    round: int
    response_due: date | None
    """None while no account is awaited (it has been received)."""
    parent_workflow_id: str
    policy: DeadlinePolicy = DeadlinePolicy()


class DeadlineChange(BaseModel):
    """The round's due date moved (extension, supplement) or paused (account received)."""

    response_due: date | None


class AlarmFired(BaseModel):
    """Sent by the round to its case when a reminder or the overdue notice falls due."""

    alarm: Alarm
