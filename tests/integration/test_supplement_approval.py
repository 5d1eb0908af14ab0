"""On a real worker, a supplement request keeps the organiser's approval (issue 17): the organiser submits the
supplemented account at once, and the store's state agrees with the workflow's."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from temporalio.testing import WorkflowEnvironment

from admin.seeds import LUDVIKA, SeedStep, shifted
from store import cases
from store.migrate import migrate
from tests.integration.case_driver import drive, open_case, register_people, send, today
from worker import build_worker
from workflows.case import InspectionCaseWorkflow


@pytest.fixture
async def pool(pg_urls) -> AsyncIterator[asyncpg.Pool]:  # type: ignore[no-untyped-def]
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=5)
    yield pool
    await pool.close()


async def test_a_supplement_request_keeps_the_approval_on_a_real_worker(
    time_skipping_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    tag = uuid.uuid4().hex[:8]
    await register_people(pool, LUDVIKA)
    seed = shifted(LUDVIKA, await today(time_skipping_env), case_id=f"supplement-{tag}", dnr=f"K:{tag}")
    queue = f"supplement-{tag}"
    async with build_worker(time_skipping_env.client, pool, queue):
        handle, _ = await open_case(time_skipping_env, seed, queue)
        received = await drive(time_skipping_env, handle, seed, steps=6)  # the account submitted
        assert received.state == "response_received"
        day = (await today(time_skipping_env)).isoformat()
        supplement = SeedStep(
            on=await today(time_skipping_env),
            username="marta.rivelis",
            command="request-supplement",
            payload={
                "request_id": f"{tag}-supplement",
                "what": "Protokollsutdraget saknas.",
                "response_due": "2099-01-01",
            },
        )
        await send(handle, seed, supplement)
        state = await handle.query(InspectionCaseWorkflow.state)
        assert state is not None and state.approval is not None and state.response_draft is not None
        again = SeedStep(
            on=supplement.on,
            username="ludvika.forvaltning",
            command="submit-response",
            payload={"request_id": f"{tag}-again", "submitted_on": day},
        )
        view = await send(handle, seed, again)
        assert view.state == "response_received"
    stored = await cases.get(pool, seed.case_id)
    assert stored is not None and stored.approval == state.approval  # the store folds the same facts alike
