"""Commands: what a person asks the system to do, one model per command of API.md.

Models check types only; every rule about content (empty texts, dates, areas) lives in
``domain.decide`` so that it is written once and refused with a typed error.
Every command carries a client-chosen ``request_id``: a retry carries the same one.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, TypeAdapter, ValidationError

from domain.actors import Role
from domain.errors import DomainError, ErrorCode
from domain.values import AreaSpec, DecisionArea, FollowUpArea, Frozen, ResponseArea


class CommandBase(Frozen):
    """Fields every command shares; ``role`` is the role a user must hold to issue it."""

    role: ClassVar[Role]
    request_id: str


class OpenCase(CommandBase):
    role: ClassVar[Role] = Role.INSPECTOR
    command: Literal["open-case"] = "open-case"
    dnr: str
    organiser_id: str
    title: str
    opened_on: date
    areas: tuple[AreaSpec, ...]


class DraftDecision(CommandBase):
    role: ClassVar[Role] = Role.INSPECTOR
    command: Literal["draft-decision"] = "draft-decision"
    areas: tuple[DecisionArea, ...]
    response_due: date | None = None


class SignDecision(CommandBase):
    role: ClassVar[Role] = Role.DECISION_MAKER
    command: Literal["sign-decision"] = "sign-decision"
    decided_on: date


class RejectDraft(CommandBase):
    role: ClassVar[Role] = Role.DECISION_MAKER
    command: Literal["reject-draft"] = "reject-draft"
    reason: str


class DraftResponse(CommandBase):
    role: ClassVar[Role] = Role.ORGANISER
    command: Literal["draft-response"] = "draft-response"
    areas: tuple[ResponseArea, ...]


class ApproveResponse(CommandBase):
    role: ClassVar[Role] = Role.ORGANISER
    command: Literal["approve-response"] = "approve-response"
    body: str
    decided_on: date
    paragraph: str


class SubmitResponse(CommandBase):
    role: ClassVar[Role] = Role.ORGANISER
    command: Literal["submit-response"] = "submit-response"
    submitted_on: date


class RequestSupplement(CommandBase):
    role: ClassVar[Role] = Role.INSPECTOR
    command: Literal["request-supplement"] = "request-supplement"
    what: str
    response_due: date


class ExtendDeadline(CommandBase):
    role: ClassVar[Role] = Role.INSPECTOR
    command: Literal["extend-deadline"] = "extend-deadline"
    response_due: date
    reason: str


class DraftFollowUp(CommandBase):
    role: ClassVar[Role] = Role.INSPECTOR
    command: Literal["draft-follow-up"] = "draft-follow-up"
    areas: tuple[FollowUpArea, ...]
    next_response_due: date | None = None


class SignFollowUp(CommandBase):
    role: ClassVar[Role] = Role.DECISION_MAKER
    command: Literal["sign-follow-up"] = "sign-follow-up"
    decided_on: date


class ReferToSupervision(CommandBase):
    role: ClassVar[Role] = Role.DECISION_MAKER
    command: Literal["refer-to-supervision"] = "refer-to-supervision"
    reason: str
    decided_on: date
    reference: str


class SendReminder(CommandBase):
    """Issued by the round's timer: remind the organiser or the inspectorate."""

    role: ClassVar[Role] = Role.SYSTEM
    command: Literal["send-reminder"] = "send-reminder"
    round: int
    response_due: date
    recipient: Literal["organiser", "inspectorate"]
    days_before_due: int


class MarkOverdue(CommandBase):
    """Issued by the round's timer when the due date has passed without an account."""

    role: ClassVar[Role] = Role.SYSTEM
    command: Literal["mark-overdue"] = "mark-overdue"
    round: int
    response_due: date


CaseCommand = Annotated[
    DraftDecision
    | SignDecision
    | RejectDraft
    | DraftResponse
    | ApproveResponse
    | SubmitResponse
    | RequestSupplement
    | ExtendDeadline
    | DraftFollowUp
    | SignFollowUp
    | ReferToSupervision
    | SendReminder
    | MarkOverdue,
    Field(discriminator="command"),
]
"""A command on an existing case (everything but ``open-case``)."""

COMMAND_TYPES: dict[str, type[CommandBase]] = {
    cls.model_fields["command"].default: cls
    for cls in (
        OpenCase,
        DraftDecision,
        SignDecision,
        RejectDraft,
        DraftResponse,
        ApproveResponse,
        SubmitResponse,
        RequestSupplement,
        ExtendDeadline,
        DraftFollowUp,
        SignFollowUp,
        ReferToSupervision,
        SendReminder,
        MarkOverdue,
    )
}

PERSON_COMMANDS: tuple[str, ...] = tuple(n for n, c in COMMAND_TYPES.items() if c.role is not Role.SYSTEM)
"""The commands people issue (API.md's command names plus ``open-case``)."""

_CASE_COMMAND_ADAPTER: TypeAdapter[CaseCommand] = TypeAdapter(CaseCommand)


def parse_command(name: str, payload: dict[str, Any]) -> CommandBase:
    """Build the command ``name`` from a JSON-like payload, refusing bad input with a DomainError.

    Unknown command → ``not_found``; a missing or mistyped field → ``validation_error``
    naming the field (``areas[0].code``).
    """
    cls = COMMAND_TYPES.get(name)
    if cls is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"There is no command called {name!r}.", "command")
    try:
        return cls.model_validate({**payload, "command": name})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = _field_path(first["loc"])
        raise DomainError(ErrorCode.VALIDATION_ERROR, f"{field}: {first['msg']}.", field) from exc


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"
