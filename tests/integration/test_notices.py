"""Notices of a full lifecycle reach a real SMTP server (aiosmtpd on loopback) exactly once."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy

import asyncpg
import pytest
from aiosmtpd.controller import Controller
from temporalio.testing import WorkflowEnvironment

from activities.models import RecordEvents
from admin.replay import replay
from admin.seeds import LUDVIKA, shifted
from domain import DomainError
from domain.organisers import register
from notices.delivery import DeliverySettings, NoticeDelivery
from notices.mail import SmtpMailer, SmtpSettings, SmtpUnavailable
from store import notices as outbox
from store import organisers, users
from store.embedded import free_port
from store.events import EventStore
from store.migrate import migrate
from tests.integration.case_driver import drive, open_case, today
from tests.security.people import register_users
from worker import build_worker


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
        self.messages.append(envelope.original_content or envelope.content)
        return "250 OK"

    def message_ids(self) -> Counter[str]:
        return Counter(message_from_bytes(m)["Message-ID"] for m in self.messages)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
async def pool(pg_urls) -> AsyncIterator[asyncpg.Pool]:  # type: ignore[no-untyped-def]
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=5)
    await organisers.save(pool, register(LUDVIKA.organiser_id, LUDVIKA.organiser_name, "ludvika@kommun.example"))
    yield pool
    await pool.close()


def delivery(pool: asyncpg.Pool, port: int, max_attempts: int = 8) -> NoticeDelivery:
    mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=port, timeout_seconds=5))
    return NoticeDelivery(
        pool,
        mailer,
        DeliverySettings(
            inspectorate_email="team@skolinspektionen.example", max_attempts=max_attempts, first_retry_seconds=0
        ),
    )


async def test_a_full_lifecycle_sends_each_notice_once(
    time_skipping_env: WorkflowEnvironment, pool: asyncpg.Pool, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    seed = shifted(LUDVIKA, await today(time_skipping_env), case_id=f"mail-{uuid.uuid4().hex[:8]}", dnr="M:1")
    await register_users(pool, seed)  # the record activity checks each actor in the users table
    queue = f"mail-{uuid.uuid4().hex[:8]}"
    async with build_worker(time_skipping_env.client, pool, queue):
        handle, _ = await open_case(time_skipping_env, seed, queue)
        await drive(time_skipping_env, handle, seed)
    sender = delivery(pool, port)
    assert await sender.deliver_due() == 5
    assert await sender.deliver_due() == 0  # a second pass sends nothing again
    kinds = Counter(n.kind for n in await outbox.for_case(pool, seed.case_id))
    # the follow-up decision that closes the case says so itself: no closure letter besides it
    assert kinds == {"decision": 1, "reminder": 2, "receipt": 1, "follow_up_decision": 1}
    assert len(inbox.messages) == 5 and set(inbox.message_ids().values()) == {1}
    rows = await outbox.for_case(pool, seed.case_id)
    assert {r.status for r in rows} == {"sent"} and all(r.sent_at for r in rows)
    receipt = next(r for r in rows if r.kind == "receipt")
    assert receipt.recipient_address == "ludvika@kommun.example"  # the acknowledgement goes to the sender
    decision = next(r for r in rows if r.kind == "decision")
    assert decision.recipient_address == "ludvika@kommun.example"
    mail = message_from_bytes(next(m for m in inbox.messages if b"Uppf" in m))
    follow_up = next(r for r in rows if r.kind == "follow_up_decision")
    assert mail["Message-ID"] == f"<{follow_up.notice_id}@inspections.local>"


async def record_seed(pool: asyncpg.Pool, case_id: str, batches: int) -> None:
    """Record the first ``batches`` command batches of the Ludvika seed directly in the store."""
    store, seq = EventStore(pool), 0
    seed = LUDVIKA.model_copy(update={"case_id": case_id})
    for index, (_, events) in enumerate(replay(seed)):
        if index >= batches:
            break
        await store.append(RecordEvents(case_id=case_id, expected_seq=seq, events=events))
        seq += len(events)


async def test_with_the_server_down_notices_wait_and_then_go_once(pool: asyncpg.Pool) -> None:
    case_id = f"down-{uuid.uuid4().hex[:8]}"
    await record_seed(pool, case_id, batches=3)  # the decision is signed: one notice
    port = free_port()
    sender = delivery(pool, port)
    with pytest.raises(SmtpUnavailable, match="ConnectionRefused|Connect"):
        await sender.deliver_one()
    [notice] = await outbox.for_case(pool, case_id)
    assert (notice.status, notice.attempts) == ("pending", 0)  # an outage uses up none of the notice's tries
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        await asyncio.sleep(0.05)
        assert await sender.deliver_due() == 1
    finally:
        controller.stop()
    [notice] = await outbox.for_case(pool, case_id)
    assert (notice.status, notice.attempts) == ("sent", 1)
    assert len(inbox.messages) == 1


class RefusingInbox:
    """An SMTP server that refuses every recipient: the message's own failure, not the server's."""

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
        return "550 No such user here"


async def test_after_the_last_attempt_a_notice_is_failed(pool: asyncpg.Pool) -> None:
    case_id = f"fail-{uuid.uuid4().hex[:8]}"
    await record_seed(pool, case_id, batches=3)
    port = free_port()
    controller = Controller(RefusingInbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        await delivery(pool, port, max_attempts=2).deliver_due()
    finally:
        controller.stop()
    [notice] = await outbox.for_case(pool, case_id)
    assert (notice.status, notice.attempts) == ("failed", 2) and "550" in (notice.last_error or "")


async def test_a_retried_activity_still_yields_one_message(pool: asyncpg.Pool, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    case_id = f"retry-{uuid.uuid4().hex[:8]}"
    seed = LUDVIKA.model_copy(update={"case_id": case_id})
    batches = [events for _, events in replay(seed)][:3]
    store, seq = EventStore(pool), 0
    for events in batches:
        request = RecordEvents(case_id=case_id, expected_seq=seq, events=events)
        await store.append(request)
        await store.append(request)  # the activity retried after a crash: recorded once
        seq += len(events)
    assert await delivery(pool, port).deliver_due() == 1
    assert len(inbox.messages) == 1


async def test_letters_are_signed_with_the_full_names_of_the_people(
    pool: asyncpg.Pool, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    await users.create(pool, "malin.jern", "not-a-hash", ["decision_maker"], None, "Malin Jern")
    await users.create(pool, "marta.rivelis", "not-a-hash", ["inspector"], None, "Marta Rivelis")
    case_id = f"names-{uuid.uuid4().hex[:8]}"
    await record_seed(pool, case_id, batches=3)  # drafted by marta.rivelis, signed by malin.jern: the decision
    assert await delivery(pool, port).deliver_due() == 1
    [message] = [message_from_bytes(m, policy=policy.default) for m in inbox.messages]
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    assert "Malin Jern\nBeslutsfattare" in text and "Marta Rivelis\nFöredragande" in text
    assert "malin.jern" not in text and "marta.rivelis" not in text
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "Malin Jern" in html and "malin.jern" not in html


def test_a_malformed_organiser_address_is_refused() -> None:
    with pytest.raises(DomainError) as info:
        register("212000-2270", "Ludvika kommun", "ludvika kommun.se")
    assert (info.value.code, info.value.field) == ("validation_error", "email")
