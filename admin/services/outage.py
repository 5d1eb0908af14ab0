"""Which part of the system is down, told from the error a use case raised: the 503 answers name it.

The database is down when PostgreSQL refuses or drops a connection, is starting up or shutting
down, or has no connection slot left; Temporal is down when a call to it fails (``RPCError``:
unreachable, timed out, shutting down). ``Unreachable`` is raised when a process connects.
"""

from __future__ import annotations

from typing import Literal

import asyncpg
from temporalio.service import RPCError

from runtime.bootstrap import Unreachable

Part = Literal["database", "temporal", "system"]

DATABASE_DOWN: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08: the connection failed or was lost
    asyncpg.InterfaceError,  # the connection closed under a query, or was released while in use
    asyncpg.InternalClientError,  # "cannot switch to state …": a connection lost in the middle of a reset
    asyncpg.OperatorInterventionError,  # starting up, shutting down, crash recovery of another session
    asyncpg.InsufficientResourcesError,  # too many connections
    OSError,  # refused, reset (asyncpg raises the socket's own errors); TimeoutError is one
)
TEMPORAL_DOWN: tuple[type[Exception], ...] = (RPCError,)
OUTAGES: tuple[type[Exception], ...] = (*DATABASE_DOWN, *TEMPORAL_DOWN, Unreachable)
"""Every error that means "a part is down: the same request can be sent again shortly"."""


def part_down(error: BaseException) -> Part | None:
    """The part ``error`` says is down, or None when it says no such thing."""
    if isinstance(error, TEMPORAL_DOWN):
        return "temporal"
    if isinstance(error, Unreachable):
        return "temporal" if "Temporal" in str(error) else "database"
    if isinstance(error, OSError) and not isinstance(error, ConnectionError | TimeoutError):
        return "system"  # a file or socket of this process, not a connection to the database
    if isinstance(error, DATABASE_DOWN):
        return "database"
    return None


__all__ = ["DATABASE_DOWN", "OUTAGES", "TEMPORAL_DOWN", "Part", "part_down"]
