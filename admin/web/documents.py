"""A case's documents on the pages: the list with download links, and the files a command's form attaches.

A form whose command takes ``attachments`` (an input of kind ``files``: the account, a registration of
an account that came by post or e-mail) is sent as ``multipart/form-data``; its files are checked and
stored through the service layer before the command is issued, and the command names them, with the
case's documents ticked in the same form, by their SHA-256. A refused file refuses the form (beside the
input, in Swedish) and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import UploadFile

from admin.context import context
from admin.services.documents import DocumentView, content_disposition
from admin.web.session import Visitor, WebRoute, signed_in
from domain.disclosure import is_staff
from domain.forms import CommandForm

router = APIRouter(route_class=WebRoute, include_in_schema=False)
Signed = Annotated[Visitor, Depends(signed_in)]

KINDS = {
    "decision": "Beslut",
    "follow_up_decision": "Uppföljningsbeslut",
    "referral": "Beslut om överlämning till tillsyn",
    "receipt": "Mottagningsbekräftelse",
    "attachment": "Bilaga",
}
DIRECTIONS = {"incoming": "Inkommen", "outgoing": "Utgående", "internal": "Upprättad internt"}


@dataclass(frozen=True)
class DocumentRow:
    """One document as the case page lists it (Swedish words, a link to its bytes)."""

    href: str
    filename: str
    kind: str
    direction: str
    registered_at: Any
    size: str


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"  # a small file is "1 kB", never "0 kB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def document_facts(who: Visitor, case_id: str, found: list[DocumentView] | None) -> dict[str, Any]:
    """What the case page shows of the case's documents ``found`` (None: the user may not read them): the rows
    and, for a form's ``files`` input, the documents the user may attach (SHA-256 → file name)."""
    if found is None:
        return {"documents": None, "attachable": {}}
    rows = [
        DocumentRow(
            href=f"/cases/{case_id}/documents/{d.sha256}",
            filename=d.filename,
            kind=KINDS.get(d.kind.value, d.kind.value),
            direction=DIRECTIONS.get(d.direction.value, d.direction.value),
            registered_at=d.registered_at,
            size=_size(d.size),
        )
        for d in found
    ]
    staff = is_staff(who.me)  # an organiser attaches its own uploads; staff any uploaded file of the case
    attachable = {
        d.sha256: d.filename
        for d in found
        if d.kind.value == "attachment" and (staff or d.direction.value == "incoming")
    }
    return {"documents": rows, "attachable": attachable}


async def with_attachments(
    request: Request, who: Visitor, case_id: str, spec: CommandForm, body: dict[str, Any]
) -> dict[str, Any]:
    """``body`` with the form's files uploaded and named, beside the documents ticked, for each ``files`` input."""
    inputs = [f for f in spec.fields if f.kind == "files"]
    if not inputs:
        return body
    form = await request.form()
    service = context(request).services.documents
    for field in inputs:
        values = form.getlist(field.name)
        ticked = [v for v in values if isinstance(v, str) and v]
        files = [(v.filename, await v.read()) for v in values if isinstance(v, UploadFile) and v.filename]
        uploaded = await service.upload_all(who.me, case_id, files, field.name) if files else []
        body = {**body, field.name: list(dict.fromkeys([*ticked, *uploaded]))}
    return body


@router.get("/cases/{case_id}/documents/{sha256}")
async def download(request: Request, case_id: str, sha256: str, who: Signed) -> Response:
    """A document of the case, downloaded under its file name (who may: as in the API)."""
    document, content = await context(request).services.documents.download(who.me, case_id, sha256)
    headers = {"Content-Disposition": content_disposition(document.filename)}
    return Response(content, media_type=document.media_type, headers=headers)
