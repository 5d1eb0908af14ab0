"""The descriptive metadata of a package: the case as E-ARK CITS ERMS XML (FGS Ärendehantering 2.0).

One ``aggregation`` of type ``caseFile`` is the ärende: its Dnr (``objectId``), title, status, dates, the
organiser (counterpart, with its organisation number) and the responsible inspector. Each register entry
is a ``record`` (a handling): number, description, direction, dates, counterpart, who registered it, a
secrecy marking as a ``restriction`` with its lagrum, a disposal as ``disposal``, the file it refers to
(``additionalInformation/appendix``, its path in the package) and the file's SHA-256 (``extraId``). A
decision's assessment per area is an ``action`` of its record. Every document is checked against the
schema kept in ``archive/schemas/ERMS.xsd`` before it is returned.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from lxml import etree

from archive.model import AGENCY, SOFTWARE, ArchiveEntry, PackageInput, document_path
from domain import events as ev
from domain.register import KIND_LABELS, Direction
from domain.values import CaseStatus

NS = "https://DILCIS.eu/XML/ERMS"
SCHEMA = Path(__file__).parent / "schemas" / "ERMS.xsd"
_DIRECTIONS = {
    Direction.INCOMING: "incoming",
    Direction.OUTGOING: "outgoing",
    Direction.INTERNAL: "internal_memo_without_follow-up",
}
_DATE_TYPES = {Direction.INCOMING: "received", Direction.OUTGOING: "sent", Direction.INTERNAL: "created"}
_STATUS = {CaseStatus.CLOSED: "closed", CaseStatus.REFERRED: "closed"}


class ErmsInvalid(Exception):
    """The ERMS XML built does not validate against the schema (a bug here, never the user's input)."""


@cache
def schema() -> etree.XMLSchema:
    """The CITS ERMS 2.1.2 schema kept beside this module."""
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _el(parent: etree._Element, name: str, text: str | None = None, /, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}", {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _when(day: date | datetime) -> str:
    """An xs:dateTime: a business date as its midnight, a time as it was recorded (UTC)."""
    return day.isoformat() if isinstance(day, datetime) else f"{day.isoformat()}T00:00:00"


def _agent(parent: etree._Element, kind: str, name: str, id_number: str | None = None, role: str | None = None) -> None:
    agent = _el(parent, "agent", agentType=kind)
    _el(agent, "name", name)
    if id_number:
        _el(agent, "idNumber", id_number, idNumberType="organisationsnummer")
    if role:
        _el(agent, "role", role)


def decided_areas(events: tuple[ev.Event, ...]) -> dict[int, list[tuple[str, str, str]]]:
    """Signing event seq → (area title, outcome, text) of the draft it signed, for each area it decided."""
    titles, draft, found = {}, None, {}
    for seq, event in enumerate(events, start=1):
        if isinstance(event, ev.CaseOpened):
            titles = {a.code: a.title for a in event.areas}
        elif isinstance(event, ev.DecisionDrafted | ev.FollowUpDrafted):
            draft = event
        elif isinstance(event, ev.DecisionSigned) and isinstance(draft, ev.DecisionDrafted):
            found[seq] = [
                (
                    titles.get(a.code, a.code),
                    "utvecklingsbehov" if a.requirements else "inga utvecklingsbehov",
                    " ".join((a.assessment, *a.requirements)),
                )
                for a in draft.areas
            ]
        elif isinstance(event, ev.FollowUpSigned) and isinstance(draft, ev.FollowUpDrafted):
            found[seq] = [(titles.get(a.code, a.code), a.outcome.value, a.motivation) for a in draft.areas]
    return found


def _record(
    parent: etree._Element, package: PackageInput, entry: ArchiveEntry, areas: list[tuple[str, str, str]]
) -> None:
    record = _el(parent, "record", systemIdentifier=f"{package.case_id}#{entry.number}", recordType=entry.kind.value)
    _el(record, "objectId", f"{package.dnr}-{entry.number}")
    if entry.document_sha256:
        _el(record, "extraId", entry.document_sha256, extraIdType="sha256")
    _el(record, "title", entry.description)
    _el(record, "runningNumber", str(entry.number))
    if entry.secrecy_lagrum:
        restriction = _el(record, "restriction", restrictionType="confidential")
        _el(restriction, "explanatoryText", "Sekretessmarkerad handling")
        _el(restriction, "regulation", entry.secrecy_lagrum)
        if entry.secrecy_marked_on:
            _el(_el(restriction, "dates"), "date", _when(entry.secrecy_marked_on), dateType="confidentiality_assessed")
    if entry.disposed_on:
        disposal = _el(record, "disposal", disposable="true")
        _el(disposal, "disposalScheduleId", entry.disposal_rule or "")
        _el(disposal, "disposalAction", "Gallrad: filen är borttagen, registreringen finns kvar")
        _el(_el(disposal, "dates"), "disposalDate", _when(entry.disposed_on), dateType="applied")
    _el(record, "direction", directionDefinition=_DIRECTIONS[entry.direction])
    agents = _el(record, "agents")
    if entry.counterpart:
        kind = "sender" if entry.direction is Direction.INCOMING else "recipient"
        _agent(agents, kind, entry.counterpart)
    _agent(agents, "creator", entry.registered_by, role="registrerad av")
    _el(record, "description", f"{KIND_LABELS[entry.kind]}: {entry.description}")
    dates = _el(record, "dates")
    _el(dates, "date", _when(entry.registered_on), dateType=_DATE_TYPES[entry.direction])
    _el(dates, "date", _when(entry.recorded_at), dateType="captured")
    if entry.disposed_on:
        _el(dates, "date", _when(entry.disposed_on), dateType="destroyed")
    for title, outcome, text in areas:
        action = _el(record, "action")
        _el(action, "actionText", title)
        _el(action, "actionMotivation", text)
        _el(action, "actionType", outcome)
    document = package.document(entry.document_sha256) if entry.document_sha256 else None
    if document is not None:
        info = _el(record, "additionalInformation")
        path = document_path(entry.number, document.sha256) if document.content is not None else ""
        description = "gallrad: filen finns inte längre" if document.content is None else document.media_type
        _el(
            info, "appendix", name=document.filename, path=path, fileFormat=document.media_type, description=description
        )


def erms_xml(package: PackageInput) -> bytes:
    """The case as a CITS ERMS document (UTF-8), valid against ``archive/schemas/ERMS.xsd``."""
    root = etree.Element(f"{{{NS}}}erms", nsmap={None: NS})
    control = _el(root, "control")
    _el(control, "identification", f"{SOFTWARE} {package.software_version}", identificationType="system")
    maintenance = _el(control, "maintenanceInformation")
    _el(maintenance, "maintenanceStatus", value="new")
    _el(_el(maintenance, "maintenanceAgency"), "agencyName", AGENCY)
    event = _el(_el(maintenance, "maintenanceHistory"), "maintenanceEvent")
    _el(event, "eventType", value="created")
    _el(event, "eventDateTime", _when(package.created_at))
    _agent(event, "creator", f"{SOFTWARE} archive export")
    aggregations = _el(root, "aggregations")
    case = _el(aggregations, "aggregation", systemIdentifier=package.case_id, aggregationType="caseFile")
    _el(case, "objectId", package.dnr)
    _el(case, "extraId", package.case_id, extraIdType="case_id")
    _el(case, "title", package.title)
    _el(case, "status", value=_STATUS.get(package.status, "in_progress"))
    agents = _el(case, "agents")
    _agent(agents, "counterpart", package.organiser_name, package.organiser_id, role="huvudman")
    opened = next((e for e in package.events if isinstance(e, ev.CaseOpened)), None)
    responsible = next(
        (e.to for e in reversed(package.events) if isinstance(e, ev.CaseAssigned)),
        opened.actor.username if opened else None,
    )
    if responsible:
        _agent(agents, "responsible_person", responsible, role="handläggare")
    final = "" if package.final else " Paketet är inte slutligt: ärendet var öppet när det skapades."
    _el(case, "description", f"Uppföljning av kvalitetsgranskning. Status: {package.status.value}.{final}")
    dates = _el(case, "dates")
    _el(dates, "date", _when(package.opened_on), dateType="opened")
    if package.ended_on:
        _el(dates, "date", _when(package.ended_on), dateType="closed")
    decided = decided_areas(package.events)
    for entry in package.entries:
        _record(case, package, entry, decided.get(entry.seq, []))
    document = etree.ElementTree(root)
    if not schema().validate(document):
        raise ErmsInvalid(str(schema().error_log.last_error))
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
