"""The document routes of the JSON API (docs/api.md, "Documents"): ``routes`` includes this.

- ``POST /cases/{case_id}/documents`` (multipart field ``file``; staff, or the case's organiser) → 201;
  refused uploads answer 415 (not a PDF), 413 (over 20 MB: reading stops there) or 422 (encrypted,
  active content), in Swedish unless ``Accept-Language: en``, and nothing is stored.
- ``GET /cases/{case_id}/documents`` → the documents the caller may see.
- ``GET /cases/{case_id}/documents/{sha256}`` → the bytes, named by RFC 6266/5987 Content-Disposition.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from admin.api.uploads import NoFile, read_file_part
from admin.context import AppContext, app_context, current_user
from admin.errors import documented, error_body, lang_of
from admin.services.documents import DocumentService, DocumentView, UploadRefused, content_disposition
from documents.uploads import MAX_UPLOAD_BYTES, TooLarge
from domain import User
from domain.errors import invalid

router = APIRouter(tags=["documents"])
Ctx = Annotated[AppContext, Depends(app_context)]
Caller = Annotated[User, Depends(current_user)]

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary", "description": "A PDF, ≤ 20 MB."}},
                }
            }
        },
    }
}


class UploadAnswer(BaseModel):
    """The stored upload: its address (SHA-256), sanitised file name, media type and size."""

    sha256: str
    filename: str
    media_type: str
    size: int


class DocumentList(BaseModel):
    """A case's documents the caller may see, in the order they were registered."""

    documents: list[DocumentView]


def _service(ctx: AppContext) -> DocumentService:
    return DocumentService(ctx.services.pool)


def refused_upload(error: UploadRefused, request: Request) -> JSONResponse:
    """docs/api.md's error answer to a refused upload, in the caller's language, naming the field ``file``."""
    message = error.message if lang_of(request) == "sv" else error.message_en
    return JSONResponse(error_body(error.code, message, [{"field": "file", "message": message}]), error.status)


@router.post(
    "/cases/{case_id}/documents",
    status_code=201,
    response_model=UploadAnswer,
    openapi_extra=UPLOAD_BODY,
    responses={
        **documented(401, 403, 404, 413, 422),
        415: {"description": "unsupported_media_type: the file is not a PDF (judged by its content)."},
    },
)
async def upload_document(case_id: str, ctx: Ctx, caller: Caller, request: Request) -> UploadAnswer | JSONResponse:
    """Add a PDF to the case (inspector, decision maker, registrar, or the case's organiser): checked by its
    content, at most 20 MB, not encrypted, no JavaScript or launch actions. Nothing is stored on refusal;
    the same file again answers with the same document. Attach it to an account by its ``sha256``."""
    service = _service(ctx)
    await service.may_upload(caller, case_id)  # who may, before a byte of the file is read
    try:
        part = await read_file_part(request.headers.get("content-type", ""), request.stream(), "file", MAX_UPLOAD_BYTES)
    except NoFile:
        raise invalid("file", "field.missing") from None
    try:
        if part.too_large:
            raise TooLarge(
                "Filen är större än 20 MB. En bilaga får vara högst 20 MB; dela upp den i flera filer.",
                f"The file is larger than {MAX_UPLOAD_BYTES} bytes; an attachment may be at most that.",
            )
        stored = await service.upload(caller, case_id, part.filename, bytes(part.content))
    except UploadRefused as error:
        return refused_upload(error, request)
    return UploadAnswer(sha256=stored.sha256, filename=stored.filename, media_type=stored.media_type, size=stored.size)


@router.get("/cases/{case_id}/documents", response_model=DocumentList, responses=documented(401, 403, 404))
async def list_documents(case_id: str, ctx: Ctx, caller: Caller) -> DocumentList:
    """The case's documents: sealed decisions (outgoing), accounts and attachments (incoming), staff uploads not
    yet part of an account (internal). An organiser sees only those sent to it and its own."""
    return DocumentList(documents=await _service(ctx).list(caller, case_id))


@router.get(
    "/cases/{case_id}/documents/{sha256}",
    responses={**documented(401, 403, 404), 200: {"content": {"application/pdf": {}}, "description": "The bytes."}},
)
async def download_document(case_id: str, sha256: str, ctx: Ctx, caller: Caller) -> Response:
    """The document's bytes, as an attachment named by its file name (``filename*``, RFC 5987, for non-ASCII)."""
    document, content = await _service(ctx).download(caller, case_id, sha256)
    return Response(
        content,
        media_type=document.media_type,
        headers={"Content-Disposition": content_disposition(document.filename), "ETag": f'"{document.sha256}"'},
    )
