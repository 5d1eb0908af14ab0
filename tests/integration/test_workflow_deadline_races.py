"""Commands and deadline timers racing, on Temporal's time-skipping server with the real audit store.

The case keeps its round's clock itself and continues as new after every command, so each
alarm falls due while commands arrive and runs hand over. Every reminder and the overdue
notice must be recorded exactly once — none lost, none doubled — and those of a superseded
due date not at all. The round child of earlier releases continues as new and keeps its alarms.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from admin.seeds import LUDVIKA, SeedStep, shifted
from domain.deadlines import TIMEZONE, Alarm
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
from workflows.models import AlarmFired, DeadlineChange, RoundInput
from workflows.round import ResponseRoundWorkflow


@pytest.fixture
async def store(pg_urls) -> AsyncIterator[EventStore]:  # type: ignore[no-untyped-def]
    async with open_store(pg_urls) as opened:
        yield opened


async def runs_of(handle: WorkflowHandle) -> list[WorkflowHistory]:  # type: ignore[type-arg]
    """The histories of the workflow's runs, newest first (following continue-as-new back to the first)."""
    runs, run_id = [], (await handle.describe()).run_id
    while run_id:
        runs.append(await handle._client.get_workflow_handle(handle.id, run_id=run_id).fetch_history())
        run_id = runs[-1].events[0].workflow_execution_started_event_attributes.continued_execution_run_id
    return runs


def kinds(history: WorkflowHistory) -> set[str]:
    """The kinds of event in a history (``timer_fired``, ``activity_task_completed``, …)."""
    return {e.WhichOneof("attributes").removesuffix("_event_attributes") for e in history.events}


async def test_alarms_racing_commands_and_hand_overs_are_recorded_exactly_once(
    time_skipping_env: WorkflowEnvironment, store: EventStore
) -> None:
    env = time_skipping_env
    tag = uuid.uuid4().hex[:8]
    seed = shifted(LUDVIKA, await today(env), case_id=f"race-{tag}", dnr=f"R:{tag}")
    await register_people(store.pool, seed)
    queue = f"race-{tag}"
    draft = step_by_command(seed, "draft-response")
    sent = 0

    async def racing(day: date, command: SeedStep | None = None) -> None:
        """Let time run to 01:00 on ``day`` while a command is in flight (a draft of the account by default)."""
        nonlocal sent
        sent += 1
        step = command or draft.model_copy(
            update={"payload": {**draft.payload, "request_id": f"{seed.case_id}:draft:{sent}"}}
        )
        until = datetime.combine(day, time(1, 0), TIMEZONE)
        await asyncio.gather(env.sleep(until - await env.get_current_time()), send(handle, seed, step))

    async def walk(first: date, last: date) -> None:
        await advance_to(env, first - timedelta(days=1))
        day = first
        while day <= last:
            await racing(day)
            day += timedelta(days=1)

    async with build_worker(env.client, store.pool, queue):
        handle, _ = await open_case(env, seed, queue, continue_as_new_after=1)
        await drive(env, handle, seed, steps=3)  # signed: round 1 runs
        due = date.fromisoformat(step_by_command(seed, "draft-decision").payload["response_due"])
        new_due = due + timedelta(days=20)
        await walk(due - timedelta(days=32), due - timedelta(days=28))  # the 30-day reminder of `due`
        extend = SeedStep(
            on=due - timedelta(days=12),
            username="marta.rivelis",
            command="extend-deadline",
            payload={"request_id": f"{seed.case_id}:extend", "response_due": new_due.isoformat(), "reason": "Skäl."},
        )
        await advance_to(env, due - timedelta(days=13))
        await racing(due - timedelta(days=12), extend)  # `due`'s 7-day reminder is now superseded
        await walk(new_due - timedelta(days=31), new_due - timedelta(days=29))  # new_due's 30-day reminder
        await walk(new_due - timedelta(days=9), new_due - timedelta(days=5))  # its 7-day reminder
        await walk(new_due - timedelta(days=1), new_due + timedelta(days=3))  # overdue
        await walk(new_due + timedelta(days=29), new_due + timedelta(days=33))  # the inspectorate reminded
        expected = [
            ("ReminderSent", due, "organiser", 30),
            ("ReminderSent", new_due, "organiser", 30),
            ("ReminderSent", new_due, "organiser", 7),
            ("ResponseOverdue", new_due, None, None),
            ("ReminderSent", new_due, "inspectorate", -31),
        ]
        for _ in range(100):  # the last alarm is recorded by the workflow on its own: wait for it
            events = await store.read(seed.case_id)
            timed = [
                (
                    e.type,
                    date.fromisoformat(e.data["response_due"]),
                    e.data.get("recipient"),
                    e.data.get("days_before_due"),
                )
                for e in events
                if e.type in ("ReminderSent", "ResponseOverdue")
            ]
            if len(timed) >= len(expected):
                break
            await asyncio.sleep(0.1)
        assert timed == expected
        assert [e.type for e in events].count("ResponseDrafted") == sent - 1
        runs = await runs_of(handle)
        assert len(runs) > sent  # every command handed over to a new run
        # A golden history of this shape: a run that carried the window and the clock, took a command and an alarm.
        busy = next(r for r in runs if {"timer_fired", "workflow_execution_update_accepted"} <= kinds(r))
        await record_history(env, handle.id, "ludvika-continued-local", run_id=busy.run_id)


