"""Logins kept server-side: each web session and API token is a row that can be ended (issue 14).

The token itself is handed to the person once and never stored: a row holds its SHA-256, so a
copy of the table lets nobody log in. A login is valid while its row is not ended, not expired,
and its user is active; logout ends one row, a password change or deactivation every row of the
user, in the same transaction as the change (``store.users``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Literal

import asyncpg

from domain.actors import Role, User

Purpose = Literal["api", "web"]


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a token's login is kept."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


async def start(pool: asyncpg.Pool, username: str, purpose: Purpose, lifetime: timedelta) -> str:
    """A new login of ``username``: the token to hand over (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    await pool.execute(
        "INSERT INTO logins (token_hash, username, purpose, expires_at) VALUES ($1, $2, $3, now() + $4)",
        token_hash(token),
        username,
        purpose,
        lifetime,
    )
    # Expired rows of this user are of no use any more: tidy them away here, where the user is at hand.
    await pool.execute("DELETE FROM logins WHERE username = $1 AND expires_at < now() - interval '1 day'", username)
    return token


async def user_of(pool: asyncpg.Pool, token: str, purpose: Purpose) -> User | None:
    """The active user whose unexpired, unended login ``token`` is; None otherwise."""
    row = await pool.fetchrow(
        """SELECT u.username, u.roles, u.organiser_id
           FROM logins l JOIN users u ON u.username = l.username
           WHERE l.token_hash = $1 AND l.purpose = $2 AND l.ended_at IS NULL AND l.expires_at > now() AND u.active""",
        token_hash(token),
        purpose,
    )
    if row is None:
        return None
    return User(
        username=row["username"], roles=frozenset(Role(r) for r in row["roles"]), organiser_id=row["organiser_id"]
    )


async def end(pool: asyncpg.Pool, token: str) -> bool:
    """End the login of ``token`` (logout); False when it was not an open login."""
    status = await pool.execute(
        "UPDATE logins SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL", token_hash(token)
    )
    return status != "UPDATE 0"


async def end_all(conn: asyncpg.Pool | asyncpg.Connection, username: str) -> int:
    """End every open login of ``username``; how many were open."""
    status = await conn.execute("UPDATE logins SET ended_at = now() WHERE username = $1 AND ended_at IS NULL", username)
    return int(status.split()[-1])


async def open_count(pool: asyncpg.Pool, username: str) -> int:
    """How many unended, unexpired logins ``username`` has."""
    return await pool.fetchval(
        "SELECT count(*) FROM logins WHERE username = $1 AND ended_at IS NULL AND expires_at > now()", username
    )
