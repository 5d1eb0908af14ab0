"""Sessions of the web pages: the session cookie, CSRF tokens, flash messages, and pages that fail
as pages (an HTML error page or a redirect to the login form, never the API's JSON).

The session cookie holds ``Tokens.issue(username, "web")``; before login it holds a random value
so that the login form, too, carries a CSRF token bound to the visitor's cookie.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from admin.context import context
from admin.errors import STATUS
from admin.services.auth import TOKEN_LIFETIME
from admin.services.cases import Unavailable
from admin.texts import tell, tell_key
from admin.web import labels
from domain import DomainError, Role, User
from domain.deadlines import business_date
from domain.errors import forbidden

SESSION_COOKIE = "inspections_session"
FLASH_COOKIE = "inspections_flash"
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals.update(labels.TEMPLATE_GLOBALS)
TEMPLATES.env.filters.update(sv_date=labels.sv_date, sv_datetime=labels.sv_datetime, day=labels.iso_date)


def today() -> str:
    """Today's business date (Swedish calendar), as a date input wants it."""
    return business_date(datetime.now(UTC)).isoformat()


class LoginRequired(Exception):
    """The page needs a logged-in user; the visitor is sent to the login form."""


class CsrfRefused(Exception):
    """A form was posted without the CSRF token of the visitor's session."""


@dataclass(frozen=True)
class Visitor:
    """Who asks for a page: the user (None before login), the session cookie and its CSRF token."""

    user: User | None
    session: str
    csrf: str
    new_session: bool = False

    @property
    def me(self) -> User:
        """The logged-in user (LoginRequired when there is none)."""
        if self.user is None:
            raise LoginRequired
        return self.user


async def visitor(request: Request) -> Visitor:
    """The visitor of ``request``; a fresh anonymous session when the cookie is missing."""
    ctx = context(request)
    session = request.cookies.get(SESSION_COOKIE, "")
    if not session:
        fresh = secrets.token_urlsafe(32)
        return Visitor(None, fresh, ctx.tokens.csrf_token(fresh), new_session=True)
    user = await ctx.user_of_token(session, "web")
    return Visitor(user, session, ctx.tokens.csrf_token(session))


async def signed_in(request: Request) -> Visitor:
    """The visitor, who must be logged in (a FastAPI dependency of every page but the login form)."""
    found = await visitor(request)
    if found.user is None:
        raise LoginRequired
    return found


def need(user: User, *roles: Role) -> None:
    """Refuse (403, in Swedish) unless ``user`` holds one of ``roles``."""
    if not any(user.has(r) for r in roles):
        raise forbidden("page.role_needed", roles=list(roles), user=user.username)


async def posted_form(request: Request) -> dict[str, str]:
    """The posted form's text fields, once its CSRF token is checked against the session cookie."""
    form = await request.form()
    session = request.cookies.get(SESSION_COOKIE, "")
    token = form.get("csrf_token")
    if not session or not isinstance(token, str) or not context(request).tokens.csrf_ok(session, token):
        raise CsrfRefused
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


async def posted_lists(request: Request, name: str) -> list[str]:
    """Every value of a repeated field (checkboxes) of the posted form."""
    return [v for v in (await request.form()).getlist(name) if isinstance(v, str)]


def set_session(request: Request, response: Response, value: str) -> None:
    """Put ``value`` in the session cookie: HttpOnly, SameSite=Lax, Secure over https."""
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=TOKEN_LIFETIME,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def redirect(request: Request, url: str, flash: str | None = None) -> RedirectResponse:
    """303 See Other to ``url`` (POST/redirect/GET), with a flash message named by its key."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(
            FLASH_COOKIE,
            flash,
            max_age=120,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def render(request: Request, who: Visitor, template: str, status: int = 200, **page: Any) -> HTMLResponse:
    """The page ``template`` for ``who``, with the flash message of the last redirect (shown once)."""
    flash_key = request.cookies.get(FLASH_COOKIE, "")
    roles = {r.value for r in who.user.roles} if who.user else set()
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "user": who.user,
            "my_roles": roles,
            "organiser_only": roles == {"organiser"},
            "csrf": who.csrf,
            "flash": labels.FLASH.get(flash_key),
            **page,
        },
        status_code=status,
    )
    response.headers.update(SECURITY_HEADERS)
    if flash_key:
        response.delete_cookie(FLASH_COOKIE, path="/")
    if who.new_session:
        set_session(request, response, who.session)
    return response


async def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error page with ``message``, in the site's frame."""
    return render(request, await visitor(request), "error.html", status, code=status, message=message)


SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
"""Pages are private (not cached), never framed, and load nothing from elsewhere."""
_TITLES = {
    403: "Åtkomst nekad",
    404: "Hittades inte",
    409: "Inte möjligt just nu",
    422: "Felaktiga uppgifter",
    503: "Tillfälligt otillgänglig",
}


class WebRoute(APIRoute):
    """A route of the web pages: failures become pages, and a missing login a redirect to it."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except (LoginRequired, CsrfRefused):
                if request.method == "POST":  # log in again (or check it), the form as it was typed
                    from admin.web.login import expired_form  # it renders pages, which import this module

                    return await expired_form(request)
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            except DomainError as error:
                return await error_page(request, STATUS[error.code], tell(error))
            except Unavailable as error:
                return await error_page(request, 503, tell_key(error.key))

        return handle


def title_of(status: int) -> str:
    """A Swedish heading for an error status."""
    return _TITLES.get(status, "Något gick fel")


TEMPLATES.env.globals["title_of"] = title_of
