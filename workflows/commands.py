"""The command Updates of a case's workflow: one Update per command of API.md.

Each takes a :class:`~workflows.models.CommandRequest` (the user and the typed command) and
answers with the case view. The validator refuses a bad command before anything enters the
workflow history; the handler records the events. Both delegate to the case workflow's
``_validate`` and ``_handle`` so every command follows exactly the same path.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.views import CaseView
    from workflows.models import CommandRequest


class CaseCommandUpdates:
    """Mixin of :class:`~workflows.case.InspectionCaseWorkflow`: the Updates people send."""

    def _validate(self, request: CommandRequest, name: str) -> None:
        raise NotImplementedError

    async def _handle(self, request: CommandRequest, name: str) -> CaseView:
        raise NotImplementedError

    @workflow.update(name="draft-decision")
    async def draft_decision(self, request: CommandRequest) -> CaseView:
        """The draft-decision command."""
        return await self._handle(request, "draft-decision")

    @draft_decision.validator
    def _validate_draft_decision(self, request: CommandRequest) -> None:
        self._validate(request, "draft-decision")

    @workflow.update(name="sign-decision")
    async def sign_decision(self, request: CommandRequest) -> CaseView:
        """The sign-decision command."""
        return await self._handle(request, "sign-decision")

    @sign_decision.validator
    def _validate_sign_decision(self, request: CommandRequest) -> None:
        self._validate(request, "sign-decision")

    @workflow.update(name="reject-draft")
    async def reject_draft(self, request: CommandRequest) -> CaseView:
        """The reject-draft command."""
        return await self._handle(request, "reject-draft")

    @reject_draft.validator
    def _validate_reject_draft(self, request: CommandRequest) -> None:
        self._validate(request, "reject-draft")

    @workflow.update(name="draft-response")
    async def draft_response(self, request: CommandRequest) -> CaseView:
        """The draft-response command."""
        return await self._handle(request, "draft-response")

    @draft_response.validator
    def _validate_draft_response(self, request: CommandRequest) -> None:
        self._validate(request, "draft-response")

    @workflow.update(name="approve-response")
    async def approve_response(self, request: CommandRequest) -> CaseView:
        """The approve-response command."""
        return await self._handle(request, "approve-response")

    @approve_response.validator
    def _validate_approve_response(self, request: CommandRequest) -> None:
        self._validate(request, "approve-response")

    @workflow.update(name="submit-response")
    async def submit_response(self, request: CommandRequest) -> CaseView:
        """The submit-response command."""
        return await self._handle(request, "submit-response")

    @submit_response.validator
    def _validate_submit_response(self, request: CommandRequest) -> None:
        self._validate(request, "submit-response")

    @workflow.update(name="request-supplement")
    async def request_supplement(self, request: CommandRequest) -> CaseView:
        """The request-supplement command."""
        return await self._handle(request, "request-supplement")

    @request_supplement.validator
    def _validate_request_supplement(self, request: CommandRequest) -> None:
        self._validate(request, "request-supplement")

    @workflow.update(name="extend-deadline")
    async def extend_deadline(self, request: CommandRequest) -> CaseView:
        """The extend-deadline command."""
        return await self._handle(request, "extend-deadline")

    @extend_deadline.validator
    def _validate_extend_deadline(self, request: CommandRequest) -> None:
        self._validate(request, "extend-deadline")

    @workflow.update(name="draft-follow-up")
    async def draft_follow_up(self, request: CommandRequest) -> CaseView:
        """The draft-follow-up command."""
        return await self._handle(request, "draft-follow-up")

    @draft_follow_up.validator
    def _validate_draft_follow_up(self, request: CommandRequest) -> None:
        self._validate(request, "draft-follow-up")

    @workflow.update(name="sign-follow-up")
    async def sign_follow_up(self, request: CommandRequest) -> CaseView:
        """The sign-follow-up command."""
        return await self._handle(request, "sign-follow-up")

    @sign_follow_up.validator
    def _validate_sign_follow_up(self, request: CommandRequest) -> None:
        self._validate(request, "sign-follow-up")

    @workflow.update(name="refer-to-supervision")
    async def refer_to_supervision(self, request: CommandRequest) -> CaseView:
        """The refer-to-supervision command."""
        return await self._handle(request, "refer-to-supervision")

    @refer_to_supervision.validator
    def _validate_refer_to_supervision(self, request: CommandRequest) -> None:
        self._validate(request, "refer-to-supervision")
