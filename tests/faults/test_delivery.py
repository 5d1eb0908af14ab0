"""The notice delivery against its own PostgreSQL and SMTP server, each killed at the worst moment.

PostgreSQL dies in the instant between the mail server's "250" and the record of the letter: the
letter is recorded once the database is back, and not sent again. PostgreSQL or the mail server
dies while the delivery runs: the process stays up, and letters leave within seconds of the return.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from email import message_from_bytes

import asyncpg
import pytest
from aiosmtpd.controller import Controller

from activities.models import RecordEvents
from admin.replay import replay
from admin.seeds import LUDVIKA
from domain.organisers import register
from notices.delivery import DeliverySettings, NoticeDelivery
from notices.mail import SmtpMailer, SmtpSettings
from runtime.supervisor import become_subreaper
from store import notices as outbox
from store import organisers
from store.embedded import EmbeddedPostgres, EmbeddedPostgresError, PostgresUrls, free_port
from store.events import EventStore
from store.migrate import migrate
from tests.faults.processes import kill, postmaster_pid

pytestmark = pytest.mark.short


class Inbox:
    """An SMTP server's handler keeping every message; ``on_data`` runs before it answers 250."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.on_data: Callable[[], None] | None = None
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
        self.messages.append(envelope.original_content or envelope.content)
        if self.on_data is not None:
            self.on_data()
            self.on_data = None
        self.received.set()
        return "250 OK"

    def message_ids(self) -> Counter[str]:
        return Counter(str(message_from_bytes(m)["Message-ID"]) for m in self.messages)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    """A PostgreSQL server of this module's own (the session's is not ours to kill), adopted by this process."""
    become_subreaper()  # the server outlives pg_ctl; killed, it must be reaped before it can start again
    running = EmbeddedPostgres(tmp_path_factory.mktemp("pg") / "data", free_port())
    running.start()
    yield running
    pid = postmaster_pid(running.data_dir)
    running.stop()
    become_subreaper(adopt=False)  # the rest of the session's processes are not ours to adopt
    if pid is not None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


@pytest.fixture
def postgres(server: EmbeddedPostgres) -> tuple[EmbeddedPostgres, PostgresUrls]:
    """The server (running: a test that kills it starts it again) and a new database of this test's."""
    return server, server.ensure_database(f"faults_{uuid.uuid4().hex[:8]}")


@pytest.fixture
async def pool(postgres: tuple[EmbeddedPostgres, PostgresUrls]) -> AsyncIterator[asyncpg.Pool]:
    _, urls = postgres
    await migrate(urls.owner_url, urls.app_url)
    pool = await asyncpg.create_pool(urls.app_url, min_size=1, max_size=4)
    await organisers.save(pool, register(LUDVIKA.organiser_id, LUDVIKA.organiser_name, "ludvika@kommun.example"))
    yield pool
    pool.terminate()


async def signed_decision(pool: asyncpg.Pool) -> str:
    """A case whose decision is signed (one notice due); its id."""
    case_id = f"fault-{uuid.uuid4().hex[:8]}"
    store, seq = EventStore(pool), 0
    for index, (_, events) in enumerate(replay(LUDVIKA.model_copy(update={"case_id": case_id}))):
        if index == 3:
            break
        await store.append(RecordEvents(case_id=case_id, expected_seq=seq, events=events))
        seq += len(events)
    return case_id


def delivery(pool: asyncpg.Pool, port: int) -> NoticeDelivery:
    settings = DeliverySettings(inspectorate_email="team@skolinspektionen.example")
    return NoticeDelivery(pool, SmtpMailer(SmtpSettings(host="127.0.0.1", port=port, timeout_seconds=5)), settings)


def kill_postgres(server: EmbeddedPostgres) -> None:
    """SIGKILL the postmaster and wait until it is gone."""
    pid = postmaster_pid(server.data_dir)
    assert pid is not None
    kill(pid)


def restart_postgres(server: EmbeddedPostgres) -> None:
    """Start the killed server again (crash recovery), once its old sessions have let go of it."""
    deadline = time.monotonic() + 30
    while True:
        try:
            server.start()
            return
        except EmbeddedPostgresError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


async def status_of(urls: PostgresUrls, case_id: str) -> list[tuple[str, int]]:
    """Each notice's status and attempts, on a fresh connection (the pool's may be dead)."""
    conn = await asyncpg.connect(urls.app_url)
    try:
        return [(n.status, n.attempts) for n in await outbox.for_case(conn, case_id)]  # type: ignore[arg-type]
    finally:
        await conn.close()


async def until(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_a_letter_accepted_as_the_database_dies_is_recorded_later_and_sent_once(
    postgres: tuple[EmbeddedPostgres, PostgresUrls], pool: asyncpg.Pool
) -> None:
    server, urls = postgres
    case_id = await signed_decision(pool)
    inbox, port = Inbox(), free_port()
    inbox.on_data = lambda: kill_postgres(server)  # after the message is in, before the "250"
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    sender, stop = delivery(pool, port), asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    try:
        await until(lambda: bool(sender.unrecorded))  # accepted; the record failed with the database
        assert not running.done(), "the delivery process must outlive the database"
        await asyncio.to_thread(restart_postgres, server)
        await until(lambda: not sender.unrecorded)
        assert await status_of(urls, case_id) == [("sent", 1)]
        await until(lambda: sender.failed_passes == 0)  # a pass went through after the record: nothing resent
    finally:
        stop.set()
        await running
        smtp.stop()
    assert list(inbox.message_ids().values()) == [1]


async def test_the_delivery_outlives_the_database_and_sends_within_seconds_of_its_return(
    postgres: tuple[EmbeddedPostgres, PostgresUrls], pool: asyncpg.Pool
) -> None:
    server, _ = postgres
    inbox, port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    sender, stop = delivery(pool, port), asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    try:
        await asyncio.to_thread(kill_postgres, server)
        await until(lambda: sender.failed_passes >= 3)  # refused connections, for a few passes: it lives on
        assert not running.done()
        await asyncio.to_thread(restart_postgres, server)
        back = time.monotonic()
        await signed_decision(pool)
        await until(inbox.received.is_set, timeout=10)
        assert time.monotonic() - back < 5, "a letter leaves within seconds of the database's return"
    finally:
        stop.set()
        await running
        smtp.stop()


async def test_after_a_mail_server_outage_letters_leave_within_seconds(pool: asyncpg.Pool) -> None:
    case_id = await signed_decision(pool)
    inbox, port = Inbox(), free_port()
    sender, stop = delivery(pool, port), asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    try:
        await until(lambda: sender.failed_passes >= 4)  # no server: the passes fail and back off (0.5, 1, 2, 2 s)
        smtp = Controller(inbox, hostname="127.0.0.1", port=port)
        smtp.start()
        back = time.monotonic()
        await until(inbox.received.is_set, timeout=10)
        waited = time.monotonic() - back
    finally:
        stop.set()
        await running
    smtp.stop()
    assert waited < 3, f"the first letter left {waited:.1f} s after the server's return"
    [notice] = await outbox.for_case(pool, case_id)
    assert (notice.status, notice.attempts) == ("sent", 1)  # the outage used up none of its tries
