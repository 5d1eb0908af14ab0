"""``inspections cases list|show|open|command`` and ``inspections history export``.

Commands go through the same service as the JSON API (:class:`admin.services.cases.CaseService`):
the same rules, the same idempotency by ``request_id``, the same refusals. What they print is Swedish;
states, statuses and roles are told in words with their codes after them, and commands and event
types by their codes (what ``--state`` and ``cases command`` take, and what the API names).
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from admin.cli.support import CliError, acting_user, connect, console, errors, fail, named, read_json, run, settings
from admin.services.audit import StoredEvent
from domain.labels import AREA_STATUSES, ROLES, STATES
from domain.state import CaseState
from domain.values import CaseStatus
from domain.views import CaseView

cases_app = typer.Typer(help="Cases: list, show, open, and issue commands on them.", no_args_is_help=True)
history_app = typer.Typer(help="The Temporal workflow histories of a case.", no_args_is_help=True)

CaseArg = Annotated[str, typer.Argument(help="The case id or its Dnr.", show_default=False)]
AsUser = Annotated[str, typer.Option("--as", help="The username to act as (their roles apply).")]
JsonFile = Annotated[str | None, typer.Option("--json", help="The command's body as a JSON file; '-' reads stdin.")]


def _request_id(body: dict[str, Any]) -> str:
    """The body's request_id, or a fresh one added to it (printed, so that a retry can reuse it)."""
    if not body.get("request_id"):
        body["request_id"] = str(uuid.uuid4())
    return str(body["request_id"])


def _print_view(view: CaseView, done: str, request_id: str) -> None:
    due = view.response_due.isoformat() if view.response_due else "–"
    overdue = " [red](försenad)[/red]" if view.overdue else ""
    console.print(
        f"{done}: ärende {view.dnr} ({view.case_id}) har status {named(STATES, view.state.value)}, "
        f"omgång {view.round}, redovisning senast {due}{overdue}.",
        highlight=False,
    )
    console.print(f"request_id: {request_id}", highlight=False)
    console.print(f"du får nu: {', '.join(view.allowed_commands) or 'ingenting'}", highlight=False)


@cases_app.command("list")
def list_cases(
    state: Annotated[CaseStatus | None, typer.Option("--state", help="Only cases in this state.")] = None,
    organiser: Annotated[str | None, typer.Option("--organiser", help="Only this organiser's cases.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases whose account is overdue.")] = False,
) -> None:
    """Cases matching the filters, the soonest due first."""
    config = settings()

    async def fetch() -> list[CaseState]:
        async with connect(config) as services:
            return await services.cases.find(
                state=state.value if state else None, organiser_id=organiser, overdue=True if overdue else None
            )

    found = run(fetch)
    table = Table(title=f"Ärenden ({len(found)})", title_justify="left")
    for column in ("Dnr", "ärende-id", "huvudman", "status", "omgång", "redovisning senast", "försenad", "rubrik"):
        table.add_column(column)
    for c in found:
        table.add_row(
            c.dnr,
            c.case_id,
            c.organiser_id,
            named(STATES, c.status.value),
            str(c.round),
            c.response_due.isoformat() if c.response_due else "",
            "ja" if c.overdue else "",
            c.title,
        )
    console.print(table)


@cases_app.command("show")
def show_case(
    case: CaseArg,
    as_user: Annotated[str | None, typer.Option("--as", help="Also list what this user may do now.")] = None,
) -> None:
    """A case: state, due date, areas, the commands --as USER may issue, and its timeline of events."""
    config = settings()

    async def fetch() -> tuple[CaseState | None, CaseView | None, list[StoredEvent]]:
        async with connect(config) as services:
            case_id = await services.audit.resolve(case)
            view = await services.cases.get(await acting_user(services, as_user), case_id) if as_user else None
            return await services.cases.record(case_id), view, await services.audit.events(case_id)

    state, view, events = run(fetch)
    if state is None:
        fail(
            f"Ärendet {case!r} har händelser men ingen rad i ärendeförteckningen: "
            "kör `inspections projections rebuild`."
        )
    due = state.response_due.isoformat() if state.response_due else "–"
    console.print(
        f"[bold]{state.dnr}[/bold]  {state.title}\n  ärende-id {state.case_id}, huvudman "
        f"{state.organiser_id}\n  status [bold]{named(STATES, state.status.value)}[/bold], omgång {state.round}, "
        f"redovisning senast {due}" + (" [red]FÖRSENAD[/red]" if state.overdue else ""),
        highlight=False,
    )
    areas = Table(title="Bedömningsområden", title_justify="left")
    for column in ("kod", "rubrik", "status"):
        areas.add_column(column)
    for a in state.areas:
        areas.add_row(a.code, a.title, named(AREA_STATUSES, a.status.value))
    console.print(areas)
    if view is not None:
        console.print(f"{as_user} får nu: {', '.join(view.allowed_commands) or 'ingenting'}", highlight=False)
    timeline = Table(title="Händelser", title_justify="left")
    for column in ("nr", "datum", "händelse", "vem", "roll", "registrerad"):
        timeline.add_column(column)
    for e in events:
        timeline.add_row(
            str(e.seq),
            e.occurred_on.isoformat(),
            e.type,
            e.actor.username,
            ROLES.get(e.actor.role.value, e.actor.role.value),
            e.recorded_at.isoformat(timespec="seconds"),
        )
    console.print(timeline)


@cases_app.command("open")
def open_case(as_user: AsUser, json_file: JsonFile = None) -> None:
    """Open a case (role inspector) from a JSON body as POST /api/v1/cases takes it."""
    config = settings()
    body = read_json(json_file)
    request_id = _request_id(body)

    async def send() -> tuple[CaseView, bool]:
        async with connect(config, temporal=True) as services:
            return await services.cases.open_case(await acting_user(services, as_user), body)

    view, new = run(send)
    _print_view(view, "Öppnat" if new else "Redan öppnat av den här begäran", request_id)


@cases_app.command("command")
def command_case(
    case: CaseArg,
    command: Annotated[str, typer.Argument(help="e.g. sign-decision.")],
    as_user: AsUser,
    json_file: JsonFile = None,
) -> None:
    """Issue a command (docs/api.md's table) with a JSON body; a retry with the same request_id takes effect once."""
    config = settings()
    body = read_json(json_file)
    request_id = _request_id(body)

    async def send() -> CaseView:
        async with connect(config, temporal=True) as services:
            case_id = await services.audit.resolve(case)
            return await services.cases.command(await acting_user(services, as_user), case_id, command, body)

    _print_view(run(send), f"{command} utfört", request_id)


@history_app.command("export")
def export_history(
    case: CaseArg,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.", dir_okay=False)
    ] = None,
) -> None:
    """The Temporal histories of the case's workflow and its round children, every run, as one JSON document."""
    config = settings()

    async def fetch() -> dict[str, Any]:
        async with connect(config, temporal=True) as services:
            case_id = await services.audit.resolve(case)
            state = await services.cases.record(case_id)
            runs = await services.audit.histories(case_id, state.round if state else 0)
            if not runs:
                raise CliError(f"Temporal har ingen historik för ärendet {case} längre (eller startade det aldrig).")
            return {"case_id": case_id, "dnr": state.dnr if state else None, "workflows": runs}

    bundle = run(fetch)
    text = json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    out.write_text(text, encoding="utf-8")
    events = sum(len(r["history"].get("events", [])) for r in bundle["workflows"])
    errors.print(f"Skrev {len(bundle['workflows'])} körningar av arbetsflöden, {events} historikhändelser, till {out}.")
