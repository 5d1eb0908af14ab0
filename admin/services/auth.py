"""Logging in: argon2 password hashes, logins kept server-side, and a brake on guessing.

A login (a web session or an API token) is a random token handed over once; the database keeps
its SHA-256 (``store.logins``), so logout ends it at once, and a password change, a reset or
deactivation ends every login of the user in the same transaction (``store.users``). Logins
expire after ``TOKEN_LIFETIME``.

Failed logins are counted in the database (``store.throttle``), so the brake holds across the
web app's processes, under two keys: the username *from that client address*, and the client
address alone. Past each key's free failures every further failure doubles the wait (1 s, 2 s,
4 s … 15 min). Someone guessing one user's password from one address is slowed after
``PAIR_FREE`` tries; someone trying many usernames from one address after ``ADDRESS_FREE``; the
user, logging in from another address, is never held up by either.

``Tokens`` signs the pages' CSRF tokens with the server's secret key (bound to the session).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import asyncpg
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError

from domain import User
from domain.accounts import PASSWORD_MAX_BYTES
from store import logins, throttle, users
from store.logins import Purpose

TOKEN_LIFETIME = 8 * 3600
PAIR_FREE = 3
"""Failed logins of one username from one address before the waits begin."""
ADDRESS_FREE = 10
"""Failed logins from one address (any usernames) before the waits begin."""

_hasher = PasswordHash.recommended()
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2 hash of ``password`` (the domain has capped its length: ``domain.accounts``)."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; takes as long for unknown users as for known ones.

    A password longer than any account may have is wrong without being hashed (a megabyte of
    input must not cost the server a megabyte of argon2).
    """
    if len(password.encode("utf-8", "surrogatepass")) > PASSWORD_MAX_BYTES:
        return False
    try:
        return _hasher.verify(password, password_hash or _DUMMY_HASH) and password_hash is not None
    except UnknownHashError:  # a hash pwdlib cannot read (e.g. "!" of an account that never logs in)
        _hasher.verify(password, _DUMMY_HASH)
        return False


def load_secret(data_dir: Path, configured: str | None) -> str:
    """The configured secret key, or one generated once and kept in ``<data dir>/secret-key``."""
    if configured:
        return configured
    path = data_dir / "secret-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Tokens:
    """Issues and checks the pages' CSRF tokens, each bound to one session cookie."""

    def __init__(self, secret: str, lifetime: int = TOKEN_LIFETIME) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="inspections-auth")
        self.lifetime = lifetime

    def csrf_token(self, session: str) -> str:
        """The CSRF token that belongs to one session cookie."""
        return self._serializer.dumps({"csrf": session[-24:]})

    def csrf_ok(self, session: str, token: str) -> bool:
        """True when ``token`` was issued for this session."""
        try:
            data = self._serializer.loads(token, max_age=self.lifetime)
        except (BadSignature, SignatureExpired):
            return False
        return isinstance(data, dict) and data.get("csrf") == session[-24:]


class Throttled(Exception):
    """Too many failed logins from this address (for this username); try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; retry after {retry_after} s")
        self.retry_after = retry_after


def throttle_keys(username: str, address: str) -> tuple[str, str]:
    """The two counters a login attempt counts under: (username, address) and the address alone."""
    return f"user:{username[:64]}|{address}", f"address:{address}"  # no username is longer than 64


class AuthService:
    """Log in and out, and find the user of a login (bearer token or session cookie)."""

    def __init__(self, pool: asyncpg.Pool, lifetime: int = TOKEN_LIFETIME) -> None:
        self.pool = pool
        self.lifetime = timedelta(seconds=lifetime)

    async def login(self, username: str, password: str, address: str, purpose: Purpose) -> str | None:
        """A new login's token for good credentials; None for bad ones; :class:`Throttled` while braked."""
        pair, whole = throttle_keys(username, address)
        wait = await throttle.wait(self.pool, (pair, whole))
        if wait > 0:
            raise Throttled(int(wait) + 1)
        user = await self._authenticate(username, password)
        if user is None:
            await throttle.failed(self.pool, pair, PAIR_FREE)
            await throttle.failed(self.pool, whole, ADDRESS_FREE)
            return None
        await throttle.forget(self.pool, pair)
        return await logins.start(self.pool, user.username, purpose, self.lifetime)

    async def user_of(self, token: str, purpose: Purpose) -> User | None:
        """The active user of an open login, or None (unknown, ended, expired, deactivated)."""
        if not token or len(token) > 256:
            return None
        return await logins.user_of(self.pool, token, purpose)

    async def logout(self, token: str) -> bool:
        """End the login of ``token``; False when it was not open."""
        return await logins.end(self.pool, token)

    async def _authenticate(self, username: str, password: str) -> User | None:
        record = await users.get(self.pool, username) if len(username) <= 64 else None
        if not verify_password(password, record.password_hash if record else None) or not (record and record.active):
            return None
        return record.as_user()
