"""The first page of every role, "Att göra nu" (what the user can act on now, most urgent first), and the
case list with search, filters and pages ("Nästa sida"); closed cases only when asked for."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from admin.context import context
from admin.web.forms import FORMS
from admin.web.session import TEMPLATES, Visitor, WebRoute, render, signed_in
from domain import Role

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Signed = Annotated[Visitor, Depends(signed_in)]
ACTIONS = {name: form.title for name, form in FORMS.items()} | {"export": "Exportera och arkivera"}
"""What each worklist item asks the reader to do, in words (the command's form title)."""
PAGE_SIZE = 50


@lru_cache(maxsize=32)
def organiser_options(organisers: tuple[tuple[str, str], ...], selected: str) -> Markup:
    """The organiser filter's options (number, name), ``selected`` chosen: rendered once for each list of
    organisers and choice, as hundreds of them took a millisecond of every case list page."""
    return Markup(TEMPLATES.get_template("_organiser_options.html").render(organisers=organisers, selected=selected))


@router.get("/", response_class=HTMLResponse)
async def worklist_page(request: Request, who: Signed) -> Response:
    """What the user can act on now, most urgent first."""
    work = await context(request).services.finding.worklist(who.me, named=True)
    return render(request, who, "worklist.html", work=work, names=work.names, actions=ACTIONS)


@router.get("/cases", response_class=HTMLResponse)
async def case_list(
    request: Request,
    who: Signed,
    q: str = "",
    state: str = "",
    organiser_id: str = "",
    responsible: str = "",
    overdue: str = "",
    closed: str = "",
    cursor: str = "",
) -> Response:
    """The cases the user may see matching the search and filters, a page at a time."""
    filters = {
        "q": q.strip(),
        "state": state,
        "organiser_id": organiser_id,
        "responsible": responsible,
        "overdue": overdue,
        "closed": closed,
    }
    staff = bool(who.me.roles - {Role.ORGANISER})
    found = await context(request).services.finding.page(
        who.me,
        q=filters["q"] or None,
        state=state or None,
        organiser_id=organiser_id or None,
        responsible=responsible or None,
        overdue={"ja": True, "nej": False}.get(overdue),
        include_closed=closed == "ja",
        limit=PAGE_SIZE,
        cursor=cursor or None,
        named=True,
        choices=staff,  # the organiser and inspector filters are staff's
    )
    given = {k: v for k, v in filters.items() if v}
    return render(
        request,
        who,
        "cases.html",
        cases=found.cases,
        names=found.names,
        organiser_options=organiser_options(tuple(found.choices.organisers), organiser_id) if found.choices else "",
        inspectors=found.choices.inspectors if found.choices else {},
        filters=filters,
        filtered=bool(given),
        next_page=f"/cases?{urlencode({**given, 'cursor': found.next_cursor})}" if found.next_cursor else None,
        first_page=f"/cases?{urlencode(given)}" if cursor else None,
    )
