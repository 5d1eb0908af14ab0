"""``inspections db``, ``audit`` and ``projections``: the schema, the audit chain and the read model.

Database URLs come from runtime.config (``INSPECTIONS_DATABASE_URL`` / ``_OWNER_URL`` or the
local stack). Exit codes as in ``admin.cli.support``; ``audit verify`` exits 1 when the chain is
broken, and an unknown case is a request that could not be served (2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from admin.cli.support import EXIT_REFUSED, EXIT_USAGE, connect, console, run, settings
from admin.services.audit import ExportReport, RebuildReport, VerifyReport
from runtime.bootstrap import migrate_schema

db_app = typer.Typer(help="The PostgreSQL database: schema migrations and its URL.", no_args_is_help=True)
audit_app = typer.Typer(help="Verify the audit trail's hash chain and export a case.", no_args_is_help=True)
projections_app = typer.Typer(help="The read model (cases, case areas) derived from the events.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``db``, ``audit`` and ``projections`` command groups to ``app``."""
    app.add_typer(db_app, name="db")
    app.add_typer(audit_app, name="audit")
    app.add_typer(projections_app, name="projections")


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply pending schema migrations (as the owner role) and grant the application role its rights."""
    config = settings()
    applied = run(lambda: migrate_schema(config), unknown_case=EXIT_USAGE)
    console.print(
        f"Applied {len(applied)} migration(s): {', '.join(applied)}."
        if applied
        else "The schema is up to date; nothing to apply."
    )


@db_app.command("url")
def db_url() -> None:
    """Print the application's PostgreSQL URL (the one the local stack uses)."""
    typer.echo(settings().app_database_url())


@audit_app.command("verify")
def audit_verify(
    case: Annotated[str | None, typer.Option("--case", help="Only this case (case id or Dnr).")] = None,
) -> None:
    """Recompute every hash and link; exit 0 when the chain holds, 1 naming the first broken link."""
    config = settings()

    async def check() -> VerifyReport:
        async with connect(config) as services:
            case_id = await services.audit.resolve(case) if case is not None else None
            with console.status("Verifying the audit chain…"):
                return await services.audit.verify(case_id)

    report = run(check, unknown_case=EXIT_USAGE)
    if report.ok:
        console.print(f"The audit chain holds: {report.events_checked} events in {report.cases_checked} case(s).")
        return
    first = report.failures[0]
    console.print(
        f"The audit chain is BROKEN: case {first.case_id}, seq {first.seq}: {first.reason}",
        highlight=False,
        soft_wrap=True,
    )
    for failure in report.failures[1:]:
        console.print(
            f"  also case {failure.case_id}, seq {failure.seq}: {failure.reason}", highlight=False, soft_wrap=True
        )
    console.print(
        f"{len(report.failures)} of {report.cases_checked} case(s) broken; {report.events_checked} events checked."
    )
    raise typer.Exit(EXIT_REFUSED)


@audit_app.command("export")
def audit_export(
    case: Annotated[str, typer.Option("--case", help="The case id or Dnr.")],
    out: Annotated[Path, typer.Option("--out", help="The JSON Lines file to write.", dir_okay=False)],
) -> None:
    """Write a case's events, oldest first, as JSON Lines (one event a line, with its hashes)."""
    config = settings()

    async def write() -> ExportReport:
        async with connect(config) as services:
            return await services.audit.export(case, out)

    report = run(write, unknown_case=EXIT_USAGE)
    console.print(f"Wrote {report.events} events of case {report.case_id} to {report.path}.", highlight=False)


@projections_app.command("rebuild")
def projections_rebuild() -> None:
    """Recompute the cases and case_areas tables from the events alone, in one transaction (as the owner)."""
    config = settings()

    async def rebuild() -> RebuildReport:
        async with connect(config, owner=True) as services:
            with console.status("Rebuilding the read model…"):
                return await services.audit.rebuild_projections()

    report = run(rebuild, unknown_case=EXIT_USAGE)
    console.print(f"Rebuilt the read model: {report.cases} case(s) from {report.events} events.")
