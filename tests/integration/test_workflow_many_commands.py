"""Thousands of commands on one case, racing every continue-as-new, on ``temporal server start-dev``.

2,000 commands (drafts of the account from seven concurrent clients, deadline extensions from
an eighth, in order) go to one case that continues as new every 200 commands, so each
hand-over happens with commands in flight. Every command must be answered exactly once with
its own answer and recorded exactly once; a retry after the hand-over gets the same answer;
a retry older than the workflow's window is answered from the audit store by the admin service.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta

import asyncpg
import pytest
from temporalio.client import WorkflowHandle, WorkflowHistory, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from admin.seeds import TRELLEBORG, SeedCase, compressed
from admin.services.cases import CaseService
from domain import parse_command
from domain.deadlines import business_date
from domain.decide import event_id
from domain.views import CaseView
from store.events import EventStore
from store.migrate import migrate
from tests.integration.case_driver import open_case, register_people, send
from worker import build_worker
from workflows.models import HANDING_OVER, CommandRequest
from workflows.requests import WINDOW

DRAFTS, EXTENSIONS, DRAFTING_CLIENTS = 1900, 100, 7
PER_RUN = 200
"""Fewer than the window of remembered request ids: a run hands over all it answered to the next."""


@pytest.fixture
async def live(dev_server_env: WorkflowEnvironment, pg_urls) -> AsyncIterator[tuple[EventStore, str]]:  # type: ignore[no-untyped-def]
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=10)
    queue = f"many-{uuid.uuid4().hex[:8]}"
    async with build_worker(dev_server_env.client, pool, queue):
        yield EventStore(pool), queue
    await pool.close()


class Client:
    """Sends commands as the admin service does: the request id is the Update id; a busy or handing-over
    case is sent the same request again."""

    def __init__(self, handle: WorkflowHandle, seed: SeedCase) -> None:  # type: ignore[type-arg]
        self.handle, self.seed = handle, seed
        self.answers: dict[str, CaseView] = {}
        self.busy_retries = 0
        self.hand_over_retries = 0

    async def send(self, username: str, name: str, payload: dict[str, object]) -> CaseView:
        """Send the command once (retrying only 'too many updates in flight'), keep its answer."""
        request = CommandRequest(user=self.seed.users[username], command=parse_command(name, payload))
        request_id = request.command.request_id
        for attempt in range(20):
            try:
                view = await self.handle.execute_update(name, request, result_type=CaseView, id=request_id)
                break
            except WorkflowUpdateFailedError as error:
                if not (isinstance(error.cause, ApplicationError) and error.cause.type == HANDING_OVER):
                    raise
                self.hand_over_retries += 1
                await asyncio.sleep(0.02 * (attempt + 1))
            except RPCError as error:
                if error.status != RPCStatusCode.RESOURCE_EXHAUSTED:
                    raise
                self.busy_retries += 1
                await asyncio.sleep(0.05 * (attempt + 1))
        else:
            raise AssertionError(f"{request_id}: the case stayed busy")
        assert request_id not in self.answers, f"{request_id} answered twice"
        self.answers[request_id] = view
        return view


async def runs_of(handle: WorkflowHandle) -> list[WorkflowHistory]:  # type: ignore[type-arg]
    """The histories of the workflow's runs, newest first (following continue-as-new back to the first)."""
    runs, run_id = [], (await handle.describe()).run_id
    while run_id:
        runs.append(await handle._client.get_workflow_handle(handle.id, run_id=run_id).fetch_history())
        run_id = runs[-1].events[0].workflow_execution_started_event_attributes.continued_execution_run_id
    return runs


def completed_updates(history: WorkflowHistory) -> list[str]:
    """The ids of the Updates a run completed, in order."""
    return [
        e.workflow_execution_update_completed_event_attributes.meta.update_id
        for e in history.events
        if e.HasField("workflow_execution_update_completed_event_attributes")
    ]


