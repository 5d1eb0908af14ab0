"""The workflow of one case, for its whole life: review, decision, rounds, closure or referral.

People act through Updates (``workflows/commands.py``). Each Update's validator runs the
domain's rules, so a refused command is rejected before anything enters the history. The
handler decides again under a lock (another command may have won the race), records the
events through the audit-store activity and answers with the case view as soon as they are
durable. The round's deadline is a clock inside this workflow (``workflows/clock.py``): a
command that moves it answers first, and the timer is re-armed in the same workflow task.

State restored from the previous run (continue-as-new) is in place before any handler runs
(``@workflow.init``); the run carries only the state, a window of recent request ids and
the clock, so what it carries stays bounded. Once a run is due to hand over, its validator
refuses new commands with ``HANDING_OVER`` (nothing recorded; clients send the same request
again) so that the commands in flight finish and the run can continue as new even under a
steady stream of commands. Cases whose round was started by an earlier
release keep that round's child workflow (``workflows/round.py``) until the round ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain import SYSTEM_USER, CaseState, DomainError, ErrorCode, decide, decide_open, evolve
    from domain import events as ev
    from domain.deadlines import Alarm, business_date
    from domain.values import TERMINAL_STATUSES
    from domain.views import CaseView, case_view
    from workflows import clock as deadline
    from workflows.commands import CaseCommandUpdates
    from workflows.documents import with_document
    from workflows.legacy_round import LegacyRound
    from workflows.models import (
        HANDING_OVER,
        AlarmFired,
        CarriedState,
        CaseWorkflowInput,
        CommandRequest,
        OpenCaseRequest,
        ViewRequest,
    )
    from workflows.recording import (
        ACTIVITY_FAILURES,
        LOCAL_ACTIVITIES,
        Recorder,
        activity_refusal,
        recorded_otherwise,
        refusal,
    )
    from workflows.requests import RecentRequests, RequestReused, answer_again
    from workflows.supplements import as_taken

CLOCK_IN_CASE = "deadline-clock-in-case"
"""Patch: a round started from this release on keeps its timers here, not in a child workflow."""
OPENER_WAIT = timedelta(minutes=1)
"""How long a case whose open was refused waits for its opener's ``opened`` Update before it ends."""
COMMANDS_PER_RUN = 1000
"""Continue as new after this many commands at the latest (the server allows 2,000 Updates per run)."""


