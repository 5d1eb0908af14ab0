"""The case lifecycle on Temporal's time-skipping server with the real audit store."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase, shifted
from domain.deadlines import TIMEZONE
from store.events import EventStore
from tests.integration.case_driver import (
    advance_to,
    drive,
    open_case,
    record_history,
    register_people,
    send,
    step_by_command,
    today,
)
from tests.integration.store_support import open_store
from worker import build_worker
from workflows.models import round_workflow_id


@pytest.fixture
async def store(pg_urls) -> AsyncIterator[EventStore]:  # type: ignore[no-untyped-def]
    async with open_store(pg_urls) as opened:
        yield opened


@pytest.fixture
async def task_queue(time_skipping_env: WorkflowEnvironment, store: EventStore) -> AsyncIterator[str]:
    queue = f"cases-{uuid.uuid4().hex[:8]}"
    async with build_worker(time_skipping_env.client, store.pool, queue):
        yield queue


async def fresh(env: WorkflowEnvironment, seed: SeedCase, store: EventStore) -> SeedCase:
    """The seed moved to open today, under a new case id and Dnr, its people registered in the store."""
    tag = uuid.uuid4().hex[:8]
    await register_people(store.pool, seed)
    return shifted(seed, await today(env), case_id=f"{seed.case_id}-{tag}", dnr=f"T:{tag}")


async def event_types(store: EventStore, case_id: str) -> list[str]:
    return [e.type for e in await store.read(case_id)]


async def test_ludvika_end_to_end(time_skipping_env: WorkflowEnvironment, store: EventStore, task_queue: str) -> None:
    seed = await fresh(time_skipping_env, LUDVIKA, store)
    handle, view = await open_case(time_skipping_env, seed, task_queue)
    assert view.state == "under_review"
    final = await drive(time_skipping_env, handle, seed)
    assert final.state == "closed"
    assert all(a.status == "in_line" for a in final.areas)
    events = await store.read(seed.case_id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.type for e in events] == [
        "CaseOpened",
        "DecisionDrafted",
        "DecisionSigned",
        "RoundStarted",
        "ReminderSent",
        "ResponseDrafted",
        "ResponseApproved",
        "ReminderSent",
        "ResponseSubmitted",
        "FollowUpDrafted",
        "FollowUpSigned",
        "CaseClosed",
    ]
    due = step_by_command(seed, "draft-decision").payload["response_due"]
    reminders = [e for e in events if e.type == "ReminderSent"]
    assert [(r.data["recipient"], r.data["days_before_due"], r.data["response_due"]) for r in reminders] == [
        ("organiser", 30, due),
        ("organiser", 7, due),
    ]
    assert all(r.actor.username == "system" for r in reminders)
    assert not [e for e in events if e.type == "ResponseOverdue"]
    signed = next(e for e in events if e.type == "DecisionSigned")
    assert (signed.actor.username, signed.data["drafted_by"]) == ("malin.jern", "marta.rivelis")
    assert await handle.result() is not None
    await record_history(time_skipping_env, handle.id, "ludvika-case-local")


async def test_trelleborg_round_two_for_area_two_only(
    time_skipping_env: WorkflowEnvironment, store: EventStore, task_queue: str
) -> None:
    seed = await fresh(time_skipping_env, TRELLEBORG, store)
    handle, _ = await open_case(time_skipping_env, seed, task_queue)
    view = await drive(time_skipping_env, handle, seed)
    assert (view.state, view.round) == ("awaiting_response", 2)
    assert {a.code: a.status for a in view.areas} == {"analys": "in_line", "kompensatoriskt": "open"}
    events = await store.read(seed.case_id)
    started = [e for e in events if e.type == "RoundStarted"]
    assert [(e.data["round"], e.data["areas"]) for e in started] == [
        (1, ["analys", "kompensatoriskt"]),
        (2, ["kompensatoriskt"]),
    ]
    approved = next(e for e in events if e.type == "ResponseApproved")
    assert (approved.data["body"], approved.data["paragraph"]) == ("Bildningsnämnden", "§ 122")
    # The rounds' deadlines are kept by the case workflow itself: no child workflow, round 2's reminder armed.
    with pytest.raises(RPCError, match="not found"):
        await time_skipping_env.client.get_workflow_handle(round_workflow_id(seed.case_id, 1)).describe()
    due = date.fromisoformat(started[1].data["response_due"])
    reminder = datetime.combine(due - timedelta(days=30), time(0, 0), TIMEZONE)
    assert await handle.query("next_alarm") == reminder.isoformat()
    await record_history(time_skipping_env, handle.id, "trelleborg-case-local")


async def test_overdue_is_recorded_once_and_the_inspectorate_reminded(
    time_skipping_env: WorkflowEnvironment, store: EventStore, task_queue: str
) -> None:
    seed = await fresh(time_skipping_env, LUDVIKA, store)
    handle, _ = await open_case(time_skipping_env, seed, task_queue)
    await drive(time_skipping_env, handle, seed, steps=3)  # decision signed, nothing more
    due = step_by_command(seed, "draft-decision").payload["response_due"]
    await advance_to(time_skipping_env, date.fromisoformat(due) + timedelta(days=75))
    await asyncio.sleep(0.5)
    events = await store.read(seed.case_id)
    assert [e.type for e in events].count("ResponseOverdue") == 1
    inspectorate = [
        e.data["days_before_due"] for e in events if e.type == "ReminderSent" and e.data["recipient"] == "inspectorate"
    ]
    assert inspectorate == [-31, -61]
    view = await handle.query("view", {"user": seed.users["marta.rivelis"].model_dump(mode="json")})
    assert view["state"] == "awaiting_response" and view["overdue"] is True


async def refused(coro) -> ApplicationError:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkflowUpdateFailedError) as info:
        await coro
    cause = info.value.cause
    assert isinstance(cause, ApplicationError)
    return cause


async def test_a_retried_request_takes_effect_once(
    time_skipping_env: WorkflowEnvironment, store: EventStore, task_queue: str
) -> None:
    seed = await fresh(time_skipping_env, LUDVIKA, store)
    handle, _ = await open_case(time_skipping_env, seed, task_queue, continue_as_new_after=1)
    first = await drive(time_skipping_env, handle, seed, steps=2)
    draft = step_by_command(seed, "draft-decision")
    await asyncio.sleep(1)  # the workflow continues as new after one command
    again = await send(handle, seed, draft)
    assert again == first
    assert (await event_types(store, seed.case_id)).count("DecisionDrafted") == 1


async def test_two_signers_racing_sign_once(
    time_skipping_env: WorkflowEnvironment, store: EventStore, task_queue: str
) -> None:
    seed = await fresh(time_skipping_env, LUDVIKA, store)
    from domain import Role, User

    other = User(username="other.signer", roles=frozenset({Role.DECISION_MAKER}))
    seed = seed.model_copy(update={"users": {**seed.users, other.username: other}})
    await register_people(store.pool, seed)
    handle, _ = await open_case(time_skipping_env, seed, task_queue)
    await drive(time_skipping_env, handle, seed, steps=2)
    sign = step_by_command(seed, "sign-decision")
    await advance_to(time_skipping_env, sign.on)
    rival = sign.model_copy(
        update={"username": other.username, "payload": {**sign.payload, "request_id": "rival-sign"}}
    )
    results = await asyncio.gather(send(handle, seed, sign), send(handle, seed, rival), return_exceptions=True)
    assert sum(1 for r in results if not isinstance(r, BaseException)) == 1
    assert (await event_types(store, seed.case_id)).count("DecisionSigned") == 1


async def test_an_extended_deadline_moves_the_reminders_and_the_overdue_date(
    time_skipping_env: WorkflowEnvironment, store: EventStore, task_queue: str
) -> None:
    from admin.seeds import SeedStep

    seed = await fresh(time_skipping_env, LUDVIKA, store)
    handle, _ = await open_case(time_skipping_env, seed, task_queue)
    await drive(time_skipping_env, handle, seed, steps=3)  # signed: round 1 runs
    due = date.fromisoformat(step_by_command(seed, "draft-decision").payload["response_due"])
    await advance_to(time_skipping_env, due - timedelta(days=10))  # the 30-day reminder has gone out
    new_due = due + timedelta(days=60)
    extend = SeedStep(
        on=due - timedelta(days=10),
        username="marta.rivelis",
        command="extend-deadline",
        payload={
            "request_id": f"{seed.case_id}:extend",
            "response_due": new_due.isoformat(),
            "reason": "Nämnden sammanträder först i februari.",
        },
    )
    view = await send(handle, seed, extend)
    assert view.response_due == new_due
    await advance_to(time_skipping_env, due + timedelta(days=5))  # the old due date passes quietly
    assert "ResponseOverdue" not in await event_types(store, seed.case_id)
    await advance_to(time_skipping_env, new_due + timedelta(days=2))
    events = await store.read(seed.case_id)
    reminders = [(e.data["response_due"], e.data["days_before_due"]) for e in events if e.type == "ReminderSent"]
    assert reminders == [(due.isoformat(), 30), (new_due.isoformat(), 30), (new_due.isoformat(), 7)]
    overdue = [e for e in events if e.type == "ResponseOverdue"]
    assert [e.data["response_due"] for e in overdue] == [new_due.isoformat()]
