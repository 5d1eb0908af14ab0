"""Why eark-validator 1.1.3 reports one error (SIP14) on every package we write, and on any package at all: each
way of changing our METS header to satisfy SIP14 makes the validator report another error instead.

The package as written has exactly that one error (tests/integration/archive_support.py,
``VALIDATOR_CONTRADICTION``). Here the software agent of a real package is changed every way SIP14 could be
met, and the validator, run on each, still finds an error: its rules contradict each other and its own
METS schema, so no METS passes them all.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from admin.seeds import LUDVIKA
from admin.services.archive import ArchiveService
from admin.services.audit import AuditService
from store.events import EventStore
from tests.e2e.api_support import checkpoint_files
from tests.integration.archive_support import VALIDATOR_CONTRADICTION, unexpected_findings, validate
from tests.integration.records_support import documented_store

pytestmark = pytest.mark.integration
__all__ = ["documented_store"]

METS = "http://www.loc.gov/METS/"
CSIP_NOTETYPE = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}NOTETYPE"
Change = Callable[[etree._Element], None]


def _software_note(header: etree._Element) -> etree._Element:
    return header.find(f"{{{METS}}}agent[@ROLE='CREATOR']/{{{METS}}}note")


def _add_unqualified_notetype(header: etree._Element) -> None:
    _software_note(header).set("NOTETYPE", "IDENTIFICATIONCODE")  # what SIP14 tests for


def _retype_the_note(header: etree._Element) -> None:
    _software_note(header).set(CSIP_NOTETYPE, "IDENTIFICATIONCODE")


def _drop_the_note(header: etree._Element) -> None:
    note = _software_note(header)
    note.getparent().remove(note)


def _no_creator_agent(header: etree._Element) -> None:
    header.find(f"{{{METS}}}agent[@ROLE='CREATOR']").set("ROLE", "EDITOR")


WAYS_OUT: dict[str, tuple[Change, set[str]]] = {
    "SIP14's unqualified NOTETYPE added": (_add_unqualified_notetype, {"XML-1"}),
    "the note typed IDENTIFICATIONCODE instead": (_retype_the_note, {"CSIP16", "SIP14"}),
    "no note on the software agent": (_drop_the_note, {"CSIP15", "CSIP16"}),
    "no CREATOR agent at all": (_no_creator_agent, {"CSIP11"}),
}
"""Each change to the METS header that could get rid of SIP14, and the errors the validator reports then."""


async def test_every_way_out_of_sip14_is_another_error(documented_store: EventStore, tmp_path: Path) -> None:
    audit = AuditService(documented_store.pool, None, checkpoint_files(tmp_path))
    written = (await ArchiveService(documented_store.pool, audit).export(LUDVIKA.case_id, tmp_path)).path
    as_written = validate(written)
    assert as_written["errors"] == [VALIDATOR_CONTRADICTION] and unexpected_findings(as_written) == []
    for name, (change, expected) in WAYS_OUT.items():
        changed = tmp_path / "changed" / written.name
        shutil.rmtree(changed.parent, ignore_errors=True)
        shutil.copytree(written, changed)  # METS.xml lists no checksum of itself: the rest still matches
        mets = etree.parse(str(changed / "METS.xml"))
        change(mets.getroot().find(f"{{{METS}}}metsHdr"))
        mets.write(str(changed / "METS.xml"), xml_declaration=True, encoding="UTF-8")
        errors = {e["rule"] for e in validate(changed)["errors"]}
        assert errors == expected, (name, errors)
