"""What every request of the web app (JSON API and pages) needs: the services, tokens, and who is calling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from admin.errors import ApiError
from admin.services import Services
from admin.services.auth import AuthService, Throttled, Tokens
from admin.services.cases import CaseService
from domain import Role, User
from domain.errors import forbidden


@dataclass
class AppContext:
    """The web app's services and CSRF signer (one per process, made by the app's lifespan)."""

    services: Services
    tokens: Tokens

    @property
    def cases(self) -> CaseService:
        """The case use cases."""
        return self.services.cases

    @property
    def auth(self) -> AuthService:
        """Logins: in, out, and whose a token is."""
        return AuthService(self.services.pool)

    async def login(self, username: str, password: str, address: str, purpose: Literal["api", "web"]) -> str:
        """A new login's token for good credentials; 401 for bad ones, 429 while this address is braked."""
        try:
            token = await self.auth.login(username, password, address, purpose)
        except Throttled as braked:
            raise ApiError(
                429,
                f"Too many failed logins for {username!r}; try again in {braked.retry_after} seconds.",
                headers={"Retry-After": str(braked.retry_after)},
                key="auth.throttled",
                params={"user": username, "seconds": braked.retry_after},
            ) from None
        if token is None:
            raise ApiError(401, "Wrong username or password.", key="auth.wrong_password")
        return token

    async def user_of_token(self, token: str, purpose: Literal["api", "web"]) -> User | None:
        """The active user of an open login (bearer token or session cookie), or None."""
        return await self.auth.user_of(token, purpose)


def context(request: Request) -> AppContext:
    """The app's context."""
    ctx: AppContext = request.app.state.context
    return ctx


async def app_context(request: Request) -> AppContext:
    """The app's context, as a FastAPI dependency: an async one, as FastAPI runs a plain function's in a worker
    thread (a thread hop for every API request)."""
    return context(request)


def client_address(request: Request) -> str:
    """The caller's address, as the server sees it (behind a proxy: run uvicorn with --proxy-headers)."""
    return request.client.host if request.client else "unknown"


bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token.")
"""The OpenAPI security scheme of every /api/v1 route but the token's."""


def bearer_token(request: Request) -> str | None:
    """The request's bearer token, or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def current_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> User:
    """The user of the request's bearer token; 401 without a valid one."""
    token = credentials.credentials if credentials else None
    if not token:
        raise ApiError(
            401,
            "Log in first: send Authorization: Bearer <token> from /api/v1/auth/token.",
            headers={"WWW-Authenticate": "Bearer"},
            key="auth.missing",
        )
    user = await context(request).user_of_token(token.strip(), "api")
    if user is None:
        raise ApiError(
            401,
            "The token is not valid or has expired; log in again.",
            headers={"WWW-Authenticate": "Bearer"},
            key="auth.token_invalid",
        )
    return user


def require(user: User, *roles: Role) -> None:
    """Refuse unless ``user`` holds one of ``roles``."""
    if not any(user.has(r) for r in roles):
        raise forbidden("role.needed", roles=list(roles), user=user.username)
