"""The register's pages: the diarium with search and a CSV download (registrar, inspector, auditor), and the
disposal rules with what they would dispose of today (registrar, auditor, admin)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from admin.context import context
from admin.services.records import to_csv
from admin.texts import tell_key
from admin.web.forms import summary_links
from admin.web.session import Visitor, WebRoute, need, render, signed_in
from domain import ActorRef, Role
from domain.register import DIRECTION_LABELS, KIND_LABELS

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Signed = Annotated[Visitor, Depends(signed_in)]
READERS = (Role.REGISTRAR, Role.INSPECTOR, Role.AUDITOR)
RULE_READERS = (Role.REGISTRAR, Role.AUDITOR, Role.ADMIN)


def _day(text: str | None) -> date | None:
    """A date typed in a search field; anything unreadable is no filter (the field shows it back)."""
    try:
        return date.fromisoformat(text.strip()) if text and text.strip() else None
    except ValueError:
        return None


@router.get("/register", response_class=HTMLResponse)
async def register_page(
    request: Request,
    who: Signed,
    to: str | None = None,
    dnr: str | None = None,
    counterpart: str | None = None,
    format: str | None = None,
) -> Response:
    """The diarium: every handling by registration date, searched by dates, Dnr and counterpart."""
    need(who.me, *READERS)
    query = request.query_params
    filters = {"from": query.get("from", ""), "to": to or "", "dnr": dnr or "", "counterpart": counterpart or ""}
    rows = await context(request).services.records.search(
        from_=_day(filters["from"]), to=_day(to), dnr=dnr or None, counterpart=counterpart or None
    )
    if format == "csv":
        return Response(
            to_csv(rows).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="diarium.csv"'},
        )
    errors = _date_errors(filters["from"], filters["to"])
    return render(
        request,
        who,
        "register.html",
        rows=rows,
        filters=filters,
        errors=errors,
        links=summary_links("register", errors, hidden_codes=False),
        kinds={k.value: v for k, v in KIND_LABELS.items()},
        directions={d.value: v for d, v in DIRECTION_LABELS.items()},
        csv_query=request.url.include_query_params(format="csv").query,
    )


def _date_errors(first: str, last: str) -> dict[str, str]:
    """The search's date fields that cannot be used, by name, each with its reason from the catalogue."""
    errors = {}
    for name, text, key in (("from", first, "register.from_unreadable"), ("to", last, "register.to_unreadable")):
        if text.strip() and _day(text) is None:
            errors[name] = tell_key(key, {"value": text.strip()})
    start, end = _day(first), _day(last)
    if start and end and start > end:
        errors["from"] = tell_key("register.from_after_to", {"date": start.isoformat(), "earlier": end.isoformat()})
    return errors


@router.get("/register/gallring", response_class=HTMLResponse)
async def disposal_page(request: Request, who: Signed) -> Response:
    """The configured disposal rules, and what they would dispose of today (a dry run, nothing changes)."""
    need(who.me, *RULE_READERS)
    records = context(request).services.records
    actor = ActorRef(username=who.me.username, role=next(r for r in RULE_READERS if who.me.has(r)))
    preview = await records.dispose(actor, date.today(), dry_run=True)
    return render(request, who, "disposal.html", rules=records.rules, preview=preview)
