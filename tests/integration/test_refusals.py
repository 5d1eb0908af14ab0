"""Every refused-command row of docs/domain.md sent as an Update to a real Temporal server.

A refused Update is rejected by its validator: the workflow's history and the audit store
are exactly as before. (On the real server a rejected Update leaves no trace in history;
the time-skipping test server would still write workflow-task events, so this runs on
``temporal server start-dev``, with every step on today's date.)
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase, SeedStep, compressed
from domain import Role, User, parse_command
from domain.deadlines import business_date
from domain.views import CaseView
from store.events import EventStore
from store.migrate import migrate
from tests.integration.case_driver import open_case, register_people, send
from worker import build_worker
from workflows.models import CommandRequest
from workflows.requests import update_id

OTHER_ORGANISER = User(username="other.org", roles=frozenset({Role.ORGANISER}), organiser_id="999999-0000")
DUAL = User(username="dual.role", roles=frozenset({Role.INSPECTOR, Role.DECISION_MAKER}))
EXTRA_USERS = {u.username: u for u in (OTHER_ORGANISER, DUAL)}
PEOPLE_POOLS: dict[str, asyncpg.Pool] = {}
"""The store's pool of each test's task queue, where case_after registers the people it acts as."""


@pytest.fixture
async def live(dev_server_env: WorkflowEnvironment, pg_urls) -> AsyncIterator[tuple[EventStore, str]]:  # type: ignore[no-untyped-def]
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=5)
    queue = f"refusals-{uuid.uuid4().hex[:8]}"
    PEOPLE_POOLS[queue] = pool
    async with build_worker(dev_server_env.client, pool, queue):
        yield EventStore(pool), queue
    del PEOPLE_POOLS[queue]
    await pool.close()


async def case_after(
    env: WorkflowEnvironment, queue: str, seed: SeedCase, steps: int, drafter: str | None = None
) -> tuple[WorkflowHandle, SeedCase]:  # type: ignore[type-arg]
    """A fresh copy of ``seed`` driven through its first ``steps`` steps, all today."""
    tag = uuid.uuid4().hex[:8]
    today = business_date(await env.get_current_time())
    case = compressed(seed, today, case_id=f"refuse-{tag}", dnr=f"X:{tag}")
    case = case.model_copy(update={"users": {**case.users, **EXTRA_USERS}})
    await register_people(PEOPLE_POOLS[queue], case)
    handle, _ = await open_case(env, case, queue)
    for step in case.steps[1:steps]:
        if drafter and step.command == "draft-decision":
            step = step.model_copy(update={"username": drafter})
        await send(handle, case, step)
    return handle, case


def variant(case: SeedCase, command: str, username: str | None = None, **payload: Any) -> SeedStep:
    """The case's step for ``command`` with another user and/or changed payload fields."""
    step = next(s for s in case.steps if s.command == command)
    changed = {**step.payload, **payload, "request_id": f"bad-{uuid.uuid4().hex[:8]}"}
    return step.model_copy(update={"username": username or step.username, "payload": changed})


RESPONSE = {"measures": "Åtgärder.", "evaluation": "Utvärdering."}

# (seed, steps already taken, drafter, command, user, payload changes, code, field)
ROWS = [
    (
        "decision drafted: the drafter signs",
        TRELLEBORG,
        2,
        "dual.role",
        "sign-decision",
        "dual.role",
        {},
        "forbidden",
        None,
    ),
    (
        "decision drafted: an inspector signs",
        TRELLEBORG,
        2,
        None,
        "sign-decision",
        "marta.rivelis",
        {},
        "forbidden",
        None,
    ),
    (
        "decision drafted: decision date in the future",
        TRELLEBORG,
        2,
        None,
        "sign-decision",
        None,
        {"decided_on": "2999-01-01"},
        "validation_error",
        "decided_on",
    ),
    (
        "decision drafted: submitting means nothing yet",
        TRELLEBORG,
        2,
        None,
        "submit-response",
        None,
        {},
        "invalid_state",
        None,
    ),
    ("under review: signing with no draft", TRELLEBORG, 1, None, "sign-decision", None, {}, "invalid_state", None),
    (
        "under review: due date on the decision date",
        TRELLEBORG,
        1,
        None,
        "draft-decision",
        None,
        {"response_due": "1999-01-01"},
        "validation_error",
        "response_due",
    ),
    (
        "under review: an area the case does not have",
        TRELLEBORG,
        1,
        None,
        "draft-decision",
        None,
        {"areas": [{"code": "okant", "assessment": "x", "requirements": ["y"]}]},
        "validation_error",
        "areas[0].code",
    ),
    (
        "awaiting: submitting before the board's approval",
        TRELLEBORG,
        4,
        None,
        "submit-response",
        None,
        {},
        "invalid_state",
        None,
    ),
    ("awaiting: approving with no draft", TRELLEBORG, 3, None, "approve-response", None, {}, "invalid_state", None),
    ("awaiting: another organiser's user", TRELLEBORG, 3, None, "draft-response", "other.org", {}, "forbidden", None),
    (
        "awaiting: an account that leaves an open area out",
        TRELLEBORG,
        3,
        None,
        "draft-response",
        None,
        {"areas": [{"code": "analys", **RESPONSE}]},
        "validation_error",
        "areas",
    ),
    (
        "awaiting: an empty text",
        TRELLEBORG,
        3,
        None,
        "draft-response",
        None,
        {"areas": [{"code": "analys", **RESPONSE}, {"code": "kompensatoriskt", "measures": " ", "evaluation": "e"}]},
        "validation_error",
        "areas[1].measures",
    ),
    (
        "round 2: an account for an area already closed",
        TRELLEBORG,
        8,
        None,
        "draft-response",
        None,
        {"areas": [{"code": "analys", **RESPONSE}, {"code": "kompensatoriskt", **RESPONSE}]},
        "invalid_state",
        "areas[0].code",
    ),
]


