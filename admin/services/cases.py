"""Cases: open them and run commands on them, for the JSON API, the pages and the CLI alike.

Commands go to the case's workflow as Updates (so they are checked, recorded and durable
before the answer); reads (``admin.services.case_reads``) come from the PostgreSQL read model,
which also serves cases whose workflows have ended.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
from pydantic import ValidationError
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from admin.services.case_reads import CaseReader
from admin.services.documents import DocumentService
from admin.services.users import UserService
from domain import DomainError, ErrorCode, OpenCase, Role, User, decide, decide_open, rules
from domain.commands import COMMAND_TYPES
from domain.deadlines import DeadlinePolicy, business_date
from domain.decide import check_may_issue, event_id
from domain.errors import conflict, forbidden, from_validation, invalid, not_found
from domain.messages import render
from domain.state import CaseState
from domain.views import CaseView, case_view
from runtime.metrics import COMMANDS
from store import cases, organisers, register_read, requests
from store.requests import RequestBinding
from workflows.case import InspectionCaseWorkflow
from workflows.models import (
    HANDING_OVER,
    CaseWorkflowInput,
    CommandRequest,
    OpenCaseRequest,
    ViewRequest,
    case_workflow_id,
)
from workflows.requests import update_id

_CASE_NAMESPACE = uuid.UUID("3d1f0a52-9c1e-4b7a-8f3e-2b6c4d5e7f80")
COMMAND_TIMEOUT = 30.0


class Unavailable(Exception):
    """A part of the system did not answer in time; the same request can be sent again.

    ``key`` names its message in ``domain.messages`` (the edge tells it in the caller's language).
    """

    def __init__(self, key: str = "refused.unavailable") -> None:
        self.key = key
        super().__init__(render(key, None, "en"))


def case_id_for(request_id: str) -> str:
    """The id of the case a create request opens: the same request id always names the same case."""
    return str(uuid.uuid5(_CASE_NAMESPACE, request_id))


def _today() -> Any:
    return business_date(datetime.now(UTC))


class CaseService(CaseReader):
    """Open cases and run commands on them; read them (``CaseReader``)."""

    def __init__(
        self, pool: asyncpg.Pool, client: Client, task_queue: str, policy: DeadlinePolicy | None = None
    ) -> None:
        super().__init__(pool)
        self.client = client
        self.task_queue = task_queue
        self.policy = policy or DeadlinePolicy()
        """Reminder offsets and overdue interval given to every case opened here."""

    async def open_case(self, user: User, body: dict[str, Any]) -> tuple[CaseView, bool]:
        """Open a case; the view and whether it is new (a retried request answers with the same case)."""
        if not user.has(Role.INSPECTOR):
            raise forbidden("role.missing", command="open-case", roles=[Role.INSPECTOR], user=user.username)
        _storable(body)
        try:
            command = OpenCase.model_validate({**body, "command": "open-case"})
        except ValidationError as error:  # every wrong field at once
            raise from_validation(error.errors()) from None
        case_id = case_id_for(command.request_id)
        await self._bind(command.request_id, case_id, "open-case", user)
        existing = await cases.get(self.pool, case_id)
        if existing is not None:
            if not _opened_as(existing, command):  # the same request id, another case's content
                raise conflict("request_id", "request.reused")
            return case_view(existing, user), False
        if await organisers.get(self.pool, command.organiser_id.strip()) is None:
            raise invalid("organiser_id", "organiser.unknown", value=command.organiser_id)
        holder = await cases.case_id_of_dnr(self.pool, command.dnr)
        decide_open(case_id, command, user, _today(), dnr_taken=holder is not None)
        # One call starts the case's workflow with the "opened" Update in its first workflow task: the open
        # is recorded and answered in one round trip (a retry of a running case joins it: USE_EXISTING).
        start = WithStartWorkflowOperation(
            InspectionCaseWorkflow.run,
            CaseWorkflowInput(case_id=case_id, open=OpenCaseRequest(user=user, command=command), policy=self.policy),
            id=case_workflow_id(case_id),
            task_queue=self.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        try:
            view = await self._bounded(
                self.client.execute_update_with_start_workflow(
                    InspectionCaseWorkflow.opened, ViewRequest(user=user), start_workflow_operation=start
                )
            )
        except WorkflowAlreadyStartedError:  # it ran and ended: the read model knows how
            state = await cases.get(self.pool, case_id)
            if state is None:
                raise conflict("dnr", "case.dnr_taken", dnr=command.dnr) from None
            return case_view(state, user), False
        except WorkflowUpdateFailedError as error:
            raise _refusal(error, command.dnr) from None
        return view, True

    async def command(self, user: User, case_id: str, name: str, body: dict[str, Any]) -> CaseView:
        """Run command ``name`` on the case as ``user``; the case view once the change is durable."""
        label = name if name in COMMAND_TYPES else "unknown"
        try:
            view = await self._command(user, case_id, name, body)
        except DomainError as error:
            COMMANDS.labels(label, f"refused_{error.code.value}").inc()
            raise
        COMMANDS.labels(label, "accepted").inc()
        if view.responsible is None:  # a case whose run began before cases had one: the read model knows
            state = await cases.get(self.pool, case_id)
            view = view.model_copy(update={"responsible": state.responsible if state else None})
        return view

    async def _command(self, user: User, case_id: str, name: str, body: dict[str, Any]) -> CaseView:
        state = await self._readable(user, case_id, records=False)
        if name not in COMMAND_TYPES or COMMAND_TYPES[name].role is Role.SYSTEM or name == "open-case":
            raise not_found("command.unknown", "command", name=name)
        _refuse_wrong_person(state, name, user)  # who before what: a wrong role is 403 whatever the body
        _storable(body)
        body = await self._supplied(name, body, case_id)
        try:
            command = COMMAND_TYPES[name].model_validate({**body, "command": name})
        except ValidationError as error:  # all field errors at once
            raise from_validation(error.errors()) from None
        # the documents an account names must be in the case's store (only the store can tell)
        await DocumentService(self.pool).check_attachments(user, case_id, getattr(command, "attachments", ()))
        await self._bind(command.request_id, case_id, name, user)
        handle = self.client.get_workflow_handle(case_workflow_id(case_id))
        request = CommandRequest(user=user, command=command)  # type: ignore[arg-type]
        for attempt in range(8):
            try:
                return await self._bounded(
                    handle.execute_update(name, request, result_type=CaseView, id=update_id(request))
                )
            except WorkflowUpdateFailedError as error:
                if isinstance(error.cause, ApplicationError) and error.cause.type == HANDING_OVER:
                    if attempt < 7:  # the case's run hands over to the next; nothing was recorded
                        await asyncio.sleep(0.02 * 2 ** min(attempt, 4))
                        continue
                    raise Unavailable("unavailable.handing_over") from None
                refused = _refusal(error)
                # A retry older than the workflow's window of request ids, which the rules now refuse: the
                # store knows it was carried out, so it is answered (with the case as it is now). A request
                # id the workflow knows was used for another command or user stays a conflict.
                reused = refused.code is ErrorCode.CONFLICT and refused.field == "request_id"
                if not reused and await cases.event_recorded(self.pool, event_id(case_id, command.request_id, 0)):
                    return case_view(await self._readable(user, case_id, records=False), user)
                raise refused from None
            except RPCError as error:
                if error.status == RPCStatusCode.RESOURCE_EXHAUSTED and attempt < 4:
                    await asyncio.sleep(0.2 * 2**attempt)  # too many updates in flight: back off
                    continue
                if error.status == RPCStatusCode.NOT_FOUND:  # the workflow has ended (closed or referred)
                    return await self._after_the_end(user, state, command)
                raise
        raise Unavailable("unavailable.busy")

    async def _supplied(self, name: str, body: dict[str, Any], case_id: str) -> dict[str, Any]:
        """The body with the fields only the service may fill in (``CommandBase.supplied``), a client's replaced."""
        if "entries" in COMMAND_TYPES[name].supplied:  # mark-secrecy: the case's register entries
            return {**body, "entries": await register_read.numbers(self.pool, case_id)}
        for roles_field, name_field in COMMAND_TYPES[name].supplied.items():
            who = body.get(name_field)
            named = isinstance(who, str) and bool(who.strip())
            target = await UserService(self.pool).active_user(str(who).strip()) if named else None
            if named and target is None:
                raise invalid(name_field, "assign.unknown_user", user=who)
            body = {**body, roles_field: sorted(target.roles) if target else []}
        return body

    async def _bind(self, request_id: str, case_id: str, command: str, user: User) -> None:
        """Bind the request id to this case, command and user; 422 when too long, 409 when bound to another."""
        rules.request_id(request_id)
        wanted = RequestBinding(request_id=request_id, case_id=case_id, command=command, username=user.username)
        if await requests.bind(self.pool, wanted) != wanted:
            raise conflict("request_id", "request.reused")

    async def _after_the_end(self, user: User, state: CaseState, command: Any) -> CaseView:
        """A command on a case whose workflow has ended: a retry gets the answer, anything else a refusal."""
        if await cases.event_recorded(self.pool, event_id(state.case_id, command.request_id, 0)):
            return case_view(state, user)
        decide(state, command, user, _today())  # raises the refusal the rules give (invalid_state)
        raise DomainError(ErrorCode.INVALID_STATE, "case.ended", None, {"dnr": state.dnr, "state": state.status})

    async def _bounded(self, call: Any) -> Any:
        try:
            return await asyncio.wait_for(call, COMMAND_TIMEOUT)
        except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError):
            raise Unavailable("unavailable.timeout") from None


