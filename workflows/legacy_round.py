"""The round child of earlier releases, as a case workflow follows it until that round ends.

Before the clock moved into the case workflow, every response round had a child workflow
(``ResponseRoundWorkflow``) that kept its timers; the case started it at ``RoundStarted``
and signalled it when the deadline moved. Runs replaying their history from before that
change (``workflow.patched`` returns False for them) and rounds whose child is still alive
keep exactly that sequence of commands, so cases already running go on unchanged.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from domain import events as ev
    from workflows.models import CaseWorkflowInput, DeadlineChange, RoundInput, round_workflow_id
    from workflows.round import ResponseRoundWorkflow


class LegacyRound:
    """The current round's child workflow, when an earlier release (or an old run) started one."""

    def __init__(self, input: CaseWorkflowInput, child: str | None) -> None:
        self.input = input
        self.child = child

    async def start(self, event: ev.RoundStarted) -> None:
        """Start the round's child (the shape of earlier releases)."""
        child_id = round_workflow_id(self.input.case_id, event.round)
        await workflow.start_child_workflow(
            ResponseRoundWorkflow.run,
            RoundInput(
                case_id=self.input.case_id,
                round=event.round,
                response_due=event.response_due,
                parent_workflow_id=workflow.info().workflow_id,
                policy=self.input.policy,
            ),
            id=child_id,
            parent_close_policy=ParentClosePolicy.ABANDON,
        )
        self.child = child_id

    async def end(self) -> None:
        """End the child's round (a new round starts, or the case ends)."""
        await self._signal("end_round", None)
        self.child = None

    async def follow(self, event: ev.Event) -> None:
        """Tell the child what the event means for its deadline."""
        match event:
            case ev.ResponseSubmitted():
                await self._signal("deadline_changed", DeadlineChange(response_due=None))
            case ev.SupplementRequested() | ev.DeadlineExtended():
                await self._signal("deadline_changed", DeadlineChange(response_due=event.response_due))
            case ev.CaseClosed() | ev.CaseReferred():
                await self.end()

    async def _signal(self, signal: str, arg: DeadlineChange | None) -> None:
        if self.child is None:
            return
        handle = workflow.get_external_workflow_handle(self.child)
        try:
            await (handle.signal(signal) if arg is None else handle.signal(signal, arg))
        except Exception as error:  # the round may already be over; the case goes on regardless
            workflow.logger.warning(
                "round %s not signalled: %s", self.child, error, extra={"case_id": self.input.case_id}
            )
