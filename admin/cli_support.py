"""What the ``users``, ``cases`` and ``history`` commands share: settings, connections, exit codes.

Exit codes: 0 done; 1 refused or failed (a rule said no, an unknown case or user, the case
did not answer); 2 usage or configuration (bad input file, no stack configured or reachable).
A user's error is a one-line message on stderr, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import asyncpg
import typer
from pydantic import ValidationError
from rich.console import Console
from temporalio.client import Client
from temporalio.service import RPCError

from admin.service import CaseService, Unavailable
from domain import DomainError, User
from runtime.config import ConfigError, Settings, load_settings
from store import users
from store.errors import UnknownCase

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
    errors.print(f"[red]error:[/red] {message}")
    raise typer.Exit(exit_code)


def settings() -> Settings:
    """The settings (env or the local stack's file); exit 2 when no database is configured."""
    try:
        loaded = load_settings()
        loaded.app_database_url()
    except (ConfigError, ValueError, OSError) as error:
        fail(str(error), EXIT_USAGE)
    return loaded


@dataclass
class Connections:
    """A pool on the application database and, when asked for, a Temporal client."""

    settings: Settings
    pool: asyncpg.Pool
    client: Client | None = None

    @property
    def cases(self) -> CaseService:
        """The JSON API's use cases: commands need ``connect(..., temporal=True)``; reads need only the pool."""
        return CaseService(self.pool, self.client, self.settings.task_queue)  # type: ignore[arg-type]

    async def user(self, username: str) -> User:
        """The active user called ``username``; CliError when there is none."""
        record = await users.get(self.pool, username)
        if record is None:
            raise CliError(f"There is no user called {username!r}; see `inspections users list`.")
        if not record.active:
            raise CliError(f"The user {username!r} is deactivated.")
        return record.as_user()


@asynccontextmanager
async def connect(config: Settings, temporal: bool = False) -> AsyncIterator[Connections]:
    """Open the connections a command needs; a CliError (exit 2) naming the part that did not answer."""
    url = config.app_database_url()
    try:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=4, timeout=10)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        raise CliError(
            f"Cannot connect to the database ({error}). Is the stack running (`make run`)?", EXIT_USAGE
        ) from None
    try:
        client = None
        if temporal:
            from runtime.bootstrap import Unreachable, connect_temporal

            try:
                client = await connect_temporal(config)
            except Unreachable as error:
                raise CliError(str(error), EXIT_USAGE) from None
        yield Connections(config, pool, client)
    finally:
        await pool.close()


def run(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``work``; refusals and failures become a message and an exit code, not a traceback."""
    try:
        return asyncio.run(work())
    except CliError as error:
        fail(error.message, error.exit_code)
    except DomainError as error:
        where = f" ({error.field})" if error.field else ""
        fail(f"refused: {error.code.value}{where}: {error.message}")
    except ValidationError as error:
        from admin.errors import field_details  # here only: it brings in FastAPI

        fields = "; ".join(f"{d['field']}: {d['message']}" for d in field_details(list(error.errors())))
        fail(f"refused: validation_error: {fields}")
    except UnknownCase as error:
        fail(str(error))
    except Unavailable as error:
        fail(str(error))
    except RPCError as error:  # Temporal answered, but not with the case's answer
        fail(
            f"Temporal did not carry out the call ({error.status.name}: {error.message}); send the same request again."
        )
    except asyncpg.UndefinedTableError:
        fail("The database has no schema yet: run `inspections db migrate` first.", EXIT_USAGE)
    except (OSError, asyncpg.PostgresConnectionError) as error:
        fail(f"Lost the connection: {error}. Is the stack running (`make run`)?", EXIT_USAGE)


def read_json(source: str | None) -> dict[str, Any]:
    """A JSON object from file ``source`` (``-``: standard input; None: ``{}``); exit 2 when it is not one."""
    if source is None:
        return {}
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"Cannot read {source}: {getattr(error, 'strerror', None) or error}.", EXIT_USAGE)
    name = "standard input" if source == "-" else source
    try:
        body = json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.", EXIT_USAGE)
    if not isinstance(body, dict):
        fail(f"{name} must hold a JSON object ({{...}}), not {type(body).__name__}.", EXIT_USAGE)
    return body
