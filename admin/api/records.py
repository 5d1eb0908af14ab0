"""The register and archive routes of the JSON API (docs/api.md, "Register and archive"): ``routes`` includes this.

``GET /register`` (registrar, inspector, auditor) answers JSON, or CSV with ``Accept: text/csv``;
``GET /cases/{case_id}/archive-package`` (auditor) answers the case's E-ARK SIP as a zip.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel
from starlette.background import BackgroundTask

from admin.api.audit import _refusal
from admin.context import AppContext, app_context, current_user, require
from admin.errors import documented
from admin.services.archive import CaseStillOpen
from admin.services.audit import CheckpointConflict, CheckpointKeyError, CheckpointRefused
from admin.services.errors import UnknownCase
from admin.services.records import RegisterRow, to_csv
from domain import DomainError, ErrorCode, Role, User

log = structlog.get_logger(__name__)
router = APIRouter(tags=["records"])
Ctx = Annotated[AppContext, Depends(app_context)]
Caller = Annotated[User, Depends(current_user)]


class Secrecy(BaseModel):
    """A secrecy marking: the provision (lagrum) and the day it was marked."""

    lagrum: str
    marked_on: date


class RegisterEntry(BaseModel):
    """One register entry (docs/api.md), with its case, number in the case, kind and disposal."""

    registered_on: date
    dnr: str
    direction: str
    counterpart: str | None
    description: str
    document_sha256: str | None
    secrecy: Secrecy | None
    case_id: str
    number: int
    kind: str
    registered_by: str
    disposed_on: date | None
    """The day the document's bytes were disposed of (gallrad), if they were."""
    disposal_rule: str | None


class RegisterAnswer(BaseModel):
    """The entries found, oldest first."""

    entries: list[RegisterEntry]


def entry_answer(row: RegisterRow) -> RegisterEntry:
    """A stored entry as the API shows it."""
    secrecy = None
    if row.secrecy_lagrum and row.secrecy_marked_on:
        secrecy = Secrecy(lagrum=row.secrecy_lagrum, marked_on=row.secrecy_marked_on)
    return RegisterEntry(
        **row.model_dump(
            include={"registered_on", "dnr", "counterpart", "description", "document_sha256", "case_id", "number"}
        ),
        direction=row.direction.value,
        secrecy=secrecy,
        kind=row.kind.value,
        registered_by=row.registered_by,
        disposed_on=row.disposed_on,
        disposal_rule=row.disposal_rule,
    )


_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _day(field: str, text: str | None) -> date | None:
    """A date of the query (YYYY-MM-DD), or a 422 naming the field."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        key = "register.from_unreadable" if field == "from" else "register.to_unreadable"
        raise DomainError(ErrorCode.VALIDATION_ERROR, key, field, {"value": text}) from None


@router.get(
    "/register",
    response_model=RegisterAnswer,
    responses={200: {"content": {"text/csv": {}}}, **documented(401, 403, 422)},
)
async def register(
    ctx: Ctx,
    caller: Caller,
    request: Request,
    from_: Annotated[str | None, Query(alias="from", pattern=_DATE, description="registered on or after")] = None,
    to: Annotated[str | None, Query(pattern=_DATE, description="registered on or before (YYYY-MM-DD)")] = None,
    dnr: Annotated[str | None, Query(description="the case's Dnr (case and blanks ignored)")] = None,
    counterpart: Annotated[str | None, Query(description="part of the sender's or recipient's name")] = None,
) -> RegisterAnswer | Response:
    """The register (diarium): every handling of every case, by registration date (registrar, inspector,
    auditor). ``Accept: text/csv`` answers CSV with the header
    ``registered_on,dnr,direction,counterpart,description,document_sha256,secrecy_lagrum``."""
    require(caller, Role.REGISTRAR, Role.INSPECTOR, Role.AUDITOR)
    first, last = _day("from", from_), _day("to", to)
    if first and last and first > last:
        params = {"date": first.isoformat(), "earlier": last.isoformat()}
        raise DomainError(ErrorCode.VALIDATION_ERROR, "register.from_after_to", "from", params)
    rows = await ctx.services.records.search(from_=first, to=last, dnr=dnr, counterpart=counterpart)
    if "text/csv" in request.headers.get("accept", ""):
        return Response(
            to_csv(rows).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="diarium.csv"'},
        )
    return RegisterAnswer(entries=[entry_answer(r) for r in rows])


@router.get(
    "/cases/{case_id}/archive-package",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}}, **documented(401, 403, 404, 409, 503)},
)
async def archive_package(case_id: str, ctx: Ctx, caller: Caller) -> FileResponse:
    """The case's archival package, an E-ARK SIP as a zip (one top folder named after the package id, METS.xml
    in it); a checkpoint of the log is signed first (role auditor). A case still open → 409."""
    require(caller, Role.AUDITOR)
    folder = Path(tempfile.mkdtemp(prefix="archive-api-"))
    out = folder / "package.zip"

    def cleanup() -> None:
        out.unlink(missing_ok=True)
        folder.rmdir()

    try:
        report = await ctx.services.archive.export(case_id, out)
    except UnknownCase:
        cleanup()
        raise DomainError(ErrorCode.NOT_FOUND, "case.not_found", "case_id", {"case_id": case_id}) from None
    except CaseStillOpen:
        cleanup()
        state = await ctx.cases.get(caller, case_id)
        params = {"dnr": state.dnr, "state": state.state.value}
        raise DomainError(ErrorCode.CONFLICT, "archive.case_open", "case_id", params) from None
    except (CheckpointKeyError, CheckpointRefused, CheckpointConflict) as error:
        cleanup()
        raise _refusal(error) from None
    except BaseException:  # a target that cannot be written, a lost connection: nothing stays behind
        cleanup()
        raise
    return FileResponse(
        out, media_type="application/zip", filename=f"{report.package_id}.zip", background=BackgroundTask(cleanup)
    )
