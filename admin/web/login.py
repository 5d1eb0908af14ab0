"""Logging in and out, and coming back to a form after the session ended.

A form sent after the session has expired (or from a page older than the current session) records
nothing. The person is asked to log in again on a login page that keeps what they typed, and
after logging in lands on the page the form was on, the form filled in as they left it, to check
and send again. The words never mention tokens or CSRF: that the session ended is what they need.
"""

from __future__ import annotations

import re
import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from admin.context import client_address, context
from admin.errors import ApiError
from admin.texts import tell_key
from admin.web.forms import NOT_KEPT, typed_form
from admin.web.session import (
    SESSION_COOKIE,
    Visitor,
    WebRoute,
    posted_form,
    redirect,
    render,
    set_session,
    visitor,
)

router = APIRouter(route_class=WebRoute, include_in_schema=False)
RESUME = "resume."
"""Prefix of the login form's hidden fields that carry the form being resumed."""
EXPIRED = (
    "Du har blivit utloggad eftersom sessionen tog slut, och ingenting har sparats. Logga in igen för att "
    "fortsätta: det du skrev finns kvar, och du får kontrollera det innan du skickar."
)
RESUMED = "Du är inloggad igen. Det du skrev finns kvar i formuläret nedan: kontrollera det och skicka igen."
PASSWORD_AGAIN = " Ett lösenord sparas aldrig, så skriv det igen."
STALE = (
    "Sidan hade öppnats före din senaste inloggning, så ingenting har sparats. Det du skrev finns kvar i "
    "formuläret nedan: kontrollera det och skicka igen."
)
_COMMAND_PATH = re.compile(r"^/cases/([^/]+)/commands/([a-z-]+)$")


def _local(target: str) -> str:
    """``target`` when it is a path on this site, else the first page (no open redirects)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def page_of(action: str) -> str:
    """The page a form posting to ``action`` is on."""
    if match := _COMMAND_PATH.match(action):
        return f"/cases/{match.group(1)}"
    for section in ("/admin", "/audit"):  # every form of these pages posts to an address under them
        if action.startswith(section + "/"):
            return section
    return action


async def resume(
    request: Request, who: Visitor, action: str, typed: list[tuple[str, str]], notice: str, status: int = 200
) -> Response:
    """The page of the form posted to ``action``, that form filled in with what was ``typed`` (every
    (name, value) pair, checkboxes repeated), and ``notice`` on top."""
    from admin.web.admin import _admin_page, _new_case_page  # the pages import the session module, which imports this
    from admin.web.cases import FORMS, FormState, _rows, case_page

    values = dict(typed)
    if (match := _COMMAND_PATH.match(action)) and match.group(2) in FORMS:
        case_id, command = match.groups()
        spec = FORMS[command]
        rows = _rows(spec, await context(request).cases.get(who.me, case_id))
        kept = FormState(spec, rows, values=values, request_id=values.get("request_id") or str(uuid.uuid4()))
        return await case_page(request, who, case_id, kept, status, notice=notice, resumed=command)
    if action == "/cases/new":
        rows = sum(1 for key in values if key.startswith("areas[") and key.endswith("].code"))
        return await _new_case_page(
            request,
            who,
            status,
            values=values,
            rows=rows,
            request_id=values.get("request_id") or str(uuid.uuid4()),
            notice=notice,
        )
    if action == "/admin/users":
        roles = [value for key, value in typed if key == "roles"]
        user_form = typed_form("user", values, roles=roles)
        return await _admin_page(request, who, status, user_form=user_form, notice=notice + PASSWORD_AGAIN)
    if action == "/admin/organisers":
        return await _admin_page(request, who, status, organiser_form=typed_form("organiser", values), notice=notice)
    return redirect(request, _local(page_of(action)))


async def expired_form(request: Request) -> Response:
    """A form sent without a live session (or from an older one): log in again, or check it and send again."""
    form = await request.form()
    typed = [(k, v) for k, v in form.multi_items() if isinstance(v, str) and k not in NOT_KEPT]
    action = request.url.path
    who = await visitor(request)
    if who.user is not None:  # logged in, but the page predates this session
        return await resume(request, who, action, typed, STALE, 403)
    if action in ("/logout", "/login"):
        return RedirectResponse("/login", status_code=303)
    return render(
        request, who, "login.html", 401, next=page_of(action), username="", notice=EXPIRED, resume=typed, action=action
    )


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = "/") -> Response:
    """The login form (a logged-in visitor goes straight on)."""
    who = await visitor(request)
    if who.user is not None:
        return redirect(request, _local(next))
    return render(request, who, "login.html", next=_local(next), username="")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the credentials (throttled like the API's) and start a session; resume a form if one is carried."""
    form = await posted_form(request)
    username, target = form.get("username", "").strip(), _local(form.get("next", "/"))
    posted = (await request.form()).multi_items()  # the form resumed, its checkboxes repeated
    kept = [(k.removeprefix(RESUME), v) for k, v in posted if k.startswith(RESUME) and isinstance(v, str)]
    action = form.get("resume_action", "")
    ctx = context(request)
    try:
        token = await ctx.login(username, form.get("password", ""), client_address(request), "web")
    except ApiError as error:
        page = {"resume": kept, "action": action, "notice": EXPIRED} if action else {}
        response = render(
            request,
            await visitor(request),
            "login.html",
            error.status,
            next=target,
            username=username,
            error=tell_key(error.key or "auth.wrong_password", error.params),
            **page,
        )
        if error.headers:
            response.headers.update(error.headers)
        return response
    user = await ctx.user_of_token(token, "web")
    if action and kept and user is not None:
        response = await resume(
            request, Visitor(user, token, ctx.tokens.csrf_token(token)), _local(action), kept, RESUMED
        )
    else:
        response = redirect(request, target, "login")
    set_session(request, response, token)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session, server-side: the old cookie no longer logs anyone in."""
    await posted_form(request)
    await context(request).auth.logout(request.cookies.get(SESSION_COOKIE, ""))
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
