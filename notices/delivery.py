"""Deliver the outbox: render each due notice, send it over SMTP, record the outcome.

Failures are retried with exponential backoff; after ``max_attempts`` the notice is marked
failed and stays visible in the notice listing with its last error. See ``store.notices``
for why one notice is never sent twice by two processes.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

import asyncpg
import structlog
from pydantic import BaseModel, ConfigDict

from domain import event_from_record
from notices.letters import letter_for
from notices.mail import build_message
from notices.render import RenderedNotice, render
from store import notices as outbox
from store import organisers, users
from store.events import EventStore
from store.notices import NoticeRow

log = structlog.get_logger(__name__)


class Mailer(Protocol):
    """Anything that can send a message (SMTP in production and tests)."""

    async def send(self, message: EmailMessage) -> None: ...


class DeliverySettings(BaseModel):
    """How hard to try, and where the inspectorate's copies go."""

    model_config = ConfigDict(frozen=True)

    inspectorate_email: str = "arenden@skolinspektionen.example"
    sender: str = "Skolinspektionen <noreply@skolinspektionen.example>"
    max_attempts: int = 8
    first_retry_seconds: float = 30.0
    max_retry_seconds: float = 3600.0
    poll_seconds: float = 2.0


class UndeliverableNotice(Exception):
    """The notice cannot be sent as things stand (e.g. its organiser is not registered)."""


class NoticeDelivery:
    """Sends due notices, one transaction per notice."""

    def __init__(self, pool: asyncpg.Pool, mailer: Mailer, settings: DeliverySettings) -> None:
        self._pool = pool
        self._events = EventStore(pool)
        self._mailer = mailer
        self._settings = settings

    async def deliver_due(self) -> int:
        """Send every notice that is due now; the number of notices attempted."""
        attempted = 0
        while await self.deliver_one():
            attempted += 1
        return attempted

    async def deliver_one(self) -> NoticeRow | None:
        """Claim and attempt the oldest due notice; None when nothing is due."""
        now = datetime.now(UTC)
        async with self._pool.acquire() as conn, conn.transaction():
            notice = await outbox.claim_due(conn, now)
            if notice is None:
                return None
            try:
                address, rendered = await self._prepare(conn, notice)
                await self._mailer.send(build_message(notice.notice_id, address, rendered, self._settings.sender, now))
            except Exception as error:  # SMTP, connection or data: recorded on the notice, retried later
                retry_at = self._retry_at(notice.attempts + 1, now)
                await outbox.mark_attempt_failed(conn, notice.notice_id, f"{type(error).__name__}: {error}", retry_at)
                log.warning(
                    "notice not sent",
                    notice_id=notice.notice_id,
                    case_id=notice.case_id,
                    attempt=notice.attempts + 1,
                    retry_at=retry_at,
                    error=str(error),
                )
                return notice
            await outbox.mark_sent(conn, notice.notice_id, now, address, rendered.text, rendered.html)
            log.info(
                "notice sent", notice_id=notice.notice_id, case_id=notice.case_id, kind=notice.kind, recipient=address
            )
            return notice

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, looking for due notices every ``poll_seconds``."""
        while not stop.is_set():
            try:
                await self.deliver_due()
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("delivery pass failed; trying again", error=str(error))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._settings.poll_seconds)

    async def _prepare(self, conn: asyncpg.Connection, notice: NoticeRow) -> tuple[str, RenderedNotice]:
        stored = await self._events.read(notice.case_id)
        events = [
            event_from_record(
                type=e.type,
                event_id=e.event_id,
                case_id=e.case_id,
                occurred_on=e.occurred_on,
                actor=e.actor.model_dump(mode="json"),
                data=e.data,
            )
            for e in stored
        ]
        opened = events[0]
        organiser_id = getattr(opened, "organiser_id", "")
        organiser = await organisers.get(conn, organiser_id)
        if organiser is None:
            raise UndeliverableNotice(f"Organiser {organiser_id} is not registered; register it with its e-mail.")
        address = organiser.email if notice.recipient == "organiser" else self._settings.inspectorate_email
        names = await users.full_names(conn)  # read per notice: signatures name people added since start-up
        letter = letter_for(notice.kind, events, notice.seq, organiser.name, names)  # type: ignore[arg-type]
        return address, render(letter, notice.subject)

    def _retry_at(self, attempts: int, now: datetime) -> datetime | None:
        if attempts >= self._settings.max_attempts:
            return None
        delay = min(self._settings.first_retry_seconds * 2 ** (attempts - 1), self._settings.max_retry_seconds)
        return now + timedelta(seconds=delay)
