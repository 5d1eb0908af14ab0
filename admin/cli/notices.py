"""``inspections notices list|deliver``: a case's letters, and the outbox delivery process."""

from __future__ import annotations

import typer
from rich.table import Table

from admin.cli.support import CliError, connect, console, run, settings, wired
from admin.services.notices import NoticeRow
from notices.mail import SmtpUnavailable
from runtime.bootstrap import notice_delivery
from runtime.deliver import main as deliver_forever

notices_app = typer.Typer(help="Notices (letters by e-mail): list them, deliver them.", no_args_is_help=True)


@notices_app.command("list")
def list_notices(case: str = typer.Option(..., "--case", help="The case id.")) -> None:
    """Each notice of a case with its status."""
    config = settings()

    async def fetch() -> list[NoticeRow]:
        async with connect(config) as services:
            return await services.notices.of_case(case)

    rows = run(fetch)
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
    """The delivery process: send due notices over SMTP (until SIGTERM or Ctrl-C, or once).

    It outlives the database and the mail server: when either is down it tries again within
    seconds (also when the database is not up yet at its start), and stops only when told to.
    """
    config = settings()  # exit 2 when nothing is configured
    if once:

        async def once_now() -> None:
            async with wired(config) as wiring:
                try:
                    console.print(f"{await notice_delivery(wiring).deliver_due()} notice(s) attempted.")
                except SmtpUnavailable as error:
                    raise CliError(f"The mail server does not answer ({error}); nothing was recorded.") from None

        run(once_now)
        return

    deliver_forever()
