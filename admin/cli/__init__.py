"""The ``inspections`` command-line tool: typer commands over the service layer (``admin.services``).

``cases`` and ``history`` (cases.py), ``users``, ``organisers``, ``notices``, ``keys``, ``db``/``audit``/``projections``
(audit.py), ``archive``/``records`` (records.py), ``run``/``worker``/``mail-sink`` (stack.py) and ``seeds``;
what they share is in support.py.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from admin.cli import audit, records, stack
from admin.cli.cases import cases_app, history_app
from admin.cli.keys import keys_app
from admin.cli.notices import notices_app
from admin.cli.organisers import organisers_app
from admin.cli.users import users_app
from admin.replay import replay
from admin.seeds import NOTE, SEEDS

app = typer.Typer(help="Follow-up of school inspections: cases, audit trail and the local stack.", no_args_is_help=True)
console = Console()
audit.register(app)  # db, audit, projections
stack.register(app)  # run, worker, mail-sink
records.register(app)  # archive, records
app.add_typer(notices_app, name="notices")
app.add_typer(organisers_app, name="organisers")
app.add_typer(users_app, name="users")
app.add_typer(cases_app, name="cases")
app.add_typer(history_app, name="history")
app.add_typer(keys_app, name="keys")


@app.command("seeds")
def seeds_command() -> None:
    """Replay both seed cases (Ludvika, Trelleborg) through the domain and print their timelines."""
    for name, seed in SEEDS.items():
        table = Table(title=f"{seed.organiser_name} ({name})", title_justify="left")
        for column in ("nr", "datum", "händelse", "vem", "roll", "status efter"):
            table.add_column(column)
        seq = 0
        for state, events in replay(seed):
            for event in events:
                seq += 1
                table.add_row(
                    str(seq),
                    event.occurred_on.isoformat(),
                    event.type,
                    event.actor.username,
                    event.actor.role.value,
                    state.status.value,
                )
        console.print(table)
        areas = ", ".join(f"{a.code}: {a.status.value}" for a in state.areas)
        console.print(f"  status: {state.status.value}, omgång {state.round}, områden: {areas}\n")
    console.print(f"[dim]{NOTE}[/dim]")


def main() -> None:
    """Entry point of the console script."""
    app()