async def test_two_thousand_commands_racing_every_hand_over(
    dev_server_env: WorkflowEnvironment, live: tuple[EventStore, str]
) -> None:
    store, queue = live
    tag = uuid.uuid4().hex[:8]
    today = business_date(await dev_server_env.get_current_time())
    seed = compressed(TRELLEBORG, today, case_id=f"many-{tag}", dnr=f"M:{tag}")
    await register_people(store.pool, seed)
    handle, _ = await open_case(dev_server_env, seed, queue, continue_as_new_after=PER_RUN)
    for step in seed.steps[1:3]:  # drafted and signed: the account is awaited
        await send(handle, seed, step)
    draft = next(s for s in seed.steps if s.command == "draft-response")
    first_due = date.fromisoformat(seed.steps[1].payload["response_due"])
    client = Client(handle, seed)
    drafts: asyncio.Queue[int] = asyncio.Queue()
    for n in range(DRAFTS):
        drafts.put_nowait(n)

    async def drafting() -> None:
        while not drafts.empty():
            n = drafts.get_nowait()
            areas = [{**a, "measures": f"Åtgärd {n}."} for a in draft.payload["areas"]]
            await client.send(draft.username, "draft-response", {"request_id": f"{tag}:draft:{n}", "areas": areas})

    extension_dues: dict[str, date] = {}

    async def extending() -> None:
        for n in range(1, EXTENSIONS + 1):
            request_id, due = f"{tag}:extend:{n}", first_due + timedelta(days=n)
            extension_dues[request_id] = due
            view = await client.send(
                "marta.rivelis",
                "extend-deadline",
                {"request_id": request_id, "response_due": due.isoformat(), "reason": f"Skäl {n}."},
            )
            assert view.response_due == due  # its own answer: the due date it set

    began = time.monotonic()
    await asyncio.gather(extending(), *(drafting() for _ in range(DRAFTING_CLIENTS)))
    elapsed = time.monotonic() - began
    print(
        f"{DRAFTS + EXTENSIONS} commands in {elapsed:.1f} s, "
        f"{client.hand_over_retries} sent again at a hand-over, {client.busy_retries} when busy"
    )

    assert len(client.answers) == DRAFTS + EXTENSIONS
    events = await store.read(seed.case_id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    by_id = {e.event_id: e for e in events}
    for request_id in client.answers:  # each command recorded exactly once, with its own content
        recorded = by_id[event_id(seed.case_id, request_id, 0)]
        assert event_id(seed.case_id, request_id, 1) not in by_id
        if ":draft:" in request_id:
            assert recorded.data["areas"][0]["measures"] == f"Åtgärd {request_id.rsplit(':', 1)[1]}."
        else:
            assert recorded.data["response_due"] == extension_dues[request_id].isoformat()
    assert len(events) == 3 + 1 + DRAFTS + EXTENSIONS  # opened, drafted, signed, round started; then one each
    runs = await runs_of(handle)
    assert len(runs) >= (DRAFTS + EXTENSIONS) // PER_RUN

    # Retries of commands answered by the run before the last, after the hand-over: the same answers.
    earlier = [u for u in completed_updates(runs[1]) if u in client.answers]
    assert len(earlier) >= PER_RUN
    for request_id in earlier[:: len(earlier) // 50]:
        name = "draft-response" if ":draft:" in request_id else "extend-deadline"
        again = await handle.execute_update(
            name, await _request(store, seed, request_id, name), result_type=CaseView, id=request_id
        )
        assert again == client.answers[request_id]
    assert len(await store.read(seed.case_id)) == len(events)

    # A retry older than the window (2,000 commands ago): answered from the store by the admin service.
    assert WINDOW < DRAFTS
    service = CaseService(store.pool, dev_server_env.client, queue)
    old = f"{tag}:extend:1"
    view = await service.command(
        seed.users["marta.rivelis"],
        seed.case_id,
        "extend-deadline",
        {"request_id": old, "response_due": extension_dues[old].isoformat(), "reason": "Skäl 1."},
    )
    assert view.response_due == first_due + timedelta(days=EXTENSIONS)  # the case as it is now
    assert len(await store.read(seed.case_id)) == len(events)


async def _request(store: EventStore, seed: SeedCase, request_id: str, name: str) -> CommandRequest:
    """The request that was sent with ``request_id``, rebuilt from what it recorded."""
    recorded = next(e for e in await store.read(seed.case_id) if e.event_id == event_id(seed.case_id, request_id, 0))
    if name == "draft-response":
        payload = {"request_id": request_id, "areas": recorded.data["areas"]}
        user = recorded.actor.username
    else:
        payload = {
            "request_id": request_id,
            "response_due": recorded.data["response_due"],
            "reason": recorded.data["reason"],
        }
        user = "marta.rivelis"
    return CommandRequest(user=seed.users[user], command=parse_command(name, payload))
