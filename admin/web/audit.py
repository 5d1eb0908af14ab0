"""The auditor's page: the latest signed checkpoint and a button to sign one now, a full verification of
the store (chains, log, checkpoints, read model), and each case's proven export as a download."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse, HTMLResponse
from starlette.background import BackgroundTask

from admin.context import context
from admin.services.audit import CheckpointConflict, CheckpointKeyError, CheckpointRefused, Failure
from admin.services.errors import UnknownCase
from admin.texts import tell_key
from admin.web.session import TEMPLATES, Visitor, WebRoute, need, posted_form, render, signed_in
from domain import DomainError, ErrorCode, Role

log = structlog.get_logger(__name__)
router = APIRouter(route_class=WebRoute, include_in_schema=False)
Signed = Annotated[Visitor, Depends(signed_in)]
NO_KEY = (
    "Nyckeln som signerar kontrollpunkterna saknas eller går inte att använda på servern, så inga kontrollpunkter "
    "kan signeras eller kontrolleras här. Driften ser i serverns logg vilken fil som saknas."
)
REFUSED = (
    "Händelseloggen stämmer inte längre med den senast signerade kontrollpunkten. Kontrollera hela loggen nedan "
    "för att se var den har ändrats."
)


def finding_text(failure: Failure) -> str:
    """A verification's finding in Swedish, from the message catalogue (``domain.messages.findings``)."""
    return tell_key(failure.key, failure.params) if failure.key else failure.reason


TEMPLATES.env.globals["finding_text"] = finding_text


async def _audit_page(request: Request, who: Visitor, status: int = 200, **page: Any) -> Response:
    need(who.me, Role.AUDITOR)
    services = context(request).services
    latest = key_problem = public_key = None
    try:
        latest = await services.audit.latest_checkpoint()
        public_key = services.audit.public_key()
    except CheckpointKeyError as error:
        log.error("audit page: no checkpoint key", error=str(error))
        key_problem = NO_KEY
    names = await services.organisers.names()
    cases = await context(request).cases.search(who.me)
    return render(
        request,
        who,
        "audit.html",
        status,
        cases=cases,
        names=names,
        latest=latest,
        public_key=public_key,
        key_problem=key_problem,
        **page,
    )


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, who: Signed) -> Response:
    """The audit page (role auditor): the latest checkpoint, verification, each case's export."""
    return await _audit_page(request, who)


@router.post("/audit/checkpoint", response_class=HTMLResponse)
async def make_checkpoint(request: Request) -> Response:
    """Sign a checkpoint of the log now and show it (the latest again when nothing new was recorded)."""
    await posted_form(request)
    who = await signed_in(request)
    need(who.me, Role.AUDITOR)
    try:
        made = await context(request).services.audit.checkpoint()
    except CheckpointKeyError as error:
        log.error("audit page: no checkpoint key", error=str(error))
        return await _audit_page(request, who, 503, checkpoint_error=NO_KEY)
    except (CheckpointRefused, CheckpointConflict) as error:
        log.error("audit page: checkpoint refused", error=str(error))
        return await _audit_page(request, who, 409, checkpoint_error=REFUSED)
    return await _audit_page(request, who, made=made)


@router.post("/audit/verify", response_class=HTMLResponse)
async def verify(request: Request) -> Response:
    """Verify the whole store (chains, log, checkpoints, read model) and show the report."""
    await posted_form(request)
    who = await signed_in(request)
    need(who.me, Role.AUDITOR)
    try:
        report = await context(request).services.audit.verify()
    except CheckpointKeyError as error:
        log.error("audit page: no checkpoint key", error=str(error))
        return await _audit_page(request, who, 503)
    return await _audit_page(request, who, report=report)


@router.get("/audit/export/{case_id}")
async def export(request: Request, case_id: str, who: Signed) -> Response:
    """The case's proven export (the same file as ``inspections audit export``), as a download."""
    need(who.me, Role.AUDITOR)
    handle, name = tempfile.mkstemp(prefix="export-", suffix=".jsonl")
    os.close(handle)
    path = Path(name)
    try:
        report = await context(request).services.audit.export(case_id, path)
    except UnknownCase:
        path.unlink(missing_ok=True)
        raise DomainError(ErrorCode.NOT_FOUND, "case.not_found", "case_id", {"case_id": case_id}) from None
    except CheckpointKeyError as error:
        path.unlink(missing_ok=True)
        log.error("audit page: no checkpoint key", error=str(error))
        return await _audit_page(request, who, 503, checkpoint_error=NO_KEY)
    except (CheckpointRefused, CheckpointConflict) as error:
        path.unlink(missing_ok=True)
        log.error("audit page: checkpoint refused", error=str(error))
        return await _audit_page(request, who, 409, checkpoint_error=REFUSED)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    view = await context(request).cases.get(who.me, report.case_id)
    filename = re.sub(r"[^A-Za-z0-9._-]+", "_", view.dnr) + ".jsonl"
    return FileResponse(
        path,
        media_type="application/x-ndjson",
        filename=filename,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