@workflow.defn(sandboxed=False)  # this test module imports what the sandbox refuses; the sink is trivial
class AlarmSink:
    """Stands in for a case workflow as the round's parent: keeps the alarms it is sent."""

    def __init__(self) -> None:
        self.alarms: list[Alarm] = []

    @workflow.run
    async def run(self) -> None:
        """Wait until cancelled."""
        await workflow.wait_condition(lambda: False)

    @workflow.signal(name="alarm_fired")
    def alarm_fired(self, fired: AlarmFired) -> None:
        """Keep the alarm."""
        self.alarms.append(fired.alarm)

    @workflow.query(name="alarms")
    def query_alarms(self) -> list[Alarm]:
        """The alarms received, in order."""
        return self.alarms


async def test_the_round_child_of_earlier_releases_continues_as_new_and_keeps_its_alarms(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    env = time_skipping_env
    queue = f"round-{uuid.uuid4().hex[:8]}"
    async with Worker(env.client, task_queue=queue, workflows=[AlarmSink, ResponseRoundWorkflow]):
        sink = await env.client.start_workflow(AlarmSink.run, id=f"sink-{queue}", task_queue=queue)
        due = await today(env) + timedelta(days=60)
        round_handle = await env.client.start_workflow(
            ResponseRoundWorkflow.run,
            RoundInput(case_id="c", round=1, response_due=due, parent_workflow_id=sink.id, continue_as_new_after=3),
            id=f"round-{queue}",
            task_queue=queue,
        )
        for extra in range(1, 11):  # ten extensions, an hour apart: the round hands over three times
            moved = due + timedelta(days=extra)
            await round_handle.signal(ResponseRoundWorkflow.deadline_changed, DeadlineChange(response_due=moved))
            await env.sleep(timedelta(hours=1))
        final = due + timedelta(days=10)
        assert (
            await round_handle.query(ResponseRoundWorkflow.query_next_alarm)
            == datetime.combine(final - timedelta(days=30), time(0, 0), TIMEZONE).isoformat()
        )
        await env.sleep(timedelta(days=72))
        alarms = [Alarm.model_validate(a) for a in await sink.query("alarms")]
        assert [(a.response_due, a.kind, a.days_before_due) for a in alarms] == [
            (final, "reminder", 30),
            (final, "reminder", 7),
            (final, "overdue", -1),
        ]
        assert len(await runs_of(round_handle)) == 4
        await round_handle.signal(ResponseRoundWorkflow.end_round)
        await round_handle.result()
        await sink.cancel()