@workflow.defn
class InspectionCaseWorkflow(CaseCommandUpdates):
    """One case (one Dnr). Ends when the case is closed or referred."""

    @workflow.init
    def __init__(self, input: CaseWorkflowInput) -> None:
        self._input = input
        carried = input.carried
        self._state: CaseState | None = carried.state if carried else None
        self._requests = RecentRequests(carried.recent, carried.processed) if carried else RecentRequests()
        self._clock = carried.clock if carried else None
        self._clock_moved = False
        self._legacy = LegacyRound(input, carried.round_child if carried else None)
        self._recorder = Recorder(input.case_id)
        self._open_error: DomainError | ApplicationError | None = None
        self._open_answered = False
        self._lock = asyncio.Lock()
        self._handled = 0
        self._handled_before = carried.handled_before if carried else 0

    @workflow.run
    async def run(self, input: CaseWorkflowInput) -> CaseState | None:
        """Open (or carry on) the case, then serve commands until it ends or continues as new."""
        if input.carried is None and input.open is not None:
            await self._open(input.open)
            if self._open_error is not None and workflow.patched(LOCAL_ACTIVITIES):
                # Refused in the first workflow task (a local activity): stay until the opener's "opened" Update
                # has been told why, or it would get "workflow completed" instead of the reason (e.g. Dnr taken).
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(lambda: self._open_answered, timeout=OPENER_WAIT)
        keeper = asyncio.create_task(self._keep_deadline())
        await workflow.wait_condition(lambda: self._finished() or self._should_continue_as_new())
        # Nothing may be half done: no Update or signal handler running, no alarm being recorded.
        await workflow.wait_condition(lambda: workflow.all_handlers_finished() and not self._lock.locked())
        keeper.cancel()
        if self._finished():
            return self._state
        assert self._state is not None
        carried = CarriedState(
            state=self._state,
            recent=self._requests.carried(),
            round_child=self._legacy.child,
            clock=self._clock,
            handled_before=self._handled_before + self._handled,
        )
        workflow.continue_as_new(input.model_copy(update={"open": None, "carried": carried}))

    @workflow.update(name="opened")
    async def opened(self, request: ViewRequest) -> CaseView:
        """Wait until the case is opened (its first event durable) and answer with its view."""
        await workflow.wait_condition(lambda: self._state is not None or self._open_error is not None)
        if self._state is None:
            self._open_answered = True
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

    @workflow.query(name="next_alarm")
    def next_alarm(self) -> str | None:
        """When the round's next reminder or overdue notice fires (ISO time), for operators and tests."""
        alarm = deadline.next_alarm_of(self._clock, self._input.policy)
        return alarm.fires_at().isoformat() if alarm else None

    @workflow.signal(name="alarm_fired")
    async def alarm_fired(self, fired: AlarmFired) -> None:
        """An alarm of a round child started by an earlier release: record it (stale alarms are refused)."""
        async with self._lock:
            await self._record_alarm(fired.alarm)

    # -- commands (the Updates of workflows/commands.py) --

    def _validate(self, request: CommandRequest) -> None:
        if self._should_continue_as_new() and not self._finished():
            raise ApplicationError(
                "The case is handing over to its next run; send the same request again.",
                {"code": "unavailable", "field": None, "key": "unavailable.handing_over"},
                type=HANDING_OVER,
                non_retryable=True,
            )
        try:
            if self._requests.known(request) is not None:
                return
        except RequestReused:
            raise refusal(DomainError(ErrorCode.CONFLICT, "request.reused", "request_id")) from None
        if self._state is None:
            raise ApplicationError(
                "The case is not open yet.",
                {"code": "not_found", "field": None, "key": "case.not_open"},
                type="DomainError",
            )
        try:
            decide(self._state, request.command, request.user, self._today())
        except DomainError as error:
            raise refusal(error) from None

    async def _handle(self, request: CommandRequest) -> CaseView:
        async with self._lock:
            assert self._state is not None
            try:
                known = self._requests.known(request)
            except RequestReused:
                raise refusal(DomainError(ErrorCode.CONFLICT, "request.reused", "request_id")) from None
            if known is not None:
                return answer_again(known, self._state)
            try:
                events = decide(self._state, as_taken(request.command), request.user, self._today())
            except DomainError as error:
                raise refusal(error) from None
            # a signed decision is made a sealed PDF first, so that its event names the document
            events = await with_document(
                self._input.case_id, self._state.version, request.command.request_id, request.user, events
            )
            try:
                applied = await self._apply(events)
            except ACTIVITY_FAILURES as error:
                if not recorded_otherwise(error):
                    raise
                applied = False
            if not applied:
                # Carried out long ago (a retry older than the window): nothing recorded or applied twice;
                # the answer is the case as it is now (the admin service answers so from the store too).
                return case_view(self._state, request.user)
            view = case_view(self._state, request.user)
            self._requests.remember(request, view)
            self._handled += 1
            return view

    async def _open(self, request: OpenCaseRequest) -> None:
        async with self._lock:
            try:
                events = decide_open(self._input.case_id, request.command, request.user, self._today())
                await self._apply(events)
            except DomainError as error:
                self._open_error = error
            except ACTIVITY_FAILURES as error:
                self._open_error = activity_refusal(error)

    async def _apply(self, events: list[ev.Event]) -> bool:
        """Record the events, then fold them in and follow the deadline; False when the store already held them."""
        expected = self._state.version if self._state else 0
        if not await self._recorder.record(expected, events):
            return False
        for event in events:
            self._state = evolve(self._state, event)
        for event in events:
            await self._follow(event)
        return True

    async def _follow(self, event: ev.Event) -> None:
        """Keep the deadline in step with the case: the clock here, or the child an earlier release started."""
        if isinstance(event, ev.RoundStarted):
            await self._legacy.end()  # the previous round's child, if there is one
            if not workflow.patched(CLOCK_IN_CASE):  # a run replaying its history from before the clock moved here
                await self._legacy.start(event)
                return
        elif self._legacy.child is not None:
            await self._legacy.follow(event)
            return
        moved = deadline.clock_after(self._clock, event, workflow.now())
        if moved is not self._clock:
            self._clock, self._clock_moved = moved, True

    # -- the deadline clock --

    async def _keep_deadline(self) -> None:
        """Sleep until the clock's next alarm and record it; start over whenever the clock moves."""
        while True:
            self._clock_moved = False
            alarm = deadline.next_alarm_of(self._clock, self._input.policy)
            if alarm is None:
                await workflow.wait_condition(lambda: self._clock_moved)
                continue
            wait = (alarm.fires_at() - workflow.now()).total_seconds()
            if wait > 0:
                try:
                    await workflow.wait_condition(lambda: self._clock_moved, timeout=timedelta(seconds=wait))
                    continue
                except TimeoutError:
                    pass
            async with self._lock:
                # A command may have moved the clock while this alarm waited for the lock.
                if deadline.is_current(self._clock, alarm):
                    assert self._clock is not None
                    self._clock = deadline.fired(self._clock, alarm)
                    await self._record_alarm(alarm)

    async def _record_alarm(self, alarm: Alarm) -> None:
        """Record a reminder or the overdue fact, unless the rules refuse it (stale, already recorded)."""
        if self._state is None or self._state.status in TERMINAL_STATUSES:
            return
        try:
            events = decide(self._state, deadline.alarm_command(alarm), SYSTEM_USER, self._today())
        except DomainError as error:
            workflow.logger.info("alarm not recorded: %s", error.message, extra=self._log_extra())
            return
        try:
            await self._apply(events)
        except ACTIVITY_FAILURES as error:
            # Only a refusal the store will always give ends here (it retries everything else): say so and go
            # on, rather than let the clock's task die silently or the case's workflow fail.
            level = logging.WARNING if recorded_otherwise(error) else logging.ERROR
            workflow.logger.log(
                level, "alarm %s not recorded: %s", alarm.key, activity_refusal(error), extra=self._log_extra()
            )

    # -- the run's life --

    def _today(self) -> date:
        return business_date(workflow.now())

    def _finished(self) -> bool:
        if self._state is None:
            return self._open_error is not None
        return self._state.status in TERMINAL_STATUSES

    def _should_continue_as_new(self) -> bool:
        limit = self._input.continue_as_new_after or COMMANDS_PER_RUN
        return self._handled >= limit or workflow.info().is_continue_as_new_suggested()

    def _log_extra(self) -> dict[str, str]:
        return {"case_id": self._input.case_id}
