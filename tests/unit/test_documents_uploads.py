"""Uploaded PDFs are checked by content; each bad one is refused with its code and a Swedish message."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

import pikepdf
import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from documents.render import render_pdf
from documents.uploads import (
    MAX_UPLOAD_BYTES,
    ActiveContent,
    EncryptedPdf,
    NotAPdf,
    TooLarge,
    UploadRefused,
    check_pdf_upload,
)
from tests.unit.documents_support import ludvika_decision


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf(change: Callable[[PdfWriter], None] = lambda _: None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    change(writer)
    return _written(writer)


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGES = (b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")


def encrypted(user_password: str) -> bytes:
    return blank_pdf(lambda w: w.encrypt(user_password=user_password, owner_password="ägare", algorithm="AES-256"))


def with_open_action(action: dict[str, object]) -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject(k): (NameObject(v) if str(v).startswith("/") else TextStringObject(v))
                for k, v in action.items()
            }
        )

    return change


def document_javascript(writer: PdfWriter) -> None:
    """A document-level script (the catalog's /Names /JavaScript tree), run when the file opens."""
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hej');")}
    )
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hej"), writer._add_object(script)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def page_additional_action(writer: PdfWriter) -> None:
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/GoTo")})}
    )


def javascript_in_object_stream() -> bytes:
    """JavaScript only inside a compressed object stream: invisible to a search of the raw bytes."""
    with pikepdf.open(io.BytesIO(blank_pdf(document_javascript))) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    data = out.getvalue()
    assert b"JavaScript" not in data
    return data


REFUSED: dict[str, tuple[Callable[[], bytes], type[UploadRefused], int, str, str]] = {
    "an image named .pdf": (
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(200),
        NotAPdf,
        415,
        "unsupported_media_type",
        "inte en PDF-fil",
    ),
    "text": (lambda: b"Redovisning\n" * 50, NotAPdf, 415, "unsupported_media_type", "inte en PDF-fil"),
    "a broken PDF": (
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 20,
        NotAPdf,
        415,
        "unsupported_media_type",
        "kunde inte läsas",
    ),
    "over 20 MB": (
        lambda: blank_pdf() + b"%" * (MAX_UPLOAD_BYTES + 1),
        TooLarge,
        413,
        "payload_too_large",
        "högst 20 MB",
    ),
    "encrypted": (lambda: encrypted("hemligt"), EncryptedPdf, 422, "validation_error", "krypterad"),
    "encrypted, empty password": (lambda: encrypted(""), EncryptedPdf, 422, "validation_error", "krypterad"),
    "document JavaScript": (
        lambda: blank_pdf(document_javascript),
        ActiveContent,
        422,
        "validation_error",
        "JavaScript",
    ),
    "JavaScript in an object stream": (
        javascript_in_object_stream,
        ActiveContent,
        422,
        "validation_error",
        "JavaScript",
    ),
    "JavaScript under escaped names": (
        lambda: raw_pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (x) >> >>", *PAGES),
        ActiveContent,
        422,
        "validation_error",
        "JavaScript",
    ),
    "a launch action": (
        lambda: blank_pdf(with_open_action({"/S": "/Launch", "/F": "C:\\Windows\\System32\\calc.exe"})),
        ActiveContent,
        422,
        "validation_error",
        "Launch",
    ),
    "a page's automatic action": (
        lambda: blank_pdf(page_additional_action),
        ActiveContent,
        422,
        "validation_error",
        "automatiska åtgärder",
    ),
    "an embedded file": (
        lambda: blank_pdf(lambda w: w.add_attachment("program.exe", b"MZ\x90\x00")),
        ActiveContent,
        422,
        "validation_error",
        "inbäddade filer",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_bad_upload_is_refused_with_its_code_and_a_swedish_message(case: str) -> None:
    make, error, status, code, words = REFUSED[case]
    with pytest.raises(error) as refused:
        check_pdf_upload(make(), "redovisning.pdf")
    assert (refused.value.status, refused.value.code, refused.value.field) == (status, code, "file")
    assert words in refused.value.message
    assert refused.value.message_en and refused.value.message != refused.value.message_en


def test_a_plain_pdf_and_a_decision_are_accepted_with_their_hash_and_a_safe_name() -> None:
    plain = blank_pdf()
    accepted = check_pdf_upload(plain, "C:\\Users\\anna\\Protokollsutdrag § 122.PDF")
    assert accepted.sha256 == hashlib.sha256(plain).hexdigest()
    assert (accepted.size, accepted.media_type, accepted.pages) == (len(plain), "application/pdf", 1)
    assert accepted.filename == "Protokollsutdrag § 122.pdf"
    decision = check_pdf_upload(render_pdf(ludvika_decision()), None)
    assert decision.pages == 2 and decision.filename == "bilaga.pdf"


def test_a_harmless_open_action_is_accepted() -> None:
    go_to = raw_pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>", *PAGES)
    assert check_pdf_upload(go_to, "karta.pdf").pages == 1


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("a\u202egpj.pdf", "a_gpj.pdf"),
        ('ett "namn" <med> tecken?.pdf', "ett _namn_ _med_ tecken_.pdf"),
        ("nul.pdf", "_nul.pdf"),
        ("  .. ", "bilaga.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("Rapport\n2025.pdf", "Rapport_2025.pdf"),
    ],
)
def test_file_names_are_sanitised(sent: str, kept: str) -> None:
    assert check_pdf_upload(blank_pdf(), sent).filename == kept
