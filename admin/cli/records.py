"""``inspections archive export`` (a case's E-ARK package) and ``inspections records register|rules|dispose``.

Exit codes as everywhere (admin.cli.support): 0 done; 1 refused (an open case without --include-open, an
unknown case or Dnr, no checkpoint could be signed); 2 usage (a target that cannot be written, rules that
cannot be read, a user that cannot dispose, a date that cannot be read).

What they print is Swedish, as the register page is: refusals from the message catalogue after their code and
field (``admin.cli.support.refusal``), directions and roles in words with their codes after them. What scripts
read is unchanged: ``records register --csv`` has the API's columns and codes.
"""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.table import Table

from admin.cli.audit import _checkpoint_errors
from admin.cli.support import (
    EXIT_USAGE,
    CliError,
    acting_user,
    connect,
    console,
    fail,
    named,
    refusal,
    run,
    settings,
)
from admin.services.archive import ArchiveTargetError, CaseStillOpen, PackageReport
from admin.services.audit import CheckpointConflict, CheckpointKeyError, CheckpointRefused
from admin.services.records import DisposalReport, RegisterRow, to_csv
from domain import ActorRef, DomainError, Role
from domain.errors import ErrorCode
from domain.register import DIRECTION_LABELS
from runtime.config import ConfigError

DIRECTIONS = {d.value: text for d, text in DIRECTION_LABELS.items()}

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
            except CaseStillOpen:
                state = await services.cases.record(await services.audit.resolve(case))
                assert state is not None, "a case the archive found open has a read-model row"
                params = {"dnr": state.dnr, "state": state.status.value}
                told = refusal(DomainError(ErrorCode.CONFLICT, "archive.case_open", "case_id", params))
                raise CliError(f"{told} Med --include-open skrivs ett paket som är märkt som inte slutligt.") from None
            except ArchiveTargetError as error:
                raise CliError(_target_problem(out, error), EXIT_USAGE) from None
            except (CheckpointKeyError, CheckpointRefused, CheckpointConflict) as error:
                raise _checkpoint_errors(error) from None

    report = run(export)
    final = "" if report.final else " (INTE slutligt: ärendet är inte avslutat)"
    disposed = f", {report.disposed} gallrade (förtecknade, inte med i paketet)" if report.disposed else ""
    console.print(
        f"Paketet {report.package_id}{final} skrevs till {report.path}: {report.files} filer, "
        f"{report.documents} handlingar{disposed}.",
        highlight=False,
        soft_wrap=True,
    )


def _target_problem(out: Path, error: ArchiveTargetError) -> str:
    """Why the package cannot be written to ``out``, in Swedish; the archive's English detail in parentheses."""
    folder = out.parent if out.suffix.lower() == ".zip" else out
    if folder.exists() and not folder.is_dir():
        return f"{folder} är en fil: ange en mapp, eller en fil som slutar på .zip."
    if not folder.is_dir():
        return f"Mappen {folder} finns inte: skapa den eller ange en annan --out."
    return f"Paketet kan inte skrivas till {out} ({error})."


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
    first, last = _day("from", from_), _day("to", to)
    if first and last and first > last:
        params = {"date": first.isoformat(), "earlier": last.isoformat()}
        _refuse(DomainError(ErrorCode.VALIDATION_ERROR, "register.from_after_to", "from", params))

    async def search() -> list[RegisterRow]:
        async with connect(config) as services:
            return await services.records.search(from_=first, to=last, dnr=dnr, counterpart=counterpart)

    rows = run(search)
    if as_csv:
        sys.stdout.write(to_csv(rows))
        return
    table = Table(title=f"Diarium ({_count(len(rows), 'post', 'poster')})", title_justify="left")
    for column in ("registrerad", "Dnr", "nr", "riktning", "avsändare eller mottagare", "handling", "sekretess", "fil"):
        table.add_column(column)
    for r in rows:
        gone = f" (gallrad {r.disposed_on})" if r.disposed_on else ""
        secrecy = f"{r.secrecy_lagrum} ({r.secrecy_marked_on})" if r.secrecy_lagrum else ""
        table.add_row(
            r.registered_on.isoformat(),
            r.dnr,
            str(r.number),
            named(DIRECTIONS, r.direction.value),
            r.counterpart or "",
            r.description,
            secrecy,
            (r.document_sha256[:12] if r.document_sha256 else "") + gone,
        )
    console.print(table)


def _day(option: str, text: str | None) -> date | None:
    """The date typed after ``--from`` or ``--to``; a refusal from the catalogue (exit 2) when it is none."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        key = "register.from_unreadable" if option == "from" else "register.to_unreadable"
        _refuse(DomainError(ErrorCode.VALIDATION_ERROR, key, option, {"value": text}))


def _refuse(error: DomainError) -> NoReturn:
    """Stop with the refusal as the CLI tells it, as a usage error (exit 2)."""
    fail(refusal(error), EXIT_USAGE)


@records_app.command("rules")
def records_rules() -> None:
    """The configured disposal rules (INSPECTIONS_DISPOSAL_RULES)."""
    config = settings()
    try:
        rules = config.disposal()
    except ConfigError as error:  # its detail names the rule and what is wrong (English, as configuration is)
        fail(f"Gallringsreglerna går inte att använda ({error}).", EXIT_USAGE)
    if not rules:
        console.print("Inga gallringsregler är inställda (INSPECTIONS_DISPOSAL_RULES): ingenting gallras någonsin.")
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
                    params = {"user": as_user, "roles": [r.value for r in DISPOSERS]}
                    told = refusal(DomainError(ErrorCode.FORBIDDEN, "records.dispose_forbidden", "as", params))
                    raise CliError(told, EXIT_USAGE)
                actor = ActorRef(username=user.username, role=role)
            return await services.records.dispose(actor, date.today(), dry_run=dry_run)

    report = run(dispose)
    _print_disposal(report)


def _count(number: int, one: str, many: str) -> str:
    """``number`` with its noun in the singular or plural: "1 handling", "2 handlingar"."""
    return f"{number} {one if number == 1 else many}"


def _print_disposal(report: DisposalReport) -> None:
    """What a disposal run found (a dry run) or did, in Swedish."""
    if not report.rules:
        console.print("Inga gallringsregler är inställda (INSPECTIONS_DISPOSAL_RULES): ingenting gallrades.")
        return
    head = "Gallring, provkörning" if report.dry_run else "Gallring"
    console.print(f"{head}: regler {', '.join(report.rules)}", highlight=False)
    what = "skulle gallras" if report.dry_run else "gallrades"
    count = _count(len(report.items), "handling", "handlingar")
    table = Table(title=f"{count} som reglerna {what}", title_justify="left")
    for column in ("Dnr", "nr", "handling", "fil", "regel", "får gallras från", "innehållet"):
        table.add_column(column)
    for item in report.items:
        state = "–" if report.dry_run else "raderat" if item.removed else "kvar (ett annat ärende har samma fil)"
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
            f"Registrerade {_count(report.events, 'gallringshändelse', 'gallringshändelser')}; raderade innehållet i "
            f"{_count(len(report.removed), 'handling', 'handlingar')}.",
            highlight=False,
        )
