"""What every ``inspections`` command shares: settings, the services, exit codes, error messages.

Exit codes: 0 done; 1 refused or failed (a rule said no, an unknown case or user, the case did not
answer, the audit chain is broken); 2 usage or configuration (bad input file, no stack configured or
reachable, no schema yet, a database role without the right). A user's error is a message on
stderr, never a traceback.

What the CLI says to a person is Swedish, as the pages are: a refusal is told from the message
catalogue (``admin.texts``) after its code and field, which stay as the API names them. Options'
help texts are English (typer's own words around them are), and so are the details a lower layer
adds in parentheses (an OS or configuration error).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from admin.services import Services
from admin.services.cases import Unavailable
from admin.services.errors import CONNECTION_LOST, NoSchema, NotPermitted, TemporalRefused, UnknownCase, Unreachable
from admin.texts import tell, tell_key
from domain import DomainError, User
from domain.errors import from_validation
from runtime.bootstrap import Wiring, bootstrap
from runtime.config import ConfigError, Settings, load_settings

T = TypeVar("T")

EXIT_REFUSED = 1
EXIT_USAGE = 2

console = Console()
errors = Console(stderr=True, highlight=False, soft_wrap=True)


class CliError(Exception):
    """A failure to report as one line and an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_REFUSED) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def fail(message: str, exit_code: int = EXIT_REFUSED) -> NoReturn:
    """Print ``message`` on stderr and stop with ``exit_code``."""
    errors.print(f"[red]fel:[/red] {message}")
    sys.stderr.flush()
    raise typer.Exit(exit_code)


def settings() -> Settings:
    """The settings (env or the local stack's file); exit 2 when no database is configured."""
    try:
        loaded = load_settings()
        loaded.app_database_url()
        loaded.deadline_policy()
    except (ConfigError, ValueError, OSError) as error:
        fail(str(error), EXIT_USAGE)
    return loaded


@asynccontextmanager
async def wired(config: Settings, temporal: bool = False, owner: bool = False) -> AsyncIterator[Wiring]:
    """The connections a command needs, made by ``runtime.bootstrap`` (a part that does not answer: exit 2)."""
    async with bootstrap(config, temporal=temporal, owner=owner, pool_size=4) as wiring:
        yield wiring


@asynccontextmanager
async def connect(config: Settings, temporal: bool = False, owner: bool = False) -> AsyncIterator[Services]:
    """The services over the connections a command needs (``temporal``: commands; ``owner``: the schema owner's)."""
    async with wired(config, temporal=temporal, owner=owner) as wiring:
        yield Services.wired(wiring)


async def acting_user(services: Services, username: str) -> User:
    """The active user called ``username`` (``--as``); CliError when there is none."""
    account = await services.users.account(username)
    if account is None:
        raise CliError(f"Det finns ingen användare som heter {username!r}; se `inspections users list`.")
    if not account.active:
        raise CliError(f"Användaren {username!r} är inaktiverad.")
    return account.as_user()


def named(words: dict[str, str], code: str) -> str:
    """A code in Swedish words with the code itself after them, as an operator types it: "Avslutat (closed)"."""
    return f"{words[code]} ({code})" if code in words else code


def refusal(error: DomainError) -> str:
    """A refusal as the CLI tells it: its code (as the API names it), then each refused field and why, in Swedish."""
    reasons = [f"{e.field}: {tell(e)}" if e.field else tell(e) for e in error.all]
    head = f"nekad ({error.code.value})"
    return f"{head}: {reasons[0]}" if len(reasons) == 1 else head + ":\n  " + "\n  ".join(reasons)


def run(work: Callable[[], Coroutine[Any, Any, T]], unknown_case: int = EXIT_REFUSED) -> T:
    """Run ``work``; refusals and failures become a message and an exit code, not a traceback.

    ``unknown_case``: the exit code when no case has the id or Dnr given (the store commands answer 2).
    """
    try:
        return asyncio.run(work())
    except CliError as error:
        fail(error.message, error.exit_code)
    except Unreachable as error:  # the database or Temporal did not answer
        part = {"temporal": "Temporal", "database": "databasen"}.get(error.part, "systemet")
        where = f" på {error.where}" if error.where else ""
        detail = f" ({error.detail})" if error.detail else f" ({error})"
        fail(f"Kan inte ansluta till {part}{where}{detail}. Är stacken igång (`make run`)?", EXIT_USAGE)
    except ConfigError as error:  # e.g. no Temporal payload keys
        fail(f"Inställningarna går inte att använda: {error}", EXIT_USAGE)
    except DomainError as error:
        fail(refusal(error))
    except ValidationError as error:
        fail(refusal(from_validation(error.errors())))
    except UnknownCase as error:
        fail(tell_key("case.not_found", {"case_id": error.ident}), unknown_case)
    except Unavailable as error:
        fail(tell_key(error.key))
    except TemporalRefused as error:  # Temporal answered, but not with the case's answer
        fail(f"Temporal utförde inte anropet ({error.status.name}: {error.message}); skicka samma begäran igen.")
    except NoSchema:
        fail("Databasen har ingen händelselagring ännu: kör `inspections db migrate` först.", EXIT_USAGE)
    except NotPermitted as error:
        fail(
            f"Databasens roll får inte göra det här ({error}); använd ägarens URL (INSPECTIONS_DATABASE_OWNER_URL).",
            EXIT_USAGE,
        )
    except CONNECTION_LOST as error:
        fail(f"Förbindelsen bröts ({error}). Är stacken igång (`make run`)?", EXIT_USAGE)


def read_json(source: str | None) -> dict[str, Any]:
    """A JSON object from file ``source`` (``-``: standard input; None: ``{}``); exit 2 when it is not one."""
    if source is None:
        return {}
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"Kan inte läsa {source} ({getattr(error, 'strerror', None) or error}).", EXIT_USAGE)
    name = "Standard input" if source == "-" else source
    try:
        body = json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"{name} är inte giltig JSON: fel på rad {error.lineno}, kolumn {error.colno} ({error.msg}).", EXIT_USAGE)
    if not isinstance(body, dict):
        fail(f"{name} måste innehålla ett JSON-objekt ({{...}}), inte {type(body).__name__}.", EXIT_USAGE)
    return body
