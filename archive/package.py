"""Write one case's E-ARK SIP: a folder named after the package id with METS.xml in it, or that folder zipped.

Layout (CSIP 2.1)::

    <package id>/METS.xml
    <package id>/metadata/descriptive/erms.xml       the case as CITS ERMS
    <package id>/metadata/preservation/premis.xml    fixity and history of every file
    <package id>/representations/rep1/data/documents/handling-NNN-<sha>.pdf   the PDF/A documents
    <package id>/representations/rep1/data/events.jsonl   the events with hash chain and inclusion proofs
    <package id>/representations/rep1/data/checkpoint.txt the signed checkpoint they lead to
    <package id>/schemas/ERMS.xsd
    <package id>/documentation/README.txt, checkpoint-public-key.txt

Nothing is ever half-written: everything goes to a temporary name beside the target first and is renamed
into place only when complete; a failure leaves the target as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from pydantic import BaseModel

from archive.erms import SCHEMA, erms_xml
from archive.mets import mets_xml
from archive.model import PackageInput, document_path
from archive.premis import PackageFile, premis_xml
from archive.readme import readme_text


class ArchiveTargetError(Exception):
    """The package cannot be written where asked; the message names the path and what to do."""


class PackageReport(BaseModel):
    """What was written."""

    package_id: str
    path: Path
    files: int
    documents: int
    disposed: int
    """Documents the register names whose bytes were disposed of (gallrade): listed, not included."""
    final: bool


def _file(path: str, content: bytes, media_type: str, original_name: str | None = None) -> tuple[PackageFile, bytes]:
    digest = hashlib.sha256(content).hexdigest()
    return PackageFile(path, media_type, len(content), digest, original_name), content


def package_files(package: PackageInput) -> list[tuple[PackageFile, bytes]]:
    """Every file of the package with its bytes, METS.xml last (it lists all the others)."""
    data: list[tuple[PackageFile, bytes]] = []
    seen: set[str] = set()
    for entry in package.entries:
        document = package.document(entry.document_sha256) if entry.document_sha256 else None
        if document is None or document.content is None or document.sha256 in seen:
            continue
        seen.add(document.sha256)
        path = document_path(entry.number, document.sha256)
        data.append(_file(path, document.content, document.media_type, document.filename))
    data.append(_file("representations/rep1/data/events.jsonl", package.events_jsonl, "text/plain"))
    data.append(_file("representations/rep1/data/checkpoint.txt", package.checkpoint_note.encode(), "text/plain"))
    other = [
        _file("documentation/README.txt", readme_text(package).encode(), "text/plain"),
        _file("documentation/checkpoint-public-key.txt", (package.public_key + "\n").encode(), "text/plain"),
        _file("schemas/ERMS.xsd", SCHEMA.read_bytes(), "application/xml"),
    ]
    erms = _file("metadata/descriptive/erms.xml", erms_xml(package), "application/xml")
    premis = _file("metadata/preservation/premis.xml", premis_xml(package, [f for f, _ in data]), "application/xml")
    listed = [f for f, _ in other] + [f for f, _ in data]
    mets = _file("METS.xml", mets_xml(package, erms[0], premis[0], listed), "application/xml")
    return [*other, *data, erms, premis, mets]


def _staging_dir(parent: Path) -> Path:
    if not parent.is_dir():
        raise ArchiveTargetError(f"The folder {parent} does not exist: create it or name another --out.")
    try:
        return Path(tempfile.mkdtemp(prefix=".archive-", suffix=".partial", dir=parent))
    except OSError as error:
        raise ArchiveTargetError(
            f"Cannot write in {parent} ({error.strerror}): name a folder you may write to."
        ) from None


def write_package(package: PackageInput, out: Path) -> PackageReport:
    """Write the package to ``out``: a ``.zip`` file (replaced if it exists), or else a folder that gets the
    package's top folder inside it (refused if that exists already). ArchiveTargetError when ``out`` cannot be."""
    out = Path(out)
    files = package_files(package)
    zipped = out.suffix.lower() == ".zip"
    if not zipped and out.exists() and not out.is_dir():
        raise ArchiveTargetError(f"{out} is a file: name a folder, or a file ending in .zip.")
    target = out if zipped else out / package.package_id
    if not zipped and target.exists():
        raise ArchiveTargetError(f"{target} exists already: remove it or name another folder.")
    staging = _staging_dir(out.parent if zipped else out)
    try:
        top = staging / package.package_id
        for file, content in files:
            path = top / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if zipped:
            archive = staging / "package.zip"
            with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for file, _ in files:
                    zf.write(top / file.path, f"{package.package_id}/{file.path}")
            os.replace(archive, target)
        else:
            os.rename(top, target)
    except OSError as error:
        raise ArchiveTargetError(f"Writing {target} failed ({error.strerror}); nothing was left there.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    disposed = sum(1 for e in package.entries if e.disposed_on and e.document_sha256)
    documents = sum(1 for f, _ in files if f.path.startswith("representations/rep1/data/documents/"))
    return PackageReport(
        package_id=package.package_id,
        path=target,
        files=len(files),
        documents=documents,
        disposed=disposed,
        final=package.final,
    )
