"""The store's and Temporal's failures under the names admin's adapters catch them by.

The API, the pages and the CLI import neither asyncpg nor the Temporal client (import-linter
holds them to it); what they must tell apart — no schema yet, a role without the right, a lost
connection, text PostgreSQL cannot store, Temporal refusing a call — is named here.
"""

from __future__ import annotations

import asyncpg
from temporalio.service import RPCError

from runtime.bootstrap import Unreachable
from store.errors import UnknownCase

NoSchema: tuple[type[Exception], ...] = (asyncpg.UndefinedTableError, asyncpg.UndefinedFunctionError)
"""The database lacks tables or functions (the log's sequencer): ``inspections db migrate`` has not run."""
NotPermitted = asyncpg.InsufficientPrivilegeError
"""The database role may not do this (e.g. the application role rebuilding the read model)."""
CONNECTION_LOST: tuple[type[Exception], ...] = (OSError, asyncpg.PostgresConnectionError)
"""The database went away during the work."""
UNSTORABLE_TEXT: tuple[type[Exception], ...] = (
    asyncpg.CharacterNotInRepertoireError,
    asyncpg.UntranslatableCharacterError,
)
"""A parameter held a NUL character or a broken Unicode escape (PostgreSQL text cannot hold them)."""
TemporalRefused = RPCError
"""Temporal answered a call, but not with the case's answer."""

__all__ = [
    "CONNECTION_LOST",
    "UNSTORABLE_TEXT",
    "NoSchema",
    "NotPermitted",
    "TemporalRefused",
    "UnknownCase",
    "Unreachable",
]
