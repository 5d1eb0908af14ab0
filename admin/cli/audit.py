"""``inspections db``, ``audit`` and ``projections``: the schema, the audit trail and the read model.

Database URLs come from runtime.config (``INSPECTIONS_DATABASE_URL`` / ``_OWNER_URL`` or the
local stack); the checkpoint key from ``INSPECTIONS_CHECKPOINT_KEY_FILE`` (``make run`` makes one).
Exit codes as in ``admin.cli.support``: ``audit verify`` exits 1 naming each finding, ``audit checkpoint``
1 when the log no longer extends the latest signed checkpoint; a missing key, a malformed public key or
checkpoint file, and an unknown case are requests that could not be served (2). Findings are told in
Swedish from the message catalogue; ``audit verify --json`` prints the report as the API gives it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from admin.cli.support import EXIT_REFUSED, EXIT_USAGE, CliError, connect, console, fail, run, settings
from admin.services.audit import (
    AuditReport,
    CheckpointConflict,
    CheckpointKeyError,
    CheckpointRefused,
    Failure,
    NoteError,
    ProvenExportReport,
    RebuildReport,
    StoredCheckpoint,
)
from admin.texts import tell_key
from runtime.bootstrap import migrate_schema

db_app = typer.Typer(help="The PostgreSQL database: schema migrations and its URL.", no_args_is_help=True)
audit_app = typer.Typer(
    help="The audit trail: verify it, sign checkpoints of its log, export a case with proofs.", no_args_is_help=True
)
projections_app = typer.Typer(help="The read model (cases, case areas) derived from the events.", no_args_is_help=True)
PUBLIC_KEY_HELP = "Check against this public key (<name>+<key id>+<base64>) instead of the key file's."


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
        f"Körde {len(applied)} migreringar: {', '.join(applied)}."
        if applied
        else "Databasens schema är aktuellt; inget att köra."
    )


@db_app.command("url")
def db_url() -> None:
    """Print the application's PostgreSQL URL (the one the local stack uses)."""
    typer.echo(settings().app_database_url())


def _checkpoint_errors(error: Exception) -> CliError:
    """The message and exit code of a checkpoint key, file or log problem (its English detail in parentheses)."""
    if isinstance(error, CheckpointKeyError):
        return CliError(f"Nyckeln som signerar kontrollpunkterna går inte att använda ({error})", EXIT_USAGE)
    if isinstance(error, NoteError):
        return CliError(f"Den publika nyckeln eller kontrollpunkten går inte att läsa ({error})", EXIT_USAGE)
    if isinstance(error, CheckpointConflict):  # another checkpoint of the same size was sent out: the log forked
        return CliError(f"En annan kontrollpunkt av samma storlek har redan skickats ut ({error})", EXIT_REFUSED)
    return CliError(f"{tell_key('audit.refused')} ({error})", EXIT_REFUSED)  # CheckpointRefused: the log changed


