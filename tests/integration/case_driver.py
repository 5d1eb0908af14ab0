"""Drive seed cases through the real case workflow, the way the admin tool will."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import asyncpg
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from admin.seeds import SeedCase, SeedStep
from domain import parse_command
from domain.actors import User
from domain.deadlines import TIMEZONE, business_date
from domain.organisers import register
from domain.views import CaseView
from store import organisers, users
from workflows.case import InspectionCaseWorkflow
from workflows.models import CaseWorkflowInput, CommandRequest, OpenCaseRequest, ViewRequest, case_workflow_id


async def today(env: WorkflowEnvironment) -> date:
    """The business date on the test server's clock."""
    return business_date(await env.get_current_time())


async def advance_to(env: WorkflowEnvironment, day: date) -> None:
    """Let the server's time run until the start of ``day`` (plus an hour), firing due timers."""
    current = await env.get_current_time()
    target = business_date(current)
    if day > target:
        until = datetime.combine(day, time(1, 0), TIMEZONE)
        await env.sleep(until - current)


async def open_case(
    env: WorkflowEnvironment, seed: SeedCase, task_queue: str, **input_options: object
) -> tuple[WorkflowHandle[InspectionCaseWorkflow, object], CaseView]:
    """Start the seed's case workflow with its first step (open-case) and wait until it is open."""
    first = seed.steps[0]
    user = seed.users[first.username]
    handle = await env.client.start_workflow(
        InspectionCaseWorkflow.run,
        CaseWorkflowInput(
            case_id=seed.case_id,
            open=OpenCaseRequest(user=user, command=parse_command(first.command, first.payload)),
            **input_options,
        ),  # type: ignore[arg-type]
        id=case_workflow_id(seed.case_id),
        task_queue=task_queue,
    )
    view = await handle.execute_update(InspectionCaseWorkflow.opened, ViewRequest(user=user))
    return handle, view


async def send(handle: WorkflowHandle, seed: SeedCase, step: SeedStep) -> CaseView:  # type: ignore[type-arg]
    """Send one step's command as its Update (update id = request id)."""
    request = CommandRequest(user=seed.users[step.username], command=parse_command(step.command, step.payload))
    return await handle.execute_update(step.command, request, result_type=CaseView, id=step.payload["request_id"])


async def drive(env: WorkflowEnvironment, handle: WorkflowHandle, seed: SeedCase, steps: int | None = None) -> CaseView:  # type: ignore[type-arg]
    """Issue the seed's steps after open-case, each on its business day; return the last view."""
    view: CaseView | None = None
    for step in seed.steps[1:steps]:
        await advance_to(env, step.on)
        view = await send(handle, seed, step)
    assert view is not None
    return view


def step_by_command(seed: SeedCase, command: str) -> SeedStep:
    """The seed's step that issues ``command``."""
    return next(s for s in seed.steps if s.command == command)


async def register_people(pool: asyncpg.Pool, seed: SeedCase, extra: Iterable[User] = ()) -> None:
    """Register the seed's organiser and people (and ``extra`` users) in the store, once.

    The store records an event only for an actor its users table vouches for (``store.actors``).
    Their passwords are never used here: these accounts do not log in.
    """
    people = [*seed.users.values(), *extra]
    organisers_of = {u.organiser_id for u in people if u.organiser_id} - {seed.organiser_id}
    await organisers.save(pool, register(seed.organiser_id, seed.organiser_name, seed.organiser_email))
    for organiser_id in sorted(organisers_of):
        await organisers.save(pool, register(organiser_id, f"Huvudman {organiser_id}", "test@example.org"))
    for user in people:
        if await users.get(pool, user.username) is None:
            roles = sorted(r.value for r in user.roles)
            await users.create(pool, user.username, "!not-a-password-hash", roles, user.organiser_id, None)


async def record_history(env: WorkflowEnvironment, workflow_id: str, name: str, run_id: str | None = None) -> None:
    """With RECORD_HISTORIES=1, save the workflow's history (its latest run by default) as a golden file."""
    if os.environ.get("RECORD_HISTORIES") != "1":
        return
    history = await env.client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
    path = Path(__file__).parent.parent / "histories" / f"{name}.json"
    path.write_text(json.dumps({"workflow_id": workflow_id, "history": history.to_json_dict()}, indent=1))


__all__ = [
    "advance_to",
    "drive",
    "open_case",
    "record_history",
    "register_people",
    "send",
    "step_by_command",
    "today",
    "timedelta",
]
