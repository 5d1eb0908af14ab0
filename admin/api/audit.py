"""The audit routes of the JSON API (role auditor): verify the store, sign and read checkpoints of the log,
and a case's proven export (docs/api.md, "Audit"), under ``/api/v1/audit``: ``routes`` includes this router."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel
from starlette.background import BackgroundTask

from admin.context import AppContext, app_context, current_user, require
from admin.errors import ApiError, documented
from admin.services.audit import (
    AuditReport,
    CheckpointConflict,
    CheckpointKeyError,
    CheckpointRefused,
    StoredCheckpoint,
)
from admin.services.errors import UnknownCase
from domain import DomainError, ErrorCode, Role, User

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/audit", tags=["records"])
Ctx = Annotated[AppContext, Depends(app_context)]
Caller = Annotated[User, Depends(current_user)]


class SignedCheckpoint(BaseModel):
    """A signed checkpoint of the log: its size, root hash (base64) and the signed note (C2SP checkpoint)."""

    tree_size: int
    root_hash: str
    note: str


def _answer(checkpoint: StoredCheckpoint) -> SignedCheckpoint:
    return SignedCheckpoint(tree_size=checkpoint.tree_size, root_hash=checkpoint.root_hash, note=checkpoint.note)


def _refusal(error: Exception) -> ApiError:
    """A checkpoint that cannot be made: 503 without a usable key (the log names the file), 409 when the log
    no longer extends the latest signed checkpoint or the sent-out folder holds another of the same size."""
    log.error("audit checkpoint refused", error=str(error), kind=type(error).__name__)
    if isinstance(error, CheckpointKeyError):
        return ApiError(503, "The checkpoint signing key is missing or unusable.", key="audit.no_key")
    return ApiError(409, f"No checkpoint was signed: {error}", key="audit.refused")


@router.post("/checkpoints", status_code=201, response_model=SignedCheckpoint, responses=documented(401, 403, 409, 503))
async def make_checkpoint(ctx: Ctx, caller: Caller) -> SignedCheckpoint:
    """Sign a checkpoint of the whole log now (the latest again when no event came since), store it and send
    it out to the checkpoint folder (role auditor)."""
    require(caller, Role.AUDITOR)
    try:
        return _answer(await ctx.services.audit.checkpoint())
    except (CheckpointKeyError, CheckpointRefused, CheckpointConflict) as error:
        raise _refusal(error) from None


@router.get("/checkpoints/latest", response_model=SignedCheckpoint, responses=documented(401, 403, 404, 503))
async def latest_checkpoint(ctx: Ctx, caller: Caller) -> SignedCheckpoint:
    """The latest checkpoint signed by the log's key (role auditor); 404 before the first."""
    require(caller, Role.AUDITOR)
    try:
        latest = await ctx.services.audit.latest_checkpoint()
    except CheckpointKeyError as error:
        raise _refusal(error) from None
    if latest is None:
        raise ApiError(404, "There is no signed checkpoint yet.", key="audit.no_checkpoint")
    return _answer(latest)


@router.get("/verify", response_model=AuditReport, responses=documented(401, 403, 503))
async def verify(ctx: Ctx, caller: Caller, case_id: str | None = None) -> AuditReport:
    """Verify every chain, the log against the latest signed checkpoint, where each case's chain ends in the
    log, and the read model against the events; every finding names its case, seq and log index as far as
    known (role auditor). With ``case_id``: that case's chain only."""
    require(caller, Role.AUDITOR)
    try:
        return await ctx.services.audit.verify(case_id)
    except CheckpointKeyError as error:
        raise _refusal(error) from None


@router.get(
    "/export",
    response_class=FileResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}, **documented(401, 403, 404, 409, 503)},
)
async def export(ctx: Ctx, caller: Caller, case: Annotated[str, Query(description="case id or Dnr")]) -> FileResponse:
    """A case's proven export as JSON Lines (as ``inspections audit export``): a checkpoint is signed first,
    then each event with its log index and inclusion proof, and the signed checkpoint last (role auditor)."""
    require(caller, Role.AUDITOR)
    handle, name = tempfile.mkstemp(prefix="export-", suffix=".jsonl")
    os.close(handle)
    path = Path(name)
    try:
        report = await ctx.services.audit.export(case, path)
    except UnknownCase:
        path.unlink(missing_ok=True)
        raise DomainError(ErrorCode.NOT_FOUND, "case.not_found", "case", {"case_id": case}) from None
    except (CheckpointKeyError, CheckpointRefused, CheckpointConflict) as error:
        path.unlink(missing_ok=True)
        raise _refusal(error) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(
        path,
        media_type="application/x-ndjson",
        filename=f"{report.case_id}.jsonl",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
