"""``inspections organisers add|list``: school organisers and the address their notices go to."""

from __future__ import annotations

import typer
from rich.table import Table

from admin.cli.support import connect, console, run, settings
from domain.organisers import Organiser

organisers_app = typer.Typer(help="School organisers and their notice addresses.", no_args_is_help=True)


@organisers_app.command("add")
def add_organiser(organiser_id: str, name: str, email: str) -> None:
    """Register an organiser (or change its name and notice address)."""
    config = settings()

    async def save() -> tuple[Organiser, bool]:
        async with connect(config) as services:
            return await services.organisers.save(organiser_id, name, email)  # a DomainError names the field

    organiser, created = run(save)
    done = "är registrerad" if created else "är ändrad"
    console.print(f"Huvudmannen {organiser.name} ({organiser.organiser_id}) {done}.")


@organisers_app.command("list")
def list_organisers() -> None:
    """Every registered organiser."""
    config = settings()

    async def fetch() -> list[Organiser]:
        async with connect(config) as services:
            return await services.organisers.list()

    table = Table(title="Huvudmän")
    for column in ("organisationsnummer", "namn", "e-post för utskick"):
        table.add_column(column)
    for o in run(fetch):
        table.add_row(o.organiser_id, o.name, o.email)
    console.print(table)
