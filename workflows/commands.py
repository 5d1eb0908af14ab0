"""The command Updates of a case's workflow: one dynamic Update for every person command.

The Update names are the domain's command names (``sign-decision``, ``extend-deadline``, …),
derived from ``domain.commands``: a command added there is an Update here with no further
edit. Each takes a :class:`~workflows.models.CommandRequest` (the user and the typed command)
and answers with the case view. The validator refuses an unknown name or a bad command before
anything enters the workflow history; the handler records the events. Both delegate to the
case workflow's ``_validate`` and ``_handle`` so every command follows exactly the same path.
"""

from __future__ import annotations

from collections.abc import Sequence

from temporalio import workflow
from temporalio.common import RawValue
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.commands import PERSON_COMMANDS
    from domain.views import CaseView
    from workflows.models import CommandRequest

COMMAND_UPDATES: frozenset[str] = frozenset(PERSON_COMMANDS) - {"open-case"}
"""The Update names a case answers: every command a person issues on an open case."""


def _refused(code: str, field: str | None, message: str) -> ApplicationError:
    return ApplicationError(message, {"code": code, "field": field}, type="DomainError", non_retryable=True)


def decode_request(name: str, args: Sequence[RawValue]) -> CommandRequest:
    """The Update's single argument as a :class:`CommandRequest`, or a refusal naming what is wrong."""
    if name not in COMMAND_UPDATES:
        raise _refused("not_found", "command", f"There is no command called {name!r}.")
    if len(args) != 1:
        raise _refused("validation_error", "body", f"The command {name} takes one argument, not {len(args)}.")
    try:
        request = workflow.payload_converter().from_payload(args[0].payload, CommandRequest)
    except Exception as error:  # the converter reports pydantic's and JSON's errors alike
        raise _refused("validation_error", "body", f"The command {name} could not be read: {error}") from None
    if request.command.command != name:
        raise _refused(
            "validation_error", "command", f"This update takes the command {name}, not {request.command.command}."
        )
    return request


class CaseCommandUpdates:
    """Mixin of :class:`~workflows.case.InspectionCaseWorkflow`: the Updates people send."""

    def _validate(self, request: CommandRequest) -> None:
        raise NotImplementedError

    async def _handle(self, request: CommandRequest) -> CaseView:
        raise NotImplementedError

    @workflow.update(dynamic=True)
    async def command(self, name: str, args: Sequence[RawValue]) -> CaseView:
        """Carry out the person command ``name`` (its request validated first) and answer with the case view."""
        return await self._handle(decode_request(name, args))

    @command.validator
    def validate_command(self, name: str, args: Sequence[RawValue]) -> None:
        """Refuse an unknown command, a malformed request, or one the domain's rules refuse now."""
        self._validate(decode_request(name, args))
