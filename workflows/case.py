"""The workflow of one case, for its whole life: review, decision, rounds, closure or referral.

People act through Updates, one per command of API.md. Each Update's validator runs the
domain's rules, so a refused command is rejected before anything enters the history. The
handler decides again under a lock (another command may have won the race), records the
events through the audit-store activity (durable before the Update returns) and answers
with the case view. Processed request ids are remembered, also across continue-as-new, so
a retried command takes effect once and gets the same answer.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.models import RecordedEvents, RecordEvents
    from domain import SYSTEM_USER, CaseState, DomainError, decide, decide_open, evolve
    from domain import events as ev
    from domain.commands import MarkOverdue, SendReminder
    from domain.deadlines import business_date
    from domain.values import TERMINAL_STATUSES
    from domain.views import CaseView, case_view
    from workflows.commands import CaseCommandUpdates
    from workflows.models import (
        AlarmFired,
        CarriedState,
        CaseWorkflowInput,
        CommandRequest,
        DeadlineChange,
        OpenCaseRequest,
        RoundInput,
        ViewRequest,
        round_workflow_id,
    )
    from workflows.round import ResponseRoundWorkflow

RECORD_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
    non_retryable_error_types=["EventConflict", "DuplicateDnr"],
)


def refusal(error: DomainError) -> ApplicationError:
    """A domain refusal as the error the client receives (code, field, message)."""
    return ApplicationError(
        error.message, {"code": error.code.value, "field": error.field}, type="DomainError", non_retryable=True
    )


@workflow.defn
class InspectionCaseWorkflow(CaseCommandUpdates):
    """One case (one Dnr). Ends when the case is closed or referred."""

    def __init__(self) -> None:
        self._state: CaseState | None = None
        self._open_error: DomainError | ApplicationError | None = None
        self._processed: dict[str, CaseView] = {}
        self._round_child: str | None = None
        self._lock = asyncio.Lock()
        self._handled = 0
        self._input: CaseWorkflowInput | None = None

    @workflow.run
    async def run(self, input: CaseWorkflowInput) -> CaseState | None:
        """Open (or carry on) the case, then serve commands until it ends or continues as new."""
        self._input = input
        if input.carried is not None:
            self._state = input.carried.state
            self._processed = dict(input.carried.processed)
            self._round_child = input.carried.round_child
        elif input.open is not None:
            await self._open(input.open)
        while True:
            await workflow.wait_condition(lambda: self._finished() or self._should_continue_as_new())
            await workflow.wait_condition(workflow.all_handlers_finished)
            if self._finished():
                return self._state
            if self._should_continue_as_new():
                assert self._state is not None
                workflow.continue_as_new(
                    input.model_copy(
                        update={
                            "open": None,
                            "carried": CarriedState(
                                state=self._state, processed=self._processed, round_child=self._round_child
                            ),
                        }
                    )
                )

    @workflow.update(name="opened")
    async def opened(self, request: ViewRequest) -> CaseView:
        """Wait until the case is opened (its first event durable) and answer with its view."""
        await workflow.wait_condition(lambda: self._state is not None or self._open_error is not None)
        if self._state is None:
            error = self._open_error
            raise refusal(error) if isinstance(error, DomainError) else error  # type: ignore[misc]
        return case_view(self._state, request.user)

    @workflow.query(name="state")
    def state(self) -> CaseState | None:
        """The case's state, folded from its events."""
        return self._state

    @workflow.query(name="view")
    def view(self, request: ViewRequest) -> CaseView | None:
        """The case as ``request.user`` sees it."""
        return case_view(self._state, request.user) if self._state else None

    @workflow.signal(name="alarm_fired")
    async def alarm_fired(self, fired: AlarmFired) -> None:
        """The round's timer: record a reminder or the overdue fact (once; stale alarms are ignored)."""
        alarm = fired.alarm
        request_id = f"alarm:{alarm.round}:{alarm.key}"
        if alarm.kind == "overdue":
            command = MarkOverdue(request_id=request_id, round=alarm.round, response_due=alarm.response_due)
        else:
            command = SendReminder(
                request_id=request_id,
                round=alarm.round,
                response_due=alarm.response_due,
                recipient=alarm.recipient,
                days_before_due=alarm.days_before_due,
            )
        async with self._lock:
            if self._state is None:
                return
            try:
                events = decide(self._state, command, SYSTEM_USER, self._today())
            except DomainError as error:
                workflow.logger.info("alarm not recorded: %s", error.message, extra=self._log_extra())
                return
            await self._record(events)

    # -- the machinery the command updates share (see workflows/commands.py) --

    def _validate(self, request: CommandRequest) -> None:
        if request.command.request_id in self._processed:
            return
        if self._state is None:
            raise ApplicationError(
                "The case is not open yet.", {"code": "not_found", "field": None}, type="DomainError"
            )
        try:
            decide(self._state, request.command, request.user, self._today())
        except DomainError as error:
            raise refusal(error) from None

    async def _handle(self, request: CommandRequest) -> CaseView:
        async with self._lock:
            request_id = request.command.request_id
            if request_id in self._processed:
                return self._processed[request_id]
            assert self._state is not None
            try:
                events = decide(self._state, request.command, request.user, self._today())
            except DomainError as error:
                raise refusal(error) from None
            await self._record(events)
            view = case_view(self._state, request.user)
            self._processed[request_id] = view
            self._handled += 1
            return view

    async def _open(self, request: OpenCaseRequest) -> None:
        assert self._input is not None
        async with self._lock:
            try:
                events = decide_open(self._input.case_id, request.command, request.user, self._today())
                await self._record(events)
            except DomainError as error:
                self._open_error = error
            except workflow.ActivityError as error:
                cause = error.cause
                self._open_error = cause if isinstance(cause, ApplicationError) else ApplicationError(str(error))

    async def _record(self, events: list[ev.Event]) -> None:
        """Make the events durable in the audit store, then apply them and follow the round."""
        assert self._input is not None
        expected = self._state.version if self._state else 0
        await workflow.execute_activity(
            "record_events",
            RecordEvents(case_id=self._input.case_id, expected_seq=expected, events=events),
            result_type=RecordedEvents,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RECORD_RETRY,
        )
        for event in events:
            self._state = evolve(self._state, event)
        for event in events:
            await self._follow_round(event)

    async def _follow_round(self, event: ev.Event) -> None:
        """Keep the round's deadline child in step with the case."""
        assert self._input is not None
        match event:
            case ev.RoundStarted():
                await self._signal_round("end_round", None)
                child_id = round_workflow_id(self._input.case_id, event.round)
                await workflow.start_child_workflow(
                    ResponseRoundWorkflow.run,
                    RoundInput(
                        case_id=self._input.case_id,
                        round=event.round,
                        response_due=event.response_due,
                        parent_workflow_id=workflow.info().workflow_id,
                        policy=self._input.policy,
                    ),
                    id=child_id,
                    parent_close_policy=ParentClosePolicy.ABANDON,
                )
                self._round_child = child_id
            case ev.ResponseSubmitted():
                await self._signal_round("deadline_changed", DeadlineChange(response_due=None))
            case ev.SupplementRequested() | ev.DeadlineExtended():
                await self._signal_round("deadline_changed", DeadlineChange(response_due=event.response_due))
            case ev.CaseClosed() | ev.CaseReferred():
                await self._signal_round("end_round", None)
                self._round_child = None

    async def _signal_round(self, signal: str, arg: DeadlineChange | None) -> None:
        if self._round_child is None:
            return
        handle = workflow.get_external_workflow_handle(self._round_child)
        try:
            await (handle.signal(signal) if arg is None else handle.signal(signal, arg))
        except Exception as error:  # the round may already be over; the case goes on regardless
            workflow.logger.warning("round %s not signalled: %s", self._round_child, error, extra=self._log_extra())

    def _today(self) -> date:
        return business_date(workflow.now())

    def _finished(self) -> bool:
        if self._state is None:
            return self._open_error is not None
        return self._state.status in TERMINAL_STATUSES

    def _should_continue_as_new(self) -> bool:
        assert self._input is not None
        limit = self._input.continue_as_new_after
        if limit is not None and self._handled >= limit:
            return True
        return workflow.info().is_continue_as_new_suggested()

    def _log_extra(self) -> dict[str, str]:
        return {"case_id": self._input.case_id if self._input else ""}
