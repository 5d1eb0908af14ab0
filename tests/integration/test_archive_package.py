"""The archival package of a case: an E-ARK SIP that eark-validator accepts, with CITS ERMS XML valid against
its schema, and clear refusals (an open case, an unknown Dnr, a target that cannot be written)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from admin.seeds import LUDVIKA, TRELLEBORG
from admin.services.archive import ArchiveService, ArchiveTargetError, CaseStillOpen
from admin.services.audit import AuditService
from admin.services.errors import UnknownCase
from archive.erms import SCHEMA
from archive.mets import PROFILE
from store.events import EventStore
from tests.e2e.api_support import checkpoint_files
from tests.integration.archive_support import unexpected_findings, validate
from tests.integration.records_support import documented_store, mark_and_dispose

pytestmark = pytest.mark.integration
__all__ = ["documented_store"]

ROOT = Path(__file__).resolve().parents[2]
ERMS_V3 = ROOT / "tests" / "archive" / "schemas" / "ERMS_v3.xsd"
METS_NS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink"}


@pytest.fixture
def archive(documented_store: EventStore, tmp_path: Path) -> ArchiveService:
    return ArchiveService(documented_store.pool, AuditService(documented_store.pool, None, checkpoint_files(tmp_path)))


def _erms_valid(erms: bytes) -> None:
    document = etree.fromstring(erms)
    for path in (SCHEMA, ERMS_V3):
        schema = etree.XMLSchema(etree.parse(str(path)))
        assert schema.validate(document), (path.name, schema.error_log)


async def test_both_seed_cases_give_packages_eark_validator_accepts(archive: ArchiveService, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    closed = await archive.export("2025:1234", out)  # by Dnr
    opened = await archive.export(TRELLEBORG.case_id, out / "trelleborg.zip", include_open=True)
    assert (closed.final, opened.final) == (True, False)
    assert (closed.documents, opened.documents) == (3, 3)  # decision, attachment, follow-up decision
    for package in (closed.path, opened.path):
        findings = validate(package)
        assert unexpected_findings(findings) == [], findings  # see archive_support.VALIDATOR_CONTRADICTION

    top = closed.path
    assert top.name == closed.package_id and (top / "METS.xml").is_file()
    mets = etree.parse(str(top / "METS.xml"))
    root = mets.getroot()
    assert (root.get("OBJID"), root.get("PROFILE")) == (closed.package_id, PROFILE)
    files = mets.findall(".//mets:file", METS_NS)
    assert len(files) == closed.files - 3  # METS.xml, erms.xml and premis.xml are not files of fileSec
    for file in files:  # every listed file is there, with the size and SHA-256 METS gives
        href = file.find("mets:FLocat", METS_NS).get("{http://www.w3.org/1999/xlink}href")
        content = (top / href).read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (int(file.get("SIZE")), file.get("CHECKSUM"))
    _erms_valid((top / "metadata" / "descriptive" / "erms.xml").read_bytes())
    erms = (top / "metadata" / "descriptive" / "erms.xml").read_text(encoding="utf-8")
    for text in ("2025:1234", "Ludvika kommun", "212000-2270", 'directionDefinition="incoming"', "in_line"):
        assert text in erms
    with zipfile.ZipFile(opened.path) as zf:
        names = zf.namelist()
        assert {n.split("/")[0] for n in names} == {opened.package_id} and f"{opened.package_id}/METS.xml" in names
        _erms_valid(zf.read(f"{opened.package_id}/metadata/descriptive/erms.xml"))
        assert b'RECORDSTATUS="TEST"' in zf.read(f"{opened.package_id}/METS.xml")

    # the events in the package prove themselves against the signed checkpoint, with no project code
    key = (top / "documentation" / "checkpoint-public-key.txt").read_text().strip()
    events = top / "representations" / "rep1" / "data" / "events.jsonl"
    check = [sys.executable, "-I", str(ROOT / "tools" / "verify_export.py"), str(events), "--public-key", key]
    done = subprocess.run(check, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


async def test_refusals_leave_nothing_behind(archive: ArchiveService, tmp_path: Path) -> None:
    tmp_path = tmp_path / "target"  # the checkpoint key lies in the test's own folder
    tmp_path.mkdir()
    with pytest.raises(CaseStillOpen, match="2020:7120 is awaiting_response.*--include-open"):
        await archive.export("2020:7120", tmp_path)
    with pytest.raises(UnknownCase):
        await archive.export("1999:0001", tmp_path)
    with pytest.raises(ArchiveTargetError, match="does not exist"):
        await archive.export(LUDVIKA.case_id, tmp_path / "missing" / "p.zip")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not _writable(locked):  # root writes anywhere: a file in the way instead
            with pytest.raises(ArchiveTargetError, match="Cannot write"):
                await archive.export(LUDVIKA.case_id, locked)
    finally:
        locked.chmod(0o700)
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ArchiveTargetError, match="is a file"):
        await archive.export(LUDVIKA.case_id, tmp_path / "file.txt")
    first = await archive.export(LUDVIKA.case_id, tmp_path)
    with pytest.raises(ArchiveTargetError, match="exists already"):
        await archive.export(LUDVIKA.case_id, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["locked", "file.txt", first.package_id])


def _writable(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_text("x")
    except OSError:
        return False
    probe.unlink()
    return True


async def test_a_disposed_document_is_listed_but_not_included(
    archive: ArchiveService, documented_store: EventStore, tmp_path: Path
) -> None:
    await mark_and_dispose(documented_store)
    report = await archive.export(LUDVIKA.case_id, tmp_path / "ludvika.zip")
    assert (report.documents, report.disposed) == (2, 1)
    assert unexpected_findings(validate(report.path)) == []
    with zipfile.ZipFile(report.path) as zf:
        erms = zf.read(f"{report.package_id}/metadata/descriptive/erms.xml")
        premis = zf.read(f"{report.package_id}/metadata/preservation/premis.xml").decode()
    _erms_valid(erms)
    assert b"<disposalScheduleId>attachment=0d</disposalScheduleId>" in erms
    assert "<eventType>deletion</eventType>" in premis
    assert "<regulation>21 kap. 1 § OSL</regulation>".encode() in erms
