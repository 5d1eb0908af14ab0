"""``inspections notices list|deliver``: a case's letters, and the outbox delivery process."""

from __future__ import annotations

import typer
from rich.table import Table

from admin.cli.support import CliError, connect, console, named, run, settings, wired
from admin.services.notices import NoticeRow
from domain.labels import NOTICE_KINDS
from notices.mail import SmtpUnavailable
from runtime.bootstrap import notice_delivery
from runtime.deliver import main as deliver_forever

NOTICE_STATUSES = {"pending": "Väntar", "sent": "Skickat", "failed": "Misslyckades"}
"""A notice's delivery status, in words."""
notices_app = typer.Typer(help="Notices (letters by e-mail): list them, deliver them.", no_args_is_help=True)


@notices_app.command("list")
def list_notices(case: str = typer.Option(..., "--case", help="The case id.")) -> None:
    """Each notice of a case with its status."""
    config = settings()

    async def fetch() -> list[NoticeRow]:
        async with connect(config) as services:
            return await services.notices.of_case(case)

    rows = run(fetch)
    table = Table(title=f"Utskick i ärendet {case}")
    for column in ("nr", "slag", "mottagare", "status", "försök", "skickat", "ämne", "senaste fel"):
        table.add_column(column)
    for r in rows:
        sent = r.sent_at.isoformat(timespec="seconds") if r.sent_at else ""
        table.add_row(
            str(r.seq),
            named(NOTICE_KINDS, r.kind),
            r.recipient_address or r.recipient,
            named(NOTICE_STATUSES, r.status),
            str(r.attempts),
            sent,
            r.subject,
            r.last_error or "",
        )
    console.print(table if rows else f"Ärendet {case} har inga utskick.")


@notices_app.command("deliver")
def deliver(once: bool = typer.Option(False, "--once", help="Send what is due now, then stop.")) -> None:
    """The delivery process: send due notices over SMTP (until SIGTERM or Ctrl-C, or once).

    It outlives the database and the mail server: when either is down it tries again within
    seconds (also when the database is not up yet at its start), and stops only when told to.
    """
    config = settings()  # exit 2 when nothing is configured
    if once:

        async def once_now() -> None:
            async with wired(config) as wiring:
                try:
                    console.print(f"{await notice_delivery(wiring).deliver_due()} utskick försökta.")
                except SmtpUnavailable as error:
                    raise CliError(f"E-postservern svarar inte ({error}); ingenting har registrerats.") from None

        run(once_now)
        return

    deliver_forever()
