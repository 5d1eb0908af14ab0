"""A supplement request keeps the organiser's approval (issue 17) only in runs that took it in that way.

Until this release a supplement request always started the account afresh (draft and approval gone). A run
whose history was made then replays its requests with that meaning (no patch marker), so the state it
rebuilds is the state its events were recorded with; from this release on (patch
``supplement-keeps-approval``) the command's own ``new_approval_needed`` decides.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.commands.base import CommandBase
    from domain.commands.follow_up import RequestSupplement

SUPPLEMENT_KEEPS_APPROVAL = "supplement-keeps-approval"
"""Patch: a supplement request keeps the approval already given unless it asks for a new one."""


def as_taken(command: CommandBase) -> CommandBase:
    """``command`` as this run takes it: a supplement request in a run from before the patch asks for a new
    approval, as every supplement request did then; anything else unchanged. Call it from a handler only."""
    if isinstance(command, RequestSupplement) and not workflow.patched(SUPPLEMENT_KEEPS_APPROVAL):
        return command.model_copy(update={"new_approval_needed": True})
    return command
