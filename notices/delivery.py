"""Deliver the outbox: render each due notice, send it over SMTP, record the outcome.

A notice is claimed with ``FOR UPDATE SKIP LOCKED`` in the transaction that records its outcome,
so two delivery processes never send the same notice at once (``store.notices``). What can fail:

- **the mail server** (unreachable, disconnected, timed out, 421): :class:`SmtpUnavailable`. Not the
  notice's fault, so it does not use up its tries; the pass stops and the next one follows after
  a short pause (0.5 s, doubling to 2 s), so letters leave within seconds of the server's return.
- **the notice** (recipient or message refused, organiser not registered, rendering): recorded on
  the notice and retried after 2 s, 8 s, 32 s … (at most an hour); after ``max_attempts`` it is failed.
- **the database** (any error: refused, restarting, a connection lost mid-transaction): nothing
  is recorded, the notice stays due, and the next pass follows after the same short pause.

Once the mail server has accepted a letter, the process remembers it until the database has
recorded it as sent: every pass first records those, and claims nothing new until they are.
So a database that dies between the acceptance and the commit costs a late record, not a second
letter. What remains is a crash of this process in that instant: the letter then goes again,
with the same Message-ID, which the receiving system uses to drop the duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

import asyncpg
import structlog
from pydantic import BaseModel, ConfigDict

from notices.attachments import files_for
from notices.letters import letter_for
from notices.mail import SmtpUnavailable, build_message
from notices.render import RenderedNotice, render
from store import notices as outbox
from store import organisers, users
from store.events import EventStore
from store.notices import NoticeRow

log = structlog.get_logger(__name__)

DATABASE_TIMEOUT = 10.0
"""Seconds to wait for a connection from the pool before calling the pass failed."""


class Mailer(Protocol):
    """Anything that can send a message (SMTP in production and tests).

    Raises :class:`SmtpUnavailable` when the server failed; any other exception is this message's failure.
    """

    async def send(self, message: EmailMessage) -> None: ...


class DeliverySettings(BaseModel):
    """How hard to try, and where the inspectorate's copies go."""

    model_config = ConfigDict(frozen=True)

    inspectorate_email: str = "arenden@skolinspektionen.example"
    sender: str = "Skolinspektionen <noreply@skolinspektionen.example>"
    max_attempts: int = 8
    first_retry_seconds: float = 2.0
    """A notice refused by the server: the first wait, then four times the last (see ``max_retry_seconds``)."""
    max_retry_seconds: float = 3600.0
    poll_seconds: float = 1.0
    """How often to look for due notices when all is well."""
    first_pause_seconds: float = 0.5
    """After a failed pass (mail server or database down): the first pause, doubling up to ``max_pause_seconds``."""
    max_pause_seconds: float = 2.0


class UndeliverableNotice(Exception):
    """The notice cannot be sent as things stand (e.g. its organiser is not registered)."""


@dataclass(frozen=True)
class _Accepted:
    """A letter the mail server accepted, not yet recorded as sent."""

    notice: NoticeRow
    sent_at: datetime
    address: str
    rendered: RenderedNotice


