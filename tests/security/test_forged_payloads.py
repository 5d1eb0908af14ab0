"""Issue 14, row 1: a command reaches a case only from a process holding the system's payload key.

A real ``temporal server start-dev`` and real PostgreSQL; the worker seals and opens payloads
with the keyring, as every process of the system does. The attacker reaches Temporal's port
with a plain client (no key) and sends the case's very next legitimate command, so that the
only reason it can fail is the payload. Each forgery is refused, records nothing in the audit
store, leaves no trace in the workflow's history, and the case goes on serving real commands
(a forged payload must not wedge the workflow task).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import asyncpg
import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import RawValue
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import SerializationContext, WorkflowSerializationContext
from temporalio.testing import WorkflowEnvironment

from admin.seeds import TRELLEBORG, SeedCase, SeedStep, compressed
from domain import Role, User, parse_command
from domain.deadlines import Alarm, business_date
from domain.views import CaseView
from runtime.codec import EncryptionCodec, encrypted_data_converter
from runtime.payload_keys import PayloadKeyring, generate_keyring
from store.events import EventStore
from store.migrate import migrate
from tests.security.people import register_people
from worker import build_worker
from workflows.case import InspectionCaseWorkflow
from workflows.models import AlarmFired, CaseWorkflowInput, CommandRequest, OpenCaseRequest, ViewRequest
from workflows.models import case_workflow_id as workflow_id_of


class KeylessSender(EncryptionCodec):
    """Sends every payload as it is, like a client without the key; reads answers with the key (for the asserts)."""

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return list(payloads)

    def with_context(self, context: SerializationContext) -> KeylessSender:
        return KeylessSender(self.keyring, getattr(context, "workflow_id", None))


@dataclass
class Live:
    """The system (sealed client and worker) and the attacker's plain client, on one case."""

    sealed: Client
    plain: Client
    """No key at all: cannot even read why it was refused."""
    attacker: Client
    """Sends what a keyless client sends, but the test reads the refusal's reason."""
    store: EventStore
    retired: PayloadKeyring
    """The key the system used before the last rotation: still known, no longer current."""
    keyring: PayloadKeyring
    case: SeedCase
    next_step: SeedStep
    """The case's next legitimate command (an organiser's draft of the account)."""

    @property
    def workflow_id(self) -> str:
        return workflow_id_of(self.case.case_id)

    def request(self, user: User | None = None) -> CommandRequest:
        step = self.next_step
        return CommandRequest(
            user=user or self.case.users[step.username], command=parse_command(step.command, step.payload)
        )

    def sealed_for(self, keyring: PayloadKeyring, workflow_id: str, request: CommandRequest) -> Payload:
        """The request as a key holder would send it to ``workflow_id``."""
        [payload] = pydantic_data_converter.payload_converter.to_payloads([request])
        context = WorkflowSerializationContext(namespace=self.sealed.namespace, workflow_id=workflow_id)
        return EncryptionCodec(keyring).with_context(context).seal(payload)

    async def history_length(self) -> int:
        return len([e async for e in self.sealed.get_workflow_handle(self.workflow_id).fetch_history_events()])


@pytest.fixture
async def live(dev_server_env: WorkflowEnvironment, pg_urls) -> AsyncIterator[Live]:  # type: ignore[no-untyped-def]
    retired = generate_keyring()
    keyring = retired.rotated()
    address = dev_server_env.client.service_client.config.target_host
    sealed = await Client.connect(address, data_converter=encrypted_data_converter(keyring))
    attacker = await Client.connect(
        address,
        data_converter=dataclasses.replace(encrypted_data_converter(keyring), payload_codec=KeylessSender(keyring)),
    )
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=5)
    queue = f"forged-{uuid.uuid4().hex[:8]}"
    tag = uuid.uuid4().hex[:8]
    today = business_date(await dev_server_env.get_current_time())
    case = compressed(TRELLEBORG, today, case_id=f"forged-{tag}", dnr=f"F:{tag}")
    await register_people(pool, case)
    signed = next(i for i, s in enumerate(case.steps) if s.command == "sign-decision")
    try:
        async with build_worker(sealed, pool, queue):
            handle = await open_case(sealed, case, queue)
            for step in case.steps[1 : signed + 1]:
                await send(handle, case, step)
            yield Live(
                sealed,
                dev_server_env.client,
                attacker,
                EventStore(pool),
                retired,
                keyring,
                case,
                case.steps[signed + 1],
            )
    finally:
        await pool.close()


async def open_case(client: Client, case: SeedCase, queue: str) -> WorkflowHandle:  # type: ignore[type-arg]
    first = case.steps[0]
    user = case.users[first.username]
    handle = await client.start_workflow(
        InspectionCaseWorkflow.run,
        CaseWorkflowInput(
            case_id=case.case_id, open=OpenCaseRequest(user=user, command=parse_command(first.command, first.payload))
        ),  # type: ignore[arg-type]
        id=workflow_id_of(case.case_id),
        task_queue=queue,
    )
    await handle.execute_update(InspectionCaseWorkflow.opened, ViewRequest(user=user))
    return handle


async def send(handle: WorkflowHandle, case: SeedCase, step: SeedStep) -> CaseView:  # type: ignore[type-arg]
    request = CommandRequest(user=case.users[step.username], command=parse_command(step.command, step.payload))
    return await handle.execute_update(step.command, request, result_type=CaseView, id=step.payload["request_id"])


