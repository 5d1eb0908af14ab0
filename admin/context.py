"""What every request of the web app (JSON API and pages) needs: the services, tokens, and who is calling."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from admin.errors import ApiError
from admin.services import Services
from admin.services.auth import LoginThrottle, Tokens
from admin.services.cases import CaseService
from domain import Role, User
from domain.errors import forbidden


@dataclass
class AppContext:
    """The web app's services and token signer (one per process, made by the app's lifespan)."""

    services: Services
    tokens: Tokens
    throttle: LoginThrottle = field(default_factory=LoginThrottle)

    @property
    def cases(self) -> CaseService:
        """The case use cases."""
        return self.services.cases

    async def login(self, username: str, password: str, purpose: str) -> str:
        """A token for good credentials; 401 for bad ones, 429 while the username is locked out."""
        wait = self.throttle.retry_after(username)
        if wait > 0:
            raise ApiError(
                429,
                f"Too many failed logins for {username!r}; try again in {int(wait) + 1} seconds.",
                headers={"Retry-After": str(int(wait) + 1)},
            )
        if await self.services.users.authenticate(username, password) is None:
            self.throttle.failed(username)
            raise ApiError(401, "Wrong username or password.")
        self.throttle.succeeded(username)
        return self.tokens.issue(username, purpose)

    async def user_of_token(self, token: str, purpose: str) -> User | None:
        """The active user a token belongs to, or None."""
        username = self.tokens.username(token, purpose)
        return await self.services.users.active_user(username) if username else None


def context(request: Request) -> AppContext:
    """The app's context (a FastAPI dependency)."""
    ctx: AppContext = request.app.state.context
    return ctx


async def current_user(request: Request) -> User:
    """The user of the request's bearer token; 401 without a valid one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(
            401,
            "Log in first: send Authorization: Bearer <token> from /api/v1/auth/token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = await context(request).user_of_token(token.strip(), "api")
    if user is None:
        raise ApiError(
            401, "The token is not valid or has expired; log in again.", headers={"WWW-Authenticate": "Bearer"}
        )
    return user


def require(user: User, *roles: Role) -> None:
    """Refuse unless ``user`` holds one of ``roles``."""
    if not any(user.has(r) for r in roles):
        names = " or ".join(r.value for r in roles)
        raise forbidden(f"This needs the role {names}; {user.username} does not have it.")
