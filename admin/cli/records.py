"""``inspections archive export`` (a case's E-ARK package) and ``inspections records register|rules|dispose``.

Exit codes as everywhere (admin.cli.support): 0 done; 1 refused (an open case without --include-open, an
unknown case or Dnr, no checkpoint could be signed); 2 usage (a target that cannot be written, rules that
cannot be read, a user that cannot dispose).
"""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from admin.cli.support import EXIT_USAGE, CliError, acting_user, connect, console, run, settings
from admin.services.archive import ArchiveTargetError, CaseStillOpen, PackageReport
from admin.services.audit import CheckpointConflict, CheckpointKeyError, CheckpointRefused
from admin.services.records import DisposalReport, RegisterRow, to_csv
from domain import ActorRef, Role

archive_app = typer.Typer(
    help="Archival packages (E-ARK SIP, FGS Paketstruktur 2.0) of ended cases.", no_args_is_help=True
)
records_app = typer.Typer(help="The register (diarium) and disposal (gallring) by rule.", no_args_is_help=True)
DISPOSERS = (Role.REGISTRAR, Role.AUDITOR, Role.ADMIN)


def register(app: typer.Typer) -> None:
    """Add the ``archive`` and ``records`` command groups to ``app``."""
    app.add_typer(archive_app, name="archive")
    app.add_typer(records_app, name="records")


@archive_app.command("export")
def archive_export(
    case: Annotated[str, typer.Option("--case", help="The case id or its Dnr.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="A folder (gets the package's folder) or FILE.zip.")],
    include_open: Annotated[
        bool, typer.Option("--include-open", help="Also a case still open: the package is marked as not final.")
    ] = False,
) -> None:
    """Write the case's E-ARK SIP: METS, PREMIS, the case as CITS ERMS XML, its PDF/A documents, its events with
    hash chain and inclusion proofs, and the signed checkpoint (one is signed first)."""
    config = settings()

    async def export() -> PackageReport:
        async with connect(config) as services:
            try:
                return await services.archive.export(case, out, include_open=include_open)
            except CaseStillOpen as error:
                raise CliError(str(error)) from None
            except ArchiveTargetError as error:
                raise CliError(str(error), EXIT_USAGE) from None
            except CheckpointKeyError as error:
                raise CliError(str(error), EXIT_USAGE) from None
            except (CheckpointRefused, CheckpointConflict) as error:
                raise CliError(str(error)) from None

    report = run(export)
    final = "" if report.final else " (NOT final: the case is open)"
    disposed = f", {report.disposed} disposed of (listed, not included)" if report.disposed else ""
    console.print(
        f"Wrote package {report.package_id}{final} to {report.path}: {report.files} files, "
        f"{report.documents} documents{disposed}.",
        highlight=False,
    )


@records_app.command("register")
def records_register(
    from_: Annotated[str | None, typer.Option("--from", help="Registered on or after (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Registered on or before (YYYY-MM-DD).")] = None,
    dnr: Annotated[str | None, typer.Option("--dnr", help="Only this case's Dnr.")] = None,
    counterpart: Annotated[str | None, typer.Option("--counterpart", help="Part of the counterpart's name.")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV on stdout (the API's columns).")] = False,
) -> None:
    """The register (diarium): each handling with its date, Dnr, direction, counterpart and description."""
    config = settings()
    try:
        first = date.fromisoformat(from_) if from_ else None
        last = date.fromisoformat(to) if to else None
    except ValueError:
        raise typer.BadParameter("--from and --to are dates such as 2025-06-26.") from None

    async def search() -> list[RegisterRow]:
        async with connect(config) as services:
            return await services.records.search(from_=first, to=last, dnr=dnr, counterpart=counterpart)

    rows = run(search)
    if as_csv:
        sys.stdout.write(to_csv(rows))
        return
    table = Table(title="Diarium", title_justify="left")
    for column in ("date", "Dnr", "nr", "direction", "counterpart", "description", "secrecy", "document"):
        table.add_column(column)
    for r in rows:
        gone = f" (gallrad {r.disposed_on})" if r.disposed_on else ""
        table.add_row(
            r.registered_on.isoformat(),
            r.dnr,
            str(r.number),
            r.direction.value,
            r.counterpart or "",
            r.description,
            r.secrecy_lagrum or "",
            (r.document_sha256[:12] if r.document_sha256 else "") + gone,
        )
    console.print(table)


@records_app.command("rules")
def records_rules() -> None:
    """The configured disposal rules (INSPECTIONS_DISPOSAL_RULES)."""
    config = settings()
    try:
        rules = config.disposal()
    except ValueError as error:
        raise CliError(str(error), EXIT_USAGE) from None
    if not rules:
        console.print("No disposal rules are configured: nothing is ever disposed of.")
    for rule in rules:
        console.print(f"{rule.text}\t{rule.description}", highlight=False)


@records_app.command("dispose")
def records_dispose(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what the rules would dispose of now.")] = False,
    as_user: Annotated[
        str | None, typer.Option("--as", help="The registrar, auditor or admin recorded as disposing.")
    ] = None,
) -> None:
    """Apply the configured disposal rules to every ended case: record a disposal event per case and rule, then
    delete those documents' bytes (never an event, never a decision). --dry-run lists what would go."""
    config = settings()

    async def dispose() -> DisposalReport:
        async with connect(config) as services:
            actor = ActorRef(username=f"{getpass.getuser()}@cli", role=Role.SYSTEM)
            if as_user:
                user = await acting_user(services, as_user)
                role = next((r for r in DISPOSERS if user.has(r)), None)
                if role is None:
                    raise CliError(f"{as_user} may not dispose of records: needs registrar, auditor or admin.", 2)
                actor = ActorRef(username=user.username, role=role)
            return await services.records.dispose(actor, date.today(), dry_run=dry_run)

    report = run(dispose)
    _print_disposal(report)


def _print_disposal(report: DisposalReport) -> None:
    if not report.rules:
        console.print("No disposal rules are configured (INSPECTIONS_DISPOSAL_RULES): nothing was disposed of.")
        return
    console.print(f"Rules: {', '.join(report.rules)}", highlight=False)
    verb = "would dispose of" if report.dry_run else "disposed of"
    table = Table(title=f"{len(report.items)} document(s) the rules {verb}", title_justify="left")
    for column in ("Dnr", "nr", "description", "document", "rule", "due since", "bytes"):
        table.add_column(column)
    for item in report.items:
        state = "-" if report.dry_run else "deleted" if item.removed else "kept (another case holds them)"
        table.add_row(
            item.dnr,
            str(item.number),
            item.description,
            item.document_sha256[:12],
            item.rule,
            item.due_on.isoformat(),
            state,
        )
    console.print(table)
    if not report.dry_run:
        console.print(
            f"Recorded {report.events} disposal event(s); deleted the bytes of {len(report.removed)} document(s).",
            highlight=False,
        )
