"""Users: the one place accounts are created (API, pages, CLI, demo, the first administrator) and checked.

Passwords are kept only as argon2 hashes (``admin.services.auth``). A refusal is a DomainError that
names its field, so each adapter shows it as it shows any other refusal.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import asyncpg
import structlog
from pydantic import BaseModel, ConfigDict

from admin.services.auth import hash_password, verify_password
from domain import DomainError, ErrorCode, Role, User
from domain.accounts import new_account, new_password
from store import users

log = structlog.get_logger(__name__)

ADMIN = "admin"


class UsernameTaken(DomainError):
    """An account with this username exists already."""

    def __init__(self, username: str) -> None:
        super().__init__(ErrorCode.CONFLICT, "user.taken", "username", {"user": username})
        self.username = username


class UnknownOrganiser(DomainError):
    """The account names an organiser that is not registered."""

    def __init__(self, organiser_id: str | None) -> None:
        super().__init__(ErrorCode.VALIDATION_ERROR, "organiser.unknown", "organiser_id", {"value": organiser_id})
        self.organiser_id = organiser_id


class UnknownUser(DomainError):
    """There is no account with this username."""

    def __init__(self, username: str) -> None:
        super().__init__(ErrorCode.NOT_FOUND, "user.unknown", "username", {"user": username})
        self.username = username


class Account(BaseModel):
    """An account as the tool shows it (never its password hash)."""

    model_config = ConfigDict(frozen=True)

    username: str
    roles: list[Role]
    organiser_id: str | None
    full_name: str | None
    active: bool

    def as_user(self) -> User:
        """The domain's view of this person."""
        return User(username=self.username, roles=frozenset(self.roles), organiser_id=self.organiser_id)


class UserService:
    """Create, list and authenticate the people who log in."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def add(
        self,
        username: str,
        password: str,
        roles: list[str],
        organiser_id: str | None = None,
        full_name: str | None = None,
    ) -> Account:
        """Create an account after the domain's checks; UsernameTaken or UnknownOrganiser when it cannot be."""
        account = new_account(username, password, roles, organiser_id, full_name)  # a DomainError names the field
        try:
            await users.create(
                self.pool,
                account.username,
                hash_password(account.password),
                [r.value for r in account.roles],
                account.organiser_id,
                account.full_name,
            )
        except users.UsernameTaken:
            raise UsernameTaken(account.username) from None
        except users.UnknownOrganiser:
            raise UnknownOrganiser(account.organiser_id) from None
        return Account(
            username=account.username,
            roles=sorted(account.roles),
            organiser_id=account.organiser_id,
            full_name=account.full_name,
            active=True,
        )

    async def list(self) -> list[Account]:
        """Every account, by username."""
        return [Account(**u.model_dump(exclude={"password_hash"})) for u in await users.list_all(self.pool)]

    async def active_user(self, username: str) -> User | None:
        """The active user called ``username``, or None (unknown or deactivated)."""
        record = await users.get(self.pool, username)
        return record.as_user() if record and record.active else None

    async def account(self, username: str) -> Account | None:
        """The account called ``username`` (active or not), or None."""
        record = await users.get(self.pool, username)
        return Account(**record.model_dump(exclude={"password_hash"})) if record else None

    async def deactivate(self, username: str) -> Account:
        """Deactivate the account and end every login of it at once; UnknownUser when there is none."""
        return await self._set_active(username, False)

    async def reactivate(self, username: str) -> Account:
        """Let the account log in again (the logins ended when it was deactivated stay ended)."""
        return await self._set_active(username, True)

    async def reset_password(self, username: str, password: str) -> None:
        """Set a new password and end every login of the account at once; UnknownUser when there is none."""
        new_password(password)  # a DomainError names the field
        if not await users.set_password(self.pool, username, hash_password(password)):
            raise UnknownUser(username)
        log.info("password reset; every login of the user ended", username=username)

    async def _set_active(self, username: str, active: bool) -> Account:
        record = await users.set_active(self.pool, username, active)
        if record is None:
            raise UnknownUser(username)
        log.info("account activated" if active else "account deactivated; every login ended", username=username)
        return Account(**record.model_dump(exclude={"password_hash"}))

    async def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password is right and the account active; None otherwise (as slow either way)."""
        record = await users.get(self.pool, username)
        if not verify_password(password, record.password_hash if record else None) or not (record and record.active):
            return None
        return record.as_user()

    async def ensure_admin(self, password: str | None, data_dir: Path) -> str | None:
        """Create the first administrator ``admin`` when missing; the generated password, if one was made.

        Without ``password`` the one kept in ``<data dir>/admin-password`` is used, or one is generated there.
        """
        if await users.get(self.pool, ADMIN) is not None:
            return None
        generated = None
        if not password:
            path = data_dir / "admin-password"
            if path.exists():
                password = path.read_text().strip()
            else:
                password = generated = secrets.token_urlsafe(12)
                data_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(password + "\n")
                path.chmod(0o600)
        await users.create(self.pool, ADMIN, hash_password(password), [Role.ADMIN.value], None, "Administratör")
        log.info("first administrator created", username=ADMIN)
        return generated
