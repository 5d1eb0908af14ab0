"""``inspections users add|list|deactivate|reactivate|reset-password``: the people who log in, their roles
and organiser, and ending their logins."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from admin.cli.support import EXIT_USAGE, CliError, connect, console, fail, named, run, settings
from admin.services.users import Account, UnknownOrganiser
from domain.actors import USER_ROLES
from domain.labels import ROLES

users_app = typer.Typer(
    help="User accounts: add, list, deactivate, reactivate, reset a password.", no_args_is_help=True
)

ROLE_NAMES = ", ".join(r.value for r in USER_ROLES)


@users_app.command("add")
def add_user(
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, '.', '_' or '-'.")],
    role: Annotated[list[str], typer.Option("--role", help=f"A role ({ROLE_NAMES}); repeat for more.")],
    organiser: Annotated[
        str | None,
        typer.Option(
            "--organiser", help="The organiser a user with the role organiser acts for (its organisation number)."
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Full name, as signatures show it.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user. The password is asked for (twice) unless --password-stdin is given."""
    config = settings()
    password = _read_password(password_stdin, "Lösenord")

    async def create() -> None:
        async with connect(config) as services:
            try:
                await services.users.add(username, password, role, organiser, name)  # a DomainError names the field
            except UnknownOrganiser as error:
                raise CliError(
                    f"Det finns ingen registrerad huvudman med organisationsnummer {error.organiser_id!r}; "
                    "lägg till den först med `inspections organisers add`."
                ) from None

    run(create)
    roles = ", ".join(named(ROLES, r) for r in sorted(role))
    console.print(f"Användaren {username} är skapad: {roles}.", highlight=False)


@users_app.command("list")
def list_users() -> None:
    """Every user with roles, organiser and whether the account is active."""
    config = settings()

    async def fetch() -> list[Account]:
        async with connect(config) as services:
            return await services.users.list()

    table = Table(title="Användare", title_justify="left")
    for column in ("användarnamn", "namn", "roller", "huvudman", "aktiv"):
        table.add_column(column)
    for u in run(fetch):
        table.add_row(
            u.username,
            u.full_name or "",
            ", ".join(named(ROLES, r.value) for r in u.roles),
            u.organiser_id or "",
            "ja" if u.active else "nej",
        )
    console.print(table)


@users_app.command("deactivate")
def deactivate_user(username: Annotated[str, typer.Argument(help="The user to deactivate.")]) -> None:
    """Deactivate a user: every session and API token of theirs ends at once, and logging in is refused."""
    config = settings()

    async def change() -> Account:
        async with connect(config) as services:
            return await services.users.deactivate(username)

    run(change)
    console.print(f"{username} är inaktiverad; alla användarens inloggningar har avslutats.", highlight=False)


@users_app.command("reactivate")
def reactivate_user(username: Annotated[str, typer.Argument(help="The user to let log in again.")]) -> None:
    """Let a deactivated user log in again (the logins ended by the deactivation stay ended)."""
    config = settings()

    async def change() -> Account:
        async with connect(config) as services:
            return await services.users.reactivate(username)

    run(change)
    console.print(f"{username} är aktiverad igen och kan logga in.", highlight=False)


@users_app.command("reset-password")
def reset_password(
    username: Annotated[str, typer.Argument(help="The user whose password to set.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from standard input.")
    ] = False,
) -> None:
    """Set a user's password (asked for twice unless --password-stdin): every login of theirs ends at once."""
    config = settings()
    password = _read_password(password_stdin, "Nytt lösenord")

    async def change() -> None:
        async with connect(config) as services:
            await services.users.reset_password(username, password)

    run(change)
    console.print(
        f"{username} har fått ett nytt lösenord; alla användarens inloggningar har avslutats.", highlight=False
    )


def _read_password(from_stdin: bool, prompt: str) -> str:
    """A password from standard input's first line, or asked for twice (hidden) at the terminal until both agree."""
    if not from_stdin:
        while True:
            password: str = typer.prompt(prompt, hide_input=True)
            if typer.prompt("Skriv det igen", hide_input=True) == password:
                return password
            console.print("Lösenorden är inte lika; försök igen.")
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("--password-stdin: standard input innehöll inget lösenord.", EXIT_USAGE)
    return password
