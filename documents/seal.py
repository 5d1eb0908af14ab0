"""Seal a PDF with the organisation's certificate (PAdES B-B, pyhanko) and check such a seal.

The seal is a certification signature (no change allowed afterwards) with the PAdES
sub-filter ``ETSI.CAdES.detached``, SHA-256 and RSA PKCS#1 v1.5. Sealing is deterministic:
the signing time is the caller's (the signing command's time on the workflow clock), the
second half of the PDF's ``/ID`` is derived from the input instead of drawn at random, and
PKCS#1 v1.5 signatures carry no randomness, so a retried activity seals the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import DocumentMetadata
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

SEAL_FIELD = "Skolinspektionens_sigill"


class SealError(Exception):
    """The seal's key material could not be loaded (missing file, wrong password)."""


class _ParsedKeySigner(signers.SimpleSigner):
    """pyhanko's SimpleSigner, with its RSA key parsed once instead of at every signature.

    pyhanko re-parses (and so re-validates) the private key for each raw signature, about
    0.2 s for RSA-3072 and twice per seal (size estimate and signature); RSA PKCS#1 v1.5 is
    signed here with the parsed key, anything else is left to pyhanko.
    """

    def __init__(self, loaded: signers.SimpleSigner) -> None:
        super().__init__(
            signing_cert=loaded.signing_cert, signing_key=loaded.signing_key, cert_registry=loaded.cert_registry
        )
        self._key = serialization.load_der_private_key(loaded.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """The raw signature of ``data`` (what pyhanko calls for the CMS SignerInfo)."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


@dataclass
class _SealedAt(DocumentMetadata):
    """pyhanko's document metadata with "now" read as the sealing time, so that sealing again gives the same bytes.

    pyhanko sets the last-modified date to ``"now"`` (the wall clock) when it writes the incremental update.
    """

    fixed: datetime | None = None

    def __setattr__(self, name: str, value: object) -> None:
        if name == "last_modified" and value == "now" and getattr(self, "fixed", None) is not None:
            value = self.fixed
        super().__setattr__(name, value)


@dataclass(frozen=True)
class SealFiles:
    """Where a seal's key material is: a PKCS#12 file, the file holding its password, and the CA to trust."""

    p12: Path
    password_file: Path
    trust_root: Path | None = None


@dataclass(frozen=True)
class Seal:
    """A loaded organisation seal: the signer (key and certificate chain) and the roots that validate it."""

    signer: signers.SimpleSigner
    trust_roots: tuple[x509.Certificate, ...] = ()
    reserved: list[int] = field(default_factory=list, compare=False, repr=False)
    """The bytes its signatures need (found once, see :func:`_reserved`)."""


@dataclass(frozen=True)
class SealCheck:
    """What checking a PDF's seal found."""

    valid: bool
    """Intact, cryptographically valid, trusted, and nothing changed after sealing."""
    signer: str | None
    reason: str | None
    """Why the seal does not hold (English, for logs and tests); None when valid."""


def load_seal(files: SealFiles) -> Seal:
    """The seal of ``files`` (production: INSPECTIONS_SEAL_P12 and its password file; locally: the dev seal)."""
    try:
        password = files.password_file.read_bytes().strip()
        loaded = signers.SimpleSigner.load_pkcs12_data(files.p12.read_bytes(), other_certs=(), passphrase=password)
        signer = _ParsedKeySigner(loaded)
    except (OSError, ValueError) as error:
        raise SealError(f"cannot load the seal from {files.p12}: {error}") from error
    roots = (load_cert_from_pemder(str(files.trust_root)),) if files.trust_root else ()
    return Seal(signer=signer, trust_roots=roots)


async def _reserved(seal: Seal, session: signers.PdfSigningSession) -> int:
    """Bytes to reserve for ``seal``'s signature. pyHanko estimates it with a trial signature (a third of a
    seal's CPU) whose size depends only on the seal's key and certificates, never on the document: once."""
    if not seal.reserved:
        seal.reserved.append(await session.estimate_signature_container_size(None, tight=False))
    return seal.reserved[0]


async def seal_pdf(pdf: bytes, seal: Seal, sealed_at: datetime) -> bytes:
    """``pdf`` with the organisation's seal added as an incremental update; same input, same bytes."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    writer._meta = _SealedAt(fixed=sealed_at)  # pyhanko writes the wall clock as /ModDate; use the seal's time
    # pyhanko draws the second /ID half at random; derive it from what is sealed instead.
    first_id = writer.document_id[0]
    second_id = hashlib.sha256(pdf + sealed_at.isoformat().encode()).digest()[:16]
    writer._document_id = generic.ArrayObject([generic.ByteStringObject(first_id), generic.ByteStringObject(second_id)])
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=SEAL_FIELD,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            certify=True,
            docmdp_permissions=fields.MDPPerm.NO_CHANGES,
            reason="Skolinspektionens elektroniska sigill",
            location="Sverige",
        ),
        signer=seal.signer,
    )
    # The public interrupted-signing steps of PdfSigner.async_sign_pdf, with the caller's time.
    session = pdf_signer.init_signing_session(writer)
    session.system_time = sealed_at
    tbs = session.prepare_tbs_document(validation_info=None, bytes_reserved=await _reserved(seal, session))
    prepared, output = tbs.digest_tbs_document()
    signed = await tbs.perform_signature(
        document_digest=prepared.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=sealed_at),
    )
    await signed.post_signature_processing(output)
    output.seek(0)
    return output.read()


async def check_seal(pdf: bytes, trust_roots: tuple[x509.Certificate, ...]) -> SealCheck:
    """Check the PDF's seal against ``trust_roots``: intact, valid, trusted and the last change to the file."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception as error:  # a damaged file is a broken seal, whatever pyhanko's parser raised
        return SealCheck(valid=False, signer=None, reason=f"unreadable PDF: {error}")
    if len(embedded) != 1:
        return SealCheck(valid=False, signer=None, reason=f"expected one seal, found {len(embedded)}")
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = await async_validate_pdf_signature(embedded[0], context)
    except Exception as error:  # pyhanko raises for structurally broken signatures
        return SealCheck(valid=False, signer=None, reason=f"seal cannot be validated: {error}")
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else None
    problems = [
        name
        for name, ok in (
            ("not intact", status.intact),
            ("signature invalid", status.valid),
            ("not trusted", status.trusted),
            ("changed after sealing", status.coverage.name == "ENTIRE_FILE"),
            ("not PAdES", embedded[0].sig_object.get("/SubFilter") == "/ETSI.CAdES.detached"),
        )
        if not ok
    ]
    return SealCheck(valid=not problems, signer=signer, reason=", ".join(problems) or None)
