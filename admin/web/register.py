"""The register's pages: the diarium with search and a CSV download (registrar, inspector, auditor), and the
disposal rules with what they would dispose of today (registrar, auditor, admin)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from admin.context import context
from admin.services.records import to_csv
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
    bad = [name for name in ("from", "to") if filters[name].strip() and _day(filters[name]) is None]
    return render(
        request,
        who,
        "register.html",
        rows=rows,
        filters=filters,
        bad=bad,
        kinds={k.value: v for k, v in KIND_LABELS.items()},
        directions={d.value: v for d, v in DIRECTION_LABELS.items()},
        csv_query=request.url.include_query_params(format="csv").query,
    )


@router.get("/register/gallring", response_class=HTMLResponse)
async def disposal_page(request: Request, who: Signed) -> Response:
    """The configured disposal rules, and what they would dispose of today (a dry run, nothing changes)."""
    need(who.me, *RULE_READERS)
    records = context(request).services.records
    actor = ActorRef(username=who.me.username, role=next(r for r in RULE_READERS if who.me.has(r)))
    preview = await records.dispose(actor, date.today(), dry_run=True)
    return render(request, who, "disposal.html", rules=records.rules, preview=preview)
