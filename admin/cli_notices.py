"""``inspections notices …``, ``inspections organisers …`` and ``inspections mail-sink``."""

from __future__ import annotations

import asyncio
import signal
import time

import asyncpg
import typer
from rich.console import Console
from rich.table import Table

from domain import DomainError
from domain.organisers import register
from notices.delivery import DeliverySettings, NoticeDelivery
from notices.mail import SmtpMailer, SmtpSettings
from notices.sink import start_sink
from runtime.config import ConfigError, Settings, load_settings
from store import notices as outbox
from store import organisers
from store.organisers import Organiser

notices_app = typer.Typer(help="Notices (letters by e-mail): list them, deliver them.", no_args_is_help=True)
organisers_app = typer.Typer(help="School organisers and their notice addresses.", no_args_is_help=True)
console = Console()


def _settings() -> Settings:
    try:
        settings = load_settings()
        settings.app_database_url()
    except ConfigError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    return settings


async def _pool(settings: Settings) -> asyncpg.Pool:
    return await asyncpg.create_pool(settings.app_database_url(), min_size=1, max_size=4)


def delivery_for(pool: asyncpg.Pool, settings: Settings) -> NoticeDelivery:
    """The notice delivery configured from ``settings``."""
    smtp = SmtpSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,  # type: ignore[arg-type]
        username=settings.smtp_username,
        password=settings.smtp_password,
        sender=settings.mail_sender,
    )
    return NoticeDelivery(
        pool,
        SmtpMailer(smtp),
        DeliverySettings(
            inspectorate_email=settings.inspectorate_email,
            sender=settings.mail_sender,
            max_attempts=settings.notice_max_attempts,
        ),
    )


@notices_app.command("list")
def list_notices(case: str = typer.Option(..., "--case", help="The case id.")) -> None:
    """Each notice of a case with its status."""

    async def _run() -> list[outbox.NoticeRow]:
        pool = await _pool(settings)
        try:
            return await outbox.for_case(pool, case)
        finally:
            await pool.close()

    settings = _settings()
    rows = asyncio.run(_run())
    table = Table(title=f"Notices of {case}")
    for column in ("seq", "kind", "recipient", "status", "attempts", "sent at", "subject", "last error"):
        table.add_column(column)
    for r in rows:
        sent = r.sent_at.isoformat(timespec="seconds") if r.sent_at else ""
        table.add_row(
            str(r.seq),
            r.kind,
            r.recipient_address or r.recipient,
            r.status,
            str(r.attempts),
            sent,
            r.subject,
            r.last_error or "",
        )
    console.print(table if rows else f"Case {case} has no notices.")


@notices_app.command("deliver")
def deliver(once: bool = typer.Option(False, "--once", help="Send what is due now, then stop.")) -> None:
    """Send due notices over SMTP (until Ctrl-C, or once)."""
    settings = _settings()

    async def _run() -> None:
        pool = await _pool(settings)
        try:
            delivery = delivery_for(pool, settings)
            if once:
                console.print(f"{await delivery.deliver_due()} notice(s) attempted.")
                return
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
            await delivery.run(stop)
        finally:
            await pool.close()

    asyncio.run(_run())


@organisers_app.command("add")
def add_organiser(organiser_id: str, name: str, email: str) -> None:
    """Register an organiser (or change its name and notice address)."""
    settings = _settings()
    try:
        organiser = register(organiser_id, name, email)
    except DomainError as error:
        console.print(f"[red]{error.field}: {error.message}[/red]")
        raise typer.Exit(1) from None

    async def _run() -> bool:
        pool = await _pool(settings)
        try:
            return await organisers.save(pool, organiser)
        finally:
            await pool.close()

    created = asyncio.run(_run())
    console.print(f"{'Registered' if created else 'Updated'} {organiser.name} ({organiser.organiser_id}).")


@organisers_app.command("list")
def list_organisers() -> None:
    """Every registered organiser."""
    settings = _settings()

    async def _run() -> list[Organiser]:
        pool = await _pool(settings)
        try:
            return await organisers.list_all(pool)
        finally:
            await pool.close()

    table = Table(title="Organisers")
    for column in ("organiser_id", "name", "email"):
        table.add_column(column)
    for o in asyncio.run(_run()):
        table.add_row(o.organiser_id, o.name, o.email)
    console.print(table)


def mail_sink(
    port: int = typer.Option(8025, help="SMTP port to listen on."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
) -> None:
    """Run the local mail sink: every message received is kept as a file under .data/mail/."""
    settings = load_settings()
    controller = start_sink(settings.mail_dir, host=host, port=port)
    console.print(f"Mail sink on {host}:{port}, keeping messages in {settings.mail_dir}/ (Ctrl-C stops).")
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