def _opened_as(state: CaseState, command: OpenCase) -> bool:
    """Whether the case was opened with what ``command`` asks (a retry), as far as the read model tells."""
    areas = tuple((a.code, a.title) for a in state.areas)
    return (state.dnr, state.organiser_id, state.title, state.opened_on, areas) == (
        command.dnr.strip(),
        command.organiser_id.strip(),
        command.title.strip(),
        command.opened_on,
        tuple((a.code, a.title.strip()) for a in command.areas),
    )


def _storable(value: Any, field: str = "") -> None:
    """Refuse text PostgreSQL cannot store (NUL, lone surrogates) before it reaches the workflow,
    whose audit activity could never record it (the case would wait on it for ever)."""
    if isinstance(value, str):
        if "\x00" in value or _unencodable(value):
            raise invalid(field or "body", "body.unstorable")
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key, field or "body")
            _storable(item, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _storable(item, f"{field}[{index}]")


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _refuse_wrong_person(state: CaseState, name: str, user: User) -> None:
    """Refuse, before the body is read, a caller the rules refuse as a person (role, organiser, drafter).

    The state checks stay with the workflow: it answers a retry of a command that has moved the case on.
    """
    try:
        check_may_issue(state, name, user)
    except DomainError as error:
        if error.code is ErrorCode.FORBIDDEN:
            raise


def _refusal(error: WorkflowUpdateFailedError, dnr: str | None = None) -> DomainError:
    """The domain's refusal the workflow sent back (code, field, message key and parameters)."""
    cause = error.cause
    while cause is not None and not isinstance(cause, ApplicationError):
        cause = cause.cause
    if isinstance(cause, ApplicationError):
        if cause.type == "DuplicateDnr":
            return conflict("dnr", "case.dnr_taken", dnr=dnr)
        if cause.details and isinstance(cause.details[0], dict):
            return DomainError.from_detail(cause.details[0])
    return DomainError(ErrorCode.INVALID_STATE, "command.not_carried_out")
