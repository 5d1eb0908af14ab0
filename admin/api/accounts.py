"""Logins and accounts in the JSON API: log out, and the admin's deactivate, reactivate and password reset
(docs/api.md, "Logins and users"). ``routes`` includes this router under ``/api/v1``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from admin.api.models import UserAnswer
from admin.context import AppContext, app_context, bearer_token, current_user, require
from admin.errors import documented
from admin.services.users import Account
from domain import Role, User

router = APIRouter()
Ctx = Annotated[AppContext, Depends(app_context)]
Caller = Annotated[User, Depends(current_user)]


class NewPassword(BaseModel):
    """The password an admin sets for a user (10 characters at least, 1024 bytes at most)."""

    password: str


def answer(account: Account) -> UserAnswer:
    """The API's view of an account."""
    return UserAnswer(
        username=account.username,
        roles=[r.value for r in account.roles],
        organiser_id=account.organiser_id,
        full_name=account.full_name,
        active=account.active,
    )


@router.post("/auth/logout", status_code=204, tags=["auth"], responses=documented(401))
async def logout(request: Request, ctx: Ctx, caller: Caller) -> Response:
    """End this token's login at once (the user's other tokens and sessions stay valid)."""
    await ctx.auth.logout(bearer_token(request) or "")
    return Response(status_code=204)


@router.post(
    "/users/{username}/deactivate",
    response_model=UserAnswer,
    tags=["admin"],
    responses=documented(401, 403, 404),
)
async def deactivate(username: str, ctx: Ctx, caller: Caller) -> UserAnswer:
    """Deactivate a user (role admin): every session and token of theirs ends at once; logging in is refused."""
    require(caller, Role.ADMIN)
    return answer(await ctx.services.users.deactivate(username))


@router.post(
    "/users/{username}/reactivate",
    response_model=UserAnswer,
    tags=["admin"],
    responses=documented(401, 403, 404),
)
async def reactivate(username: str, ctx: Ctx, caller: Caller) -> UserAnswer:
    """Let a deactivated user log in again (role admin); the logins that deactivation ended stay ended."""
    require(caller, Role.ADMIN)
    return answer(await ctx.services.users.reactivate(username))


@router.post(
    "/users/{username}/password",
    status_code=204,
    tags=["admin"],
    responses=documented(400, 401, 403, 404, 422),
)
async def reset_password(username: str, body: NewPassword, ctx: Ctx, caller: Caller) -> Response:
    """Set a user's password (role admin): every session and token of theirs ends at once."""
    require(caller, Role.ADMIN)
    await ctx.services.users.reset_password(username, body.password)
    return Response(status_code=204)