class NoticeDelivery:
    """Sends due notices, one transaction per notice."""

    def __init__(self, pool: asyncpg.Pool, mailer: Mailer, settings: DeliverySettings) -> None:
        self._pool = pool
        self._events = EventStore(pool)
        self._mailer = mailer
        self._settings = settings
        self._unrecorded: dict[str, _Accepted] = {}
        self.failed_passes = 0
        """Passes in a row that failed (mail server or database down); 0 after a pass that went through."""

    @property
    def unrecorded(self) -> list[str]:
        """Ids of notices the mail server accepted whose sending is not yet recorded."""
        return list(self._unrecorded)

    async def deliver_due(self) -> int:
        """Record what was accepted earlier, then send every notice due now; the number of notices attempted.

        Raises :class:`SmtpUnavailable` or the database's error when the pass could not go on.
        """
        await self.record_accepted()
        attempted = 0
        while await self.deliver_one():
            attempted += 1
        return attempted

    async def record_accepted(self) -> None:
        """Record as sent every letter the mail server accepted whose record failed; raises while it cannot."""
        for notice_id, sent in list(self._unrecorded.items()):
            async with self._pool.acquire(timeout=DATABASE_TIMEOUT) as conn:
                await self._mark_sent(conn, sent)
            del self._unrecorded[notice_id]
            log.info("notice sent: recorded late", notice_id=notice_id, case_id=sent.notice.case_id)

    async def deliver_one(self) -> NoticeRow | None:
        """Claim and attempt the oldest due notice; None when nothing is due.

        Raises :class:`SmtpUnavailable` (nothing recorded, the notice stays due) or the database's error.
        """
        if self._unrecorded:  # never claim anew before the letters already out are recorded
            await self.record_accepted()
        now = datetime.now(UTC)
        async with self._pool.acquire(timeout=DATABASE_TIMEOUT) as conn, conn.transaction():
            notice = await outbox.claim_due(conn, now)
            if notice is None:
                return None
            try:
                address, rendered = await self._prepare(conn, notice)
                await self._mailer.send(build_message(notice.notice_id, address, rendered, self._settings.sender, now))
            except (SmtpUnavailable, asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError):
                raise  # the server or the database, not the notice: the transaction rolls back, nothing counted
            except Exception as error:  # this notice's own failure: recorded on it, retried later
                await self._failed(conn, notice, error, now)
                return notice
            sent = _Accepted(notice, now, address, rendered)
            self._unrecorded[notice.notice_id] = sent  # before anything else can fail: it must not go twice
            await self._mark_sent(conn, sent)
        del self._unrecorded[notice.notice_id]  # committed
        log.info("notice sent", notice_id=notice.notice_id, case_id=notice.case_id, kind=notice.kind, recipient=address)
        return notice

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set: a pass every ``poll_seconds``, sooner again after a failed one."""
        while not stop.is_set():
            try:
                await self.deliver_due()
                self.failed_passes, pause = 0, self._settings.poll_seconds
            except Exception as error:  # whatever failed, this process stays up and tries again
                self.failed_passes += 1
                first, most = self._settings.first_pause_seconds, self._settings.max_pause_seconds
                pause = min(first * 2 ** (self.failed_passes - 1), most)
                log.warning(
                    "delivery pass failed; trying again",
                    error=f"{type(error).__name__}: {error}",
                    failed_passes=self.failed_passes,
                    pause_seconds=pause,
                    unrecorded=len(self._unrecorded),
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)

    async def _mark_sent(self, conn: asyncpg.Connection, sent: _Accepted) -> None:
        rendered = sent.rendered
        await outbox.mark_sent(conn, sent.notice.notice_id, sent.sent_at, sent.address, rendered.text, rendered.html)

    async def _failed(self, conn: asyncpg.Connection, notice: NoticeRow, error: Exception, now: datetime) -> None:
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

    async def _prepare(self, conn: asyncpg.Connection, notice: NoticeRow) -> tuple[str, RenderedNotice]:
        stored = await self._events.read(notice.case_id)
        events = [e.domain_event() for e in stored]
        opened = events[0]
        organiser_id = getattr(opened, "organiser_id", "")
        organiser = await organisers.get(conn, organiser_id)
        if organiser is None:
            raise UndeliverableNotice(f"Organiser {organiser_id} is not registered; register it with its e-mail.")
        address = organiser.email if notice.recipient == "organiser" else self._settings.inspectorate_email
        names = await users.full_names(conn)  # read per notice: signatures name people added since start-up
        letter = letter_for(notice.kind, events, notice.seq, organiser.name, names)  # type: ignore[arg-type]
        files = await files_for(conn, events[notice.seq - 1])  # a decision's letter carries its sealed PDF
        return address, render(letter, notice.subject).model_copy(update={"attachments": files})

    def _retry_at(self, attempts: int, now: datetime) -> datetime | None:
        if attempts >= self._settings.max_attempts:
            return None
        delay = min(self._settings.first_retry_seconds * 4 ** (attempts - 1), self._settings.max_retry_seconds)
        return now + timedelta(seconds=delay)