@pytest.mark.parametrize(
    ("seed", "steps", "drafter", "command", "user", "payload", "code", "field"),
    [r[1:] for r in ROWS],
    ids=[r[0] for r in ROWS],
)
async def test_a_refused_update_changes_nothing(
    dev_server_env: WorkflowEnvironment,
    live: tuple[EventStore, str],
    seed: SeedCase,
    steps: int,
    drafter: str | None,
    command: str,
    user: str | None,
    payload: dict[str, Any],
    code: str,
    field: str | None,
) -> None:
    store, queue = live
    handle, case = await case_after(dev_server_env, queue, seed, steps, drafter)
    history_before = (await handle.fetch_history()).events
    stored_before = await store.read(case.case_id)
    with pytest.raises(WorkflowUpdateFailedError) as info:
        await send(handle, case, variant(case, command, user, **payload))
    cause = info.value.cause
    assert isinstance(cause, ApplicationError) and cause.details
    assert (cause.details[0]["code"], cause.details[0]["field"]) == (code, field), cause.message
    assert (await handle.fetch_history()).events == history_before
    assert await store.read(case.case_id) == stored_before


async def test_a_closed_case_takes_no_more_commands(
    dev_server_env: WorkflowEnvironment, live: tuple[EventStore, str]
) -> None:
    """A closed case's workflow has ended: the server refuses every Update; the store keeps the record.

    (The admin tool answers such a command with invalid_state from the read model.)
    """
    store, queue = live
    handle, case = await case_after(dev_server_env, queue, LUDVIKA, 8)
    assert (await handle.result()).status == "closed"
    stored_before = await store.read(case.case_id)
    with pytest.raises(RPCError, match="already completed"):
        await send(handle, case, variant(case, "draft-response"))
    assert await store.read(case.case_id) == stored_before


@pytest.mark.parametrize("name", ["no-such-command", "open-case", "send-reminder", "mark-overdue"])
async def test_an_unknown_update_name_is_refused_with_nothing_recorded(
    dev_server_env: WorkflowEnvironment, live: tuple[EventStore, str], name: str
) -> None:
    """Only the person commands of domain.commands are Updates; anything else is not_found, history untouched."""
    store, queue = live
    handle, case = await case_after(dev_server_env, queue, TRELLEBORG, 3)
    history_before = (await handle.fetch_history()).events
    stored_before = await store.read(case.case_id)
    step = variant(case, "draft-response")
    request = CommandRequest(user=case.users[step.username], command=parse_command(step.command, step.payload))
    with pytest.raises(WorkflowUpdateFailedError) as info:
        await handle.execute_update(name, request, result_type=CaseView, id=f"unknown-{uuid.uuid4().hex[:8]}")
    cause = info.value.cause
    assert isinstance(cause, ApplicationError) and cause.details
    assert (cause.details[0]["code"], cause.details[0]["field"]) == ("not_found", "command"), cause.message
    assert (await handle.fetch_history()).events == history_before
    assert await store.read(case.case_id) == stored_before


async def test_a_request_id_reused_for_another_command_or_user_is_a_conflict(
    dev_server_env: WorkflowEnvironment, live: tuple[EventStore, str]
) -> None:
    """docs/api.md: a request_id reused with another command or user → conflict, nothing recorded; the same
    request again still gets its answer."""
    store, queue = live
    handle, case = await case_after(dev_server_env, queue, TRELLEBORG, 4)  # the account has been drafted
    drafted = next(s for s in case.steps if s.command == "draft-response")
    first = await send(handle, case, drafted)
    history_before = (await handle.fetch_history()).events
    stored_before = await store.read(case.case_id)
    other_command = variant(case, "approve-response").model_copy(
        update={"payload": {**variant(case, "approve-response").payload, "request_id": drafted.payload["request_id"]}}
    )
    other_user = drafted.model_copy(update={"username": "other.org"})
    for reuse in (other_command, other_user):
        request = CommandRequest(user=case.users[reuse.username], command=parse_command(reuse.command, reuse.payload))
        with pytest.raises(WorkflowUpdateFailedError) as info:  # sent as the admin service sends it
            await handle.execute_update(reuse.command, request, result_type=CaseView, id=update_id(request))
        cause = info.value.cause
        assert isinstance(cause, ApplicationError) and cause.details
        assert (cause.details[0]["code"], cause.details[0]["field"]) == ("conflict", "request_id"), cause.message
    assert await send(handle, case, drafted) == first
    assert (await handle.fetch_history()).events == history_before
    assert await store.read(case.case_id) == stored_before


async def test_a_case_opened_with_a_dnr_already_taken_is_refused_by_the_store(
    dev_server_env: WorkflowEnvironment, live: tuple[EventStore, str]
) -> None:
    """The admin service checks the Dnr first; should two opens race, the store refuses the second (conflict)."""
    store, queue = live
    _, case = await case_after(dev_server_env, queue, TRELLEBORG, 1)
    twin = case.model_copy(update={"case_id": f"{case.case_id}-twin"})
    with pytest.raises(WorkflowUpdateFailedError) as info:
        await open_case(dev_server_env, twin, queue)
    cause = info.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "DuplicateDnr", cause
    assert (cause.details[0]["code"], cause.details[0]["field"]) == ("conflict", "dnr")
    assert await store.read(twin.case_id) == []
