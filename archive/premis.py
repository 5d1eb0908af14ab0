"""The package's preservation metadata: PREMIS 3 for every file it carries and what happened to them.

Each file of the package's representation is an ``object`` with its SHA-256 fixity, size, format and
original name; the package's creation is an ``event``, and so is each disposal (gallring) of a document
whose bytes are therefore missing, with the rule that allowed it. The agents are the authority and
this software.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from archive.model import AGENCY, SOFTWARE, PackageInput

NS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_LOCATION = "http://www.loc.gov/premis/v3 https://www.loc.gov/standards/premis/premis.xsd"
_FORMATS = {
    "application/pdf": ("PDF/A-2b", "fmt/477"),
    "application/xml": ("Extensible Markup Language", "fmt/101"),
    "text/plain": ("Plain Text File", "x-fmt/111"),
}


@dataclass(frozen=True)
class PackageFile:
    """A file of the package: its path in it, media type, size, SHA-256, and the name it had (if any)."""

    path: str
    media_type: str
    size: int
    sha256: str
    original_name: str | None = None


def _el(parent: etree._Element, name: str, text: str | None = None, /, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _identifier(parent: etree._Element, kind: str, id_type: str, value: str) -> None:
    identifier = _el(parent, f"{kind}Identifier")
    _el(identifier, f"{kind}IdentifierType", id_type)
    _el(identifier, f"{kind}IdentifierValue", value)


def _object(root: etree._Element, file: PackageFile) -> None:
    obj = _el(root, "object")
    obj.set(f"{{{XSI}}}type", "file")
    _identifier(obj, "object", "local", file.path)
    characteristics = _el(obj, "objectCharacteristics")
    _el(characteristics, "compositionLevel", "0")
    fixity = _el(characteristics, "fixity")
    _el(fixity, "messageDigestAlgorithm", "SHA-256")
    _el(fixity, "messageDigest", file.sha256)
    _el(characteristics, "size", str(file.size))
    name, key = _FORMATS.get(file.media_type, (file.media_type, ""))
    form = _el(characteristics, "format")
    _el(_el(form, "formatDesignation"), "formatName", name)
    if key:
        registry = _el(form, "formatRegistry")
        _el(registry, "formatRegistryName", "PRONOM")
        _el(registry, "formatRegistryKey", key)
    if file.original_name:
        _el(obj, "originalName", file.original_name)


def _event(root: etree._Element, event_id: str, kind: str, when: datetime | str, detail: str, agent: str) -> None:
    event = _el(root, "event")
    _identifier(event, "event", "local", event_id)
    _el(event, "eventType", kind)
    _el(event, "eventDateTime", when if isinstance(when, str) else when.isoformat())
    _el(_el(event, "eventDetailInformation"), "eventDetail", detail)
    link = _el(event, "linkingAgentIdentifier")
    _el(link, "linkingAgentIdentifierType", "local")
    _el(link, "linkingAgentIdentifierValue", agent)


def premis_xml(package: PackageInput, files: list[PackageFile]) -> bytes:
    """PREMIS 3 for ``files`` (every file of the representation) and the case's disposals."""
    root = etree.Element(f"{{{NS}}}premis", nsmap={None: NS, "xsi": XSI}, version="3.0")
    root.set(f"{{{XSI}}}schemaLocation", _LOCATION)
    for file in files:
        _object(root, file)
    final = "" if package.final else " (inte slutligt: ärendet var öppet)"
    detail = f"Arkivpaket skapat för ärende {package.dnr}{final}"
    _event(root, f"{package.package_id}-creation", "creation", package.created_at, detail, "software")
    for entry in package.entries:
        if entry.disposed_on and entry.document_sha256:
            detail = f"Handling {entry.number} gallrad enligt regeln {entry.disposal_rule}; filen ingår inte"
            day = f"{entry.disposed_on.isoformat()}T00:00:00"
            _event(root, f"disposal-{entry.number}", "deletion", day, detail, "agency")
    for agent_id, name, kind in (("agency", AGENCY, "organization"), ("software", SOFTWARE, "software")):
        agent = _el(root, "agent")
        _identifier(agent, "agent", "local", agent_id)
        _el(agent, "agentName", name)
        _el(agent, "agentType", kind)
        if kind == "software":
            _el(agent, "agentVersion", package.software_version)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
