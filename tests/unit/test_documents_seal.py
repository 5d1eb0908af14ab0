"""Issued decisions carry the organisation's PAdES seal: valid against the development CA, broken by any change."""

from __future__ import annotations

import asyncio
import io
import stat
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from documents.dev_seal import ensure_dev_seal
from documents.issue import IssuedDocument, issue_document, issue_document_blocking
from documents.models import DocumentInput
from documents.seal import Seal, SealError, SealFiles, check_seal, load_seal
from tests.unit.documents_support import ludvika_decision, ludvika_follow_up, ludvika_referral


@pytest.fixture(scope="module")
def secrets_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("secrets") / "secrets"


@pytest.fixture(scope="module")
def seal(secrets_dir: Path) -> Seal:
    return load_seal(ensure_dev_seal(secrets_dir))


def test_the_development_seal_is_made_once_and_readable_by_the_owner_only(secrets_dir: Path, seal: Seal) -> None:
    files = ensure_dev_seal(secrets_dir)
    first = files.p12.read_bytes()
    assert ensure_dev_seal(secrets_dir).p12.read_bytes() == first  # not made again
    assert stat.S_IMODE(secrets_dir.stat().st_mode) == 0o700
    for path in secrets_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert {p.name for p in secrets_dir.iterdir()} == {
        "dev-seal-ca.pem",
        "dev-seal-ca.key.pem",
        "dev-seal.p12",
        "dev-seal.p12.password",
    }


@pytest.mark.parametrize("make", [ludvika_decision, ludvika_follow_up, ludvika_referral])
async def test_each_issued_document_is_sealed_and_the_seal_holds(seal: Seal, make: Callable[[], DocumentInput]) -> None:
    issued = await issue_document(make(), seal)
    check = await check_seal(issued.content, seal.trust_roots)
    assert check.valid, check.reason
    assert check.signer is not None and "Skolinspektionen" in check.signer
    with pikepdf.open(io.BytesIO(issued.content)) as pdf:  # the seal keeps the PDF/A identification
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        assert pdf.Root.AcroForm.Fields[0].FT == "/Sig"


def _changed(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


@pytest.mark.parametrize("where", ["header", "middle", "signature"])
async def test_one_changed_byte_breaks_the_seal(seal: Seal, where: str) -> None:
    issued = await issue_document(ludvika_follow_up(), seal)
    data = issued.content
    offsets = {
        "header": data.index(b"/Title") + 10,
        "middle": len(data) // 3,
        "signature": data.index(b"/Contents <") + 200,  # inside the CMS signature itself
    }
    check = await check_seal(_changed(data, offsets[where]), seal.trust_roots)
    assert not check.valid
    assert check.reason is not None
    if where != "signature":  # the signed bytes changed: the digest no longer matches
        assert "not intact" in check.reason


async def test_a_seal_is_not_trusted_without_its_ca(seal: Seal, tmp_path: Path) -> None:
    issued = await issue_document(ludvika_decision(), seal)
    other_ca = load_seal(ensure_dev_seal(tmp_path / "other")).trust_roots
    check = await check_seal(issued.content, other_ca)
    assert not check.valid and check.reason is not None and "not trusted" in check.reason


async def test_issuing_again_gives_the_same_bytes_so_a_retry_stores_nothing_new(seal: Seal) -> None:
    first: IssuedDocument = await issue_document(ludvika_follow_up(), seal)
    again = await issue_document(ludvika_follow_up(), seal)
    assert again.sha256 == first.sha256 and again.content == first.content
    later = ludvika_follow_up().model_copy(update={"issued_at": ludvika_follow_up().issued_at.replace(minute=31)})
    assert (await issue_document(later, seal)).sha256 != first.sha256
    assert (await asyncio.to_thread(issue_document_blocking, ludvika_follow_up(), seal)) == first
    assert first.filename == "Uppföljningsbeslut 2025-1234 2026-03-05.pdf"
    assert first.media_type == "application/pdf" and first.size == len(first.content)


def test_a_wrong_password_or_a_missing_file_is_a_seal_error(secrets_dir: Path, tmp_path: Path) -> None:
    files = ensure_dev_seal(secrets_dir)
    wrong = tmp_path / "wrong-password"
    wrong.write_text("inte-lösenordet")
    with pytest.raises(SealError, match="cannot load the seal"):
        load_seal(SealFiles(p12=files.p12, password_file=wrong))
    with pytest.raises(SealError, match="cannot load the seal"):
        load_seal(SealFiles(p12=tmp_path / "missing.p12", password_file=files.password_file))