@audit_app.command("verify")
def audit_verify(
    case: Annotated[str | None, typer.Option("--case", help="Only this case's chain (case id or Dnr).")] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option("--checkpoint", help="A signed checkpoint file the log must extend.", dir_okay=False),
    ] = None,
    public_key: Annotated[str | None, typer.Option("--public-key", help=PUBLIC_KEY_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON (as GET /audit/verify).")] = False,
) -> None:
    """Verify every chain, the log against a signed checkpoint (FILE, or the latest stored), where each case's
    chain ends in the log, and the read model; exit 0 when all holds, 1 naming every finding."""
    config = settings()
    note = _read_note(checkpoint) if checkpoint is not None else None

    async def check() -> AuditReport:
        async with connect(config) as services:
            case_id = await services.audit.resolve(case) if case is not None else None
            with console.status("Kontrollerar händelseloggen …"):
                try:
                    return await services.audit.verify(case_id, note, public_key)
                except (CheckpointKeyError, NoteError) as error:
                    raise _checkpoint_errors(error) from None

    report = run(check, unknown_case=EXIT_USAGE)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        raise typer.Exit(0 if report.ok else EXIT_REFUSED)
    against = (
        f" mot den signerade kontrollpunkten för {report.checkpoint_size} händelser" if report.checkpoint_size else ""
    )
    if report.ok:
        console.print(
            f"Händelseloggen håller: {report.events_checked} händelser i {report.cases_checked} ärenden"
            + (f", en logg med {report.tree_size} händelser{against}" if report.tree_size is not None else "")
            + (f"; {report.pending} händelser är ännu inte loggade" if report.pending else "")
            + ".",
            highlight=False,
            soft_wrap=True,
        )
        return
    console.print(f"Händelseloggen är INTE hel{against}:", highlight=False, soft_wrap=True)
    for failure in report.failures:
        console.print(f"  {_where(failure)}: {_finding(failure)}", highlight=False, soft_wrap=True)
    console.print(
        f"{len(report.failures)} fel; {report.events_checked} händelser i {report.cases_checked} ärenden "
        "kontrollerade.",
        soft_wrap=True,
    )
    raise typer.Exit(EXIT_REFUSED)


def _where(failure: Failure) -> str:
    """Where a finding lies: its case, seq and log index as far as they are known."""
    parts = [f"ärende {failure.case_id}" if failure.case_id else ""]
    parts.append(f"löpnummer {failure.seq}" if failure.seq is not None else "")
    parts.append(f"plats i loggen {failure.log_index}" if failure.log_index is not None else "")
    return ", ".join(p for p in parts if p) or "loggen"


def _finding(failure: Failure) -> str:
    """A finding in Swedish from the catalogue (``domain.messages.findings``); an English detail after it."""
    if failure.key is None:
        return failure.reason
    told = tell_key(failure.key, failure.params)
    english = tell_key(failure.key, failure.params, "en")
    detail = failure.reason.removeprefix(english).removeprefix(": ")
    return f"{told} ({detail})" if detail and detail != failure.reason else told


def _read_note(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"Kan inte läsa kontrollpunkten {path} ({getattr(error, 'strerror', None) or error}).", EXIT_USAGE)


@audit_app.command("checkpoint")
def audit_checkpoint(
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the signed checkpoint to this file.", dir_okay=False)
    ] = None,
) -> None:
    """Sign a checkpoint of the whole log now (the latest again when no event came since), store it and send
    it out to the checkpoint folder; exit 1 when the log no longer extends the latest signed checkpoint."""
    config = settings()

    async def sign() -> StoredCheckpoint:
        async with connect(config) as services:
            try:
                return await services.audit.checkpoint()
            except (CheckpointKeyError, CheckpointRefused, CheckpointConflict) as error:
                raise _checkpoint_errors(error) from None

    made = run(sign, unknown_case=EXIT_USAGE)
    if out is not None:
        out.write_text(made.note, encoding="utf-8")
    where = f" och till {out}" if out is not None else ""
    console.print(
        f"Kontrollpunkt för {made.tree_size} händelser, rotsumma {made.root_hash}, skriven till "
        f"{config.checkpoint_out_dir}/checkpoint-{made.tree_size}.txt{where}.",
        highlight=False,
        soft_wrap=True,
    )


@audit_app.command("public-key")
def audit_public_key() -> None:
    """Print the public key that checks the checkpoints (publish it; auditors verify exports with it)."""
    config = settings()

    async def read() -> str:
        async with connect(config) as services:
            try:
                return services.audit.public_key()
            except CheckpointKeyError as error:
                raise _checkpoint_errors(error) from None

    typer.echo(run(read, unknown_case=EXIT_USAGE))


@audit_app.command("export")
def audit_export(
    case: Annotated[str, typer.Option("--case", help="The case id or Dnr.")],
    out: Annotated[Path, typer.Option("--out", help="The JSON Lines file to write.", dir_okay=False)],
) -> None:
    """Write a case's proven export: a checkpoint is signed first, then the case's events (one a line, with
    their hashes, log index and inclusion proof) and the signed checkpoint (``tools/verify_export.py``)."""
    config = settings()

    async def write() -> ProvenExportReport:
        async with connect(config) as services:
            try:
                return await services.audit.export(case, out)
            except (CheckpointKeyError, CheckpointRefused, CheckpointConflict) as error:
                raise _checkpoint_errors(error) from None

    report = run(write, unknown_case=EXIT_USAGE)
    console.print(
        f"Skrev {report.events} händelser i ärendet {report.case_id} till {report.path}, "
        f"{report.proven} med bevis för att de ingår i den signerade kontrollpunkten för {report.tree_size} händelser.",
        highlight=False,
        soft_wrap=True,
    )


@projections_app.command("rebuild")
def projections_rebuild() -> None:
    """Recompute the cases and case_areas tables from the events alone, in one transaction (as the owner)."""
    config = settings()

    async def rebuild() -> RebuildReport:
        async with connect(config, owner=True) as services:
            with console.status("Bygger om ärendeförteckningen …"):
                return await services.audit.rebuild_projections()

    report = run(rebuild, unknown_case=EXIT_USAGE)
    console.print(f"Ärendeförteckningen är ombyggd: {report.cases} ärenden från {report.events} händelser.")
