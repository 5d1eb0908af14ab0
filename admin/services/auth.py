"""Logging in: argon2 password hashes, signed expiring tokens, and a brake on guessing.

Tokens are signed (itsdangerous) with the server's secret key and carry the username and
the time they were issued; they expire after ``TOKEN_LIFETIME``. The same signer makes the
web pages' session cookie. Failed logins are counted per username: after ``MAX_FAILURES``
within ``FAILURE_WINDOW`` the username is locked out until the window has passed.
"""

from __future__ import annotations

import secrets
import time
from collections import defaultdict, deque
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pwdlib import PasswordHash

TOKEN_LIFETIME = 8 * 3600
MAX_FAILURES = 5
FAILURE_WINDOW = 300.0

_hasher = PasswordHash.recommended()
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2 hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; takes as long for unknown users as for known ones."""
    return _hasher.verify(password, password_hash or _DUMMY_HASH) and password_hash is not None


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
    """Issues and checks bearer tokens and session cookies."""

    def __init__(self, secret: str, lifetime: int = TOKEN_LIFETIME) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="inspections-auth")
        self.lifetime = lifetime

    def issue(self, username: str, purpose: str = "api") -> str:
        """A token for ``username``."""
        return self._serializer.dumps({"u": username, "p": purpose})

    def username(self, token: str, purpose: str = "api") -> str | None:
        """The username a valid, unexpired token was issued to, else None."""
        try:
            data = self._serializer.loads(token, max_age=self.lifetime)
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(data, dict) or data.get("p") != purpose:
            return None
        username = data.get("u")
        return username if isinstance(username, str) else None

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


class LoginThrottle:
    """Counts failed logins per username and refuses further tries for a while."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW) -> None:
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._max = max_failures
        self._window = window

    def retry_after(self, username: str) -> float:
        """Seconds until ``username`` may try again (0 when it may now)."""
        failures = self._failures[username]
        now = time.monotonic()
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        return failures[0] + self._window - now if len(failures) >= self._max else 0.0

    def failed(self, username: str) -> None:
        """Count a failed login."""
        self._failures[username].append(time.monotonic())

    def succeeded(self, username: str) -> None:
        """Forget earlier failures after a good login."""
        self._failures.pop(username, None)
