"""Checks of an uploaded PDF before anything is stored: by content, size, encryption and active content.

:func:`check_pdf_upload` is pure (bytes and a name in, a verdict out). The file is parsed
with pypdf, never trusted by its extension; every object reachable from the trailer is
walked (object streams included, names already un-escaped by the parser) looking for
anything that runs or launches by itself. Each refusal is an :class:`UploadRefused` with the
API's code, HTTP status and a Swedish message that says what to do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from documents.filenames import sanitise_filename

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PDF_MEDIA_TYPE = "application/pdf"
ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/AA": "automatiska åtgärder (/AA)",
    "/RichMedia": "inbäddad media (RichMedia)",
    "/XFA": "XFA-formulär",
    "/EmbeddedFiles": "inbäddade filer",
    "/EF": "inbäddade filer",
}
ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "en startåtgärd (Launch) som öppnar andra program eller filer",
    "/ImportData": "en åtgärd som hämtar data (ImportData)",
    "/SubmitForm": "en åtgärd som skickar formulärdata (SubmitForm)",
    "/RichMediaExecute": "inbäddad media (RichMediaExecute)",
    "/Rendition": "en mediaåtgärd (Rendition)",
}
_MAX_OBJECTS = 500_000  # a 20 MB file has far fewer; beyond this the structure is hostile


class UploadRefused(Exception):
    """An upload that is not accepted; nothing was stored. ``message`` is Swedish, ``message_en`` English."""

    code = "validation_error"
    status = 422

    def __init__(self, message: str, message_en: str, found: str | None = None) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en
        self.field = "file"
        self.found = found
        """What was found that is refused (active content: its Swedish description), if anything."""


class NotAPdf(UploadRefused):
    """The content is not a readable PDF, whatever its name says."""

    code = "unsupported_media_type"
    status = 415


class TooLarge(UploadRefused):
    """The file is over :data:`MAX_UPLOAD_BYTES`."""

    code = "payload_too_large"
    status = 413


class EncryptedPdf(UploadRefused):
    """The PDF is encrypted (or password protected) and cannot be archived or checked."""


class ActiveContent(UploadRefused):
    """The PDF carries something that runs or launches by itself (JavaScript, launch actions …)."""


@dataclass(frozen=True)
class AcceptedUpload:
    """An upload that passed every check: what to store."""

    content: bytes
    sha256: str
    size: int
    filename: str
    media_type: str
    pages: int


def check_pdf_upload(content: bytes, filename: str | None) -> AcceptedUpload:
    """Accept ``content`` as a PDF attachment or raise :class:`UploadRefused` saying why."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise TooLarge(
            f"Filen är {len(content) / 1024 / 1024:.1f} MB".replace(".", ",")
            + ". En bilaga får vara högst 20 MB; dela upp den i flera filer.",
            f"The file is {len(content)} bytes; an attachment may be at most {MAX_UPLOAD_BYTES} bytes.",
        )
    reader = _parse(content)
    if reader.is_encrypted:
        raise EncryptedPdf(
            "PDF-filen är krypterad eller lösenordsskyddad. Spara den utan lösenord och skicka den igen.",
            "The PDF is encrypted or password protected.",
        )
    try:
        pages = len(reader.pages)
        found = _active_content(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise NotAPdf(
            "Filen kunde inte läsas som en PDF-fil. Kontrollera att det är en PDF och försök igen.",
            f"The file could not be read as a PDF: {error}",
        ) from error
    if found:
        raise ActiveContent(
            f"PDF-filen innehåller {found}, som inte tas emot. Skriv ut den till en ny PDF "
            "(till exempel med ”Skriv ut som PDF”) och skicka den igen.",
            f"The PDF contains active content ({found}).",
            found,
        )
    if pages < 1:
        raise NotAPdf("PDF-filen har inga sidor.", "The PDF has no pages.")
    return AcceptedUpload(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        filename=sanitise_filename(filename),
        media_type=PDF_MEDIA_TYPE,
        pages=pages,
    )


def _parse(content: bytes) -> PdfReader:
    # A PDF starts with its header within the first 1024 bytes (ISO 32000-1, 7.5.2 and Annex H).
    if b"%PDF-" not in content[:1024]:
        raise NotAPdf(
            "Filen är inte en PDF-fil. Bara PDF-filer tas emot som bilagor.",
            "The file is not a PDF (no %PDF- header).",
        )
    try:
        return PdfReader(BytesIO(content), strict=False)
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise NotAPdf(
            "Filen kunde inte läsas som en PDF-fil. Kontrollera att det är en PDF och försök igen.",
            f"The file could not be read as a PDF: {error}",
        ) from error


def _active_content(reader: PdfReader) -> str | None:
    """What active content the document holds (Swedish description), or None: a walk of every reachable object."""
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > _MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):  # streams are dictionaries too: their dictionary is walked
            for name, value in item.items():
                if name in ACTIVE_KEYS:
                    return ACTIVE_KEYS[name]
                if name == "/S" and isinstance(value, NameObject) and value in ACTIVE_ACTIONS:
                    return ACTIVE_ACTIONS[value]
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None
