"""User accounts of the admin tool (the password only as a hash)."""

from __future__ import annotations

import asyncpg
from pydantic import BaseModel, ConfigDict

from domain.actors import Role, User
from store import logins

_COLUMNS = "username, password_hash, roles, organiser_id, full_name, active"


class UserRecord(BaseModel):
    """A stored account."""

    model_config = ConfigDict(frozen=True)

    username: str
    password_hash: str
    roles: list[Role]
    organiser_id: str | None
    full_name: str | None
    active: bool

    def as_user(self) -> User:
        """The domain's view of this person."""
        return User(username=self.username, roles=frozenset(self.roles), organiser_id=self.organiser_id)


class UsernameTaken(Exception):
    """An account with this username exists already."""


class UnknownOrganiser(Exception):
    """The account names an organiser that is not registered."""


async def create(
    pool: asyncpg.Pool,
    username: str,
    password_hash: str,
    roles: list[str],
    organiser_id: str | None,
    full_name: str | None,
) -> None:
    """Create an account; UsernameTaken or UnknownOrganiser when it cannot be."""
    try:
        await pool.execute(
            f"INSERT INTO users ({_COLUMNS}) VALUES ($1, $2, $3::text[], $4, $5, true)",
            username,
            password_hash,
            sorted(roles),
            organiser_id,
            full_name,
        )
    except asyncpg.UniqueViolationError:
        raise UsernameTaken(username) from None
    except asyncpg.ForeignKeyViolationError:
        raise UnknownOrganiser(organiser_id or "") from None


async def get(pool: asyncpg.Pool, username: str) -> UserRecord | None:
    """The account, or None."""
    row = await pool.fetchrow(f"SELECT {_COLUMNS} FROM users WHERE username = $1", username)
    return UserRecord(**dict(row)) if row else None


async def list_all(pool: asyncpg.Pool) -> list[UserRecord]:
    """Every account, by username."""
    return [UserRecord(**dict(r)) for r in await pool.fetch(f"SELECT {_COLUMNS} FROM users ORDER BY username")]


async def set_password(pool: asyncpg.Pool, username: str, password_hash: str) -> bool:
    """Replace a password hash and end every login of the user, at once; False when there is no such user."""
    async with pool.acquire() as conn, conn.transaction():
        changed = await conn.execute("UPDATE users SET password_hash = $2 WHERE username = $1", username, password_hash)
        if changed != "UPDATE 1":
            return False
        await logins.end_all(conn, username)
    return True


async def set_active(pool: asyncpg.Pool, username: str, active: bool) -> UserRecord | None:
    """Activate or deactivate an account; deactivating ends every login of the user at once.

    Logins ended so stay ended when the account is activated again. None when there is no such user.
    """
    async with pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            f"UPDATE users SET active = $2 WHERE username = $1 RETURNING {_COLUMNS}", username, active
        )
        if row is not None and not active:
            await logins.end_all(conn, username)
    return UserRecord(**dict(row)) if row else None


async def full_names(source: asyncpg.Pool | asyncpg.Connection) -> dict[str, str]:
    """Usernames → full names, for the signatures on letters (the notice delivery reads them per notice)."""
    rows = await source.fetch("SELECT username, full_name FROM users WHERE full_name IS NOT NULL")
    return {r["username"]: r["full_name"] for r in rows}