async def assert_refused(live: Live, payload: object, reason: str) -> None:
    """The attacker's Update is rejected for ``reason``; nothing is recorded, nothing enters the history."""
    events, history = await live.store.last_seq(live.case.case_id), await live.history_length()
    handle = live.attacker.get_workflow_handle(live.workflow_id)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(live.next_step.command, payload, result_type=RawValue, id=f"forged-{uuid.uuid4()}")
    assert reason in _messages(refused.value)
    assert await live.store.last_seq(live.case.case_id) == events
    assert await live.history_length() == history


async def assert_case_goes_on(live: Live) -> None:
    """The real command still works, and records exactly its own events, once."""
    before = await live.store.last_seq(live.case.case_id)
    handle = live.sealed.get_workflow_handle(live.workflow_id)
    view = await send(handle, live.case, live.next_step)
    recorded = (await live.store.read(live.case.case_id))[before:]
    assert [e.actor.username for e in recorded] == [live.next_step.username]
    assert view.state == "awaiting_response"


async def test_a_plain_update_from_a_client_without_the_key_is_refused_and_records_nothing(live: Live) -> None:
    ghost = User(username="ghost", roles=frozenset({Role.ORGANISER}), organiser_id=live.case.organiser_id)
    events, history = await live.store.last_seq(live.case.case_id), await live.history_length()
    handle = live.plain.get_workflow_handle(live.workflow_id)
    with pytest.raises(KeyError, match="binary/encrypted"):  # refused, and it cannot even read the refusal
        await handle.execute_update(live.next_step.command, live.request(ghost), result_type=RawValue)
    assert await live.store.last_seq(live.case.case_id) == events
    assert await live.history_length() == history
    await assert_refused(live, live.request(ghost), "not encrypted with the system's key (encoding json/plain)")
    await assert_refused(live, live.request(), "not encrypted with the system's key")  # a real user's name: same
    await assert_case_goes_on(live)


async def test_an_altered_ciphertext_is_refused(live: Live) -> None:
    sealed = live.sealed_for(live.keyring, live.workflow_id, live.request())
    data = bytearray(sealed.data)
    data[len(data) // 2] ^= 0x20
    altered = Payload(metadata=dict(sealed.metadata), data=bytes(data))
    await assert_refused(live, RawValue(altered), "altered, or not sealed with the key it names")
    await assert_case_goes_on(live)


async def test_a_payload_sealed_for_another_case_is_refused(live: Live) -> None:
    copied = live.sealed_for(live.keyring, workflow_id_of("another-case"), live.request())
    await assert_refused(live, RawValue(copied), "made for workflow 'case-another-case'")
    await assert_case_goes_on(live)


async def test_a_payload_sealed_with_an_unknown_key_is_refused(live: Live) -> None:
    attackers = live.sealed_for(generate_keyring(), live.workflow_id, live.request())
    await assert_refused(live, RawValue(attackers), "unknown key id")
    await assert_case_goes_on(live)


async def test_a_payload_sealed_with_a_retired_but_known_key_still_counts(live: Live) -> None:
    before = await live.store.last_seq(live.case.case_id)
    old = live.sealed_for(live.retired, live.workflow_id, live.request())
    handle = live.plain.get_workflow_handle(live.workflow_id)
    answer = await handle.execute_update(live.next_step.command, RawValue(old), result_type=RawValue)
    assert answer.payload.metadata["encryption-key-id"] == live.keyring.current.encode()  # answered with the new key
    recorded = (await live.store.read(live.case.case_id))[before:]
    assert [e.actor.username for e in recorded] == [live.next_step.username]


async def test_a_forged_signal_is_dropped_while_the_same_signal_from_a_key_holder_is_recorded(live: Live) -> None:
    view = await live.sealed.get_workflow_handle(live.workflow_id).query(
        InspectionCaseWorkflow.view, ViewRequest(user=live.case.users[live.next_step.username])
    )
    assert view is not None and view.response_due is not None
    alarm = Alarm(
        round=view.round, response_due=view.response_due, kind="reminder", recipient="organiser", days_before_due=30
    )
    before = await live.store.last_seq(live.case.case_id)
    await live.plain.get_workflow_handle(live.workflow_id).signal("alarm_fired", AlarmFired(alarm=alarm))
    await assert_case_goes_on(live)  # handled after the forged signal: the signal was dropped meanwhile
    types = [e.type for e in (await live.store.read(live.case.case_id))[before:]]
    assert "ReminderSent" not in types

    handle = live.sealed.get_workflow_handle(live.workflow_id)
    await handle.signal("alarm_fired", AlarmFired(alarm=alarm))
    following = live.case.steps[live.case.steps.index(live.next_step) + 1]
    await send(handle, live.case, following)  # waits for the case's lock, held while the signal's events are recorded
    assert "ReminderSent" in [e.type for e in await live.store.read(live.case.case_id)]


def _messages(error: BaseException) -> str:
    """Every message down the cause chain (the refusal's reason is a cause of the SDK's wrapper)."""
    messages = []
    current: BaseException | None = error
    while current is not None:
        messages.append(str(current))
        current = current.__cause__ or getattr(current, "cause", None)
    return " | ".join(messages)
