"""The web pages of the admin tool (Swedish, server-rendered): login, the case list, the case page
with a form for each command the user may issue now. Admin, audit and new-case pages are in
``admin.web.admin``; sessions and CSRF in ``admin.web.session``.

Every use case goes through the service layer (``admin.services``), as the JSON API's do.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from admin.context import context
from admin.errors import STATUS, ApiError
from admin.services.audit import StoredEvent
from admin.services.cases import Unavailable
from admin.web.forms import FORMS, CommandForm, command_body, known_paths, place, prefill, refusal_messages
from admin.web.session import (
    SESSION_COOKIE,
    Visitor,
    WebRoute,
    posted_form,
    redirect,
    render,
    set_session,
    signed_in,
    today,
    visitor,
)
from domain import DomainError, ErrorCode
from domain.views import AreaView, CaseView

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Signed = Annotated[Visitor, Depends(signed_in)]


def _local(target: str) -> str:
    """``target`` when it is a path on this site, else the case list (no open redirects)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = "/") -> Response:
    """The login form (a logged-in visitor goes straight on)."""
    who = await visitor(request)
    if who.user is not None:
        return redirect(request, _local(next))
    return render(request, who, "login.html", next=_local(next), username="")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the credentials (throttled like the API's) and start a session."""
    form = await posted_form(request)
    username, target = form.get("username", "").strip(), _local(form.get("next", "/"))
    try:
        token = await context(request).login(username, form.get("password", ""), "web")
    except ApiError as error:
        message = (
            "Fel användarnamn eller lösenord."
            if error.status == 401
            else "För många misslyckade inloggningar. Vänta en stund och försök igen."
        )
        response = render(
            request, await visitor(request), "login.html", error.status, next=target, username=username, error=message
        )
        if error.headers:
            response.headers.update(error.headers)
        return response
    response = redirect(request, target, "login")
    set_session(request, response, token)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session."""
    await posted_form(request)
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/", response_class=HTMLResponse)
@router.get("/cases", response_class=HTMLResponse)
async def case_list(
    request: Request, who: Signed, state: str = "", organiser_id: str = "", overdue: str = ""
) -> Response:
    """The cases the user may see, filtered by state, organiser and overdue; the soonest due first."""
    ctx = context(request)
    flag = {"ja": True, "nej": False}.get(overdue)
    cases = await ctx.cases.search(who.me, state or None, organiser_id or None, flag)
    names = await ctx.services.organisers.names()
    return render(
        request,
        who,
        "cases.html",
        cases=cases,
        names=names,
        today=today(),
        filters={"state": state, "organiser_id": organiser_id, "overdue": overdue},
    )


@dataclass
class FormState:
    """One command form as the case page shows it: the rows, the input, and the refusals."""

    spec: CommandForm
    rows: list[AreaView]
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)


def _rows(spec: CommandForm, view: CaseView) -> list[AreaView]:
    if spec.areas == "all":
        return list(view.areas)
    return [a for a in view.areas if a.status == "open"] if spec.areas else []


async def _case_page(
    request: Request, who: Visitor, case_id: str, failed: FormState | None = None, status: int = 200
) -> Response:
    service = context(request).cases
    view = await service.get(who.me, case_id)
    forms = [FormState(FORMS[c], _rows(FORMS[c], view)) for c in view.allowed_commands if c in FORMS]
    refused: list[str] = []  # a refusal of a command whose form is not shown (any more) goes on top
    if failed is not None:
        if any(f.spec.command == failed.spec.command for f in forms):
            forms = [failed if f.spec.command == failed.spec.command else f for f in forms]
        else:
            refused = [*failed.general, *failed.errors.values()]
    records: dict[str, Any] = {"events": None, "notices": None}
    try:
        records = {
            "events": await service.case_events(who.me, case_id),
            "notices": await service.case_notices(who.me, case_id),
        }
    except DomainError as error:  # e.g. an administrator, who may not read case records
        if error.code is not ErrorCode.FORBIDDEN:
            raise
    organiser = await context(request).services.organisers.get(view.organiser_id)
    return render(
        request,
        who,
        "case.html",
        status,
        case=view,
        forms=forms,
        organiser=organiser,
        today=today(),
        refused=refused,
        titles={a.code: a.title for a in view.areas},
        **_from_events(records["events"] or [], view, forms),
        **records,
    )


def _from_events(events: list[StoredEvent], view: CaseView, forms: list[FormState]) -> dict[str, Any]:
    """What the case page shows from the case's events (the draft awaiting a signature, the signed decision's
    requirements, the round's account), with the account's forms pre-filled from what the round holds."""
    drafted, approved = _last(events, "ResponseDrafted", view.round), _last(events, "ResponseApproved", view.round)
    standing = approved if approved and drafted and approved.seq > drafted.seq else None  # a new draft needs one
    for form in forms:
        if form.spec.command == "draft-response" and not form.values and drafted:  # the last draft counts
            form.values = prefill(form.rows, drafted.data.get("areas", []), ("measures", "evaluation"))
        if form.spec.command == "approve-response" and not form.values and standing:
            form.values = {k: str(standing.data.get(k, "")) for k in ("body", "decided_on", "paragraph")}
    decision = _last(events, "DecisionDrafted") if _last(events, "DecisionSigned") else None  # the signed text
    return {
        "pending": _last(events, _PENDING.get(view.state, "")),
        "requirements": {a["code"]: a.get("requirements", []) for a in decision.data["areas"]} if decision else {},
        "account": {a["code"]: a for a in drafted.data.get("areas", [])} if drafted else {},
    }


_PENDING = {"decision_pending_signature": "DecisionDrafted", "follow_up_pending_signature": "FollowUpDrafted"}


def _last(events: list[StoredEvent], kind: str, round: int | None = None) -> StoredEvent | None:
    """The latest event of type ``kind`` (in ``round``, when given)."""
    return next(
        (e for e in reversed(events) if e.type == kind and (round is None or e.data.get("round") == round)), None
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def case_page(request: Request, case_id: str, who: Signed) -> Response:
    """A case: its areas, the timeline of events, notices and the forms the user may use now."""
    return await _case_page(request, who, case_id)


@router.post("/cases/{case_id}/commands/{command}", response_class=HTMLResponse)
async def run_command(request: Request, case_id: str, command: str) -> Response:
    """Issue ``command`` from its form; refusals re-render the form with the input and the reasons."""
    form = await posted_form(request)
    who = await signed_in(request)
    spec = FORMS.get(command)
    if spec is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"Det finns inget kommando som heter {command!r}.")
    service = context(request).cases
    try:
        await service.command(who.me, case_id, command, command_body(spec, form))
    except (DomainError, ValidationError, Unavailable) as error:
        if isinstance(error, DomainError) and error.code is ErrorCode.NOT_FOUND and error.field == "case_id":
            raise
        rows = _rows(spec, await service.get(who.me, case_id))
        failed = FormState(spec, rows, values=form)
        if isinstance(error, Unavailable):  # it may yet happen: sending the same form again is a retry
            failed.request_id, failed.general, status = form.get("request_id", ""), [str(error)], 503
        else:
            failed.errors, failed.general = place(refusal_messages(error), known_paths(spec, len(rows)))
            status = STATUS[error.code] if isinstance(error, DomainError) else 422
        return await _case_page(request, who, case_id, failed, status)
    return redirect(request, f"/cases/{case_id}", command)
