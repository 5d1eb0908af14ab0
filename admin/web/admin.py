"""Web pages for opening a case (inspector) and administering users and organisers (admin); the
auditor's page is ``admin.web.audit``.
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from admin.context import context
from admin.errors import STATUS
from admin.services.cases import Unavailable
from admin.services.organisers import OrganiserTaken
from admin.services.users import UnknownOrganiser, UsernameTaken
from admin.texts import tell_key
from admin.web.forms import (
    NEW_AREA_FIELDS,
    NEW_CASE_FIELDS,
    new_case_body,
    place,
    refusal_messages,
    refused_form,
    renumber,
)
from admin.web.session import Visitor, WebRoute, need, posted_form, posted_lists, redirect, render, signed_in, today
from domain import DomainError, Role
from domain.errors import conflict, invalid

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Signed = Annotated[Visitor, Depends(signed_in)]
AREA_ROWS = 5
USER_FIELDS = {"username", "full_name", "password", "roles", "organiser_id"}
ORGANISER_FIELDS = {"organiser_id", "name", "email"}


def _status(error: DomainError | ValidationError) -> int:
    return STATUS[error.code] if isinstance(error, DomainError) else 422


async def _new_case_page(request: Request, who: Visitor, status: int = 200, **page: Any) -> Response:
    need(who.me, Role.INSPECTOR)
    page.setdefault("values", {})
    page.setdefault("request_id", str(uuid.uuid4()))
    rows = max(AREA_ROWS, page.pop("rows", 0))
    return render(
        request,
        who,
        "new_case.html",
        status,
        rows=rows,
        today=today(),
        organisers=await context(request).services.organisers.list(),
        case_fields=NEW_CASE_FIELDS,
        area_fields=NEW_AREA_FIELDS,
        **page,
    )


@router.get("/cases/new", response_class=HTMLResponse)
async def new_case_form(request: Request, who: Signed) -> Response:
    """The form for opening a case, with empty rows for its assessment areas."""
    return await _new_case_page(request, who)


@router.post("/cases/new", response_class=HTMLResponse)
async def open_case(request: Request) -> Response:
    """Open the case; a refusal re-renders the form with the input and each reason by its field."""
    form = await posted_form(request)
    who = await signed_in(request)
    body, rows = new_case_body(form)
    used = max((int(m.group(1)) + 1 for k in form if (m := re.match(r"areas\[(\d+)\]", k))), default=0)
    try:
        view, _ = await context(request).cases.open_case(who.me, body)
    except (DomainError, ValidationError) as error:
        known = {f.name for f in NEW_CASE_FIELDS} | {"areas"}
        known |= {f"areas[{i}].{f.name}" for i in range(max(used, AREA_ROWS)) for f in NEW_AREA_FIELDS}
        errors, general = place(renumber(refusal_messages(error, "open-case"), rows), known)
        return await _new_case_page(
            request, who, _status(error), values=form, errors=errors, general=general, rows=used
        )
    except Unavailable as error:  # the same request id again is a retry
        return await _new_case_page(
            request,
            who,
            503,
            values=form,
            general=[tell_key(error.key)],
            rows=used,
            request_id=form.get("request_id", ""),
        )
    return redirect(request, f"/cases/{view.case_id}", "open-case")


async def _admin_page(request: Request, who: Visitor, status: int = 200, **page: Any) -> Response:
    need(who.me, Role.ADMIN)
    services = context(request).services
    return render(
        request,
        who,
        "admin.html",
        status,
        users=await services.users.list(),
        organisers=await services.organisers.list(),
        **page,
    )


@router.get("/admin", response_class=HTMLResponse)
async def admin_page(request: Request, who: Signed) -> Response:
    """Users and organisers, with forms to add them (role admin)."""
    return await _admin_page(request, who)


@router.post("/admin/users", response_class=HTMLResponse)
async def create_user(request: Request) -> Response:
    """Create a user from the admin page's form."""
    form = await posted_form(request)
    who = await signed_in(request)
    need(who.me, Role.ADMIN)
    roles = await posted_lists(request, "roles")
    organiser_id = form.get("organiser_id", "").strip() or None
    try:
        try:
            await context(request).services.users.add(
                form.get("username", "").strip(), form.get("password", ""), roles, organiser_id, form.get("full_name")
            )
        except UsernameTaken as taken:
            raise conflict("username", "user.taken", user=taken.username) from None
        except UnknownOrganiser:
            raise invalid("organiser_id", "organiser.unknown", value=organiser_id) from None
    except DomainError as error:
        refused = refused_form("user", error, USER_FIELDS, form, roles=roles)
        return await _admin_page(request, who, _status(error), user_form=refused)
    return redirect(request, "/admin", "user")


@router.post("/admin/users/{username}/deactivate", response_class=HTMLResponse)
async def deactivate_user(request: Request, username: str) -> Response:
    """Deactivate a user: every session and token of theirs ends at once, and they cannot log in."""
    await posted_form(request)
    who = await signed_in(request)
    need(who.me, Role.ADMIN)
    await context(request).services.users.deactivate(username)
    return redirect(request, "/admin#users-h", "user-deactivated")


@router.post("/admin/users/{username}/reactivate", response_class=HTMLResponse)
async def reactivate_user(request: Request, username: str) -> Response:
    """Let a deactivated user log in again (their ended logins stay ended)."""
    await posted_form(request)
    who = await signed_in(request)
    need(who.me, Role.ADMIN)
    await context(request).services.users.reactivate(username)
    return redirect(request, "/admin#users-h", "user-reactivated")


@router.post("/admin/users/{username}/password", response_class=HTMLResponse)
async def reset_password(request: Request, username: str) -> Response:
    """Set a user's new password: every session and token of theirs ends at once."""
    form = await posted_form(request)
    who = await signed_in(request)
    need(who.me, Role.ADMIN)
    try:
        await context(request).services.users.reset_password(username, form.get("password", ""))
    except DomainError as error:
        if error.field != "password":
            raise
        reset = refused_form(f"reset-{username}", error, {"password"}, {}, username=username)
        return await _admin_page(request, who, _status(error), password_form=reset)
    return redirect(request, "/admin#users-h", "user-password")


@router.post("/admin/organisers", response_class=HTMLResponse)
async def create_organiser(request: Request) -> Response:
    """Register an organiser from the admin page's form."""
    form = await posted_form(request)
    who = await signed_in(request)
    need(who.me, Role.ADMIN)
    try:
        try:
            await context(request).services.organisers.register(
                form.get("organiser_id", ""), form.get("name", ""), form.get("email", "")
            )
        except OrganiserTaken as taken:
            raise conflict("organiser_id", "organiser.taken", value=taken.organiser_id) from None
    except DomainError as error:
        refused = refused_form("organiser", error, ORGANISER_FIELDS, form)
        return await _admin_page(request, who, _status(error), organiser_form=refused)
    return redirect(request, "/admin", "organiser")
