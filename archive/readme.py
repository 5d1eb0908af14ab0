"""The package's documentation/README.txt: what the package holds and how to check it, in Swedish."""

from __future__ import annotations

from archive.model import AGENCY, PackageInput


def readme_text(package: PackageInput) -> str:
    """The README of the package (plain text, UTF-8)."""
    status = "slutligt" if package.final else "INTE slutligt: ärendet var öppet när paketet skapades"
    ended = package.ended_on.isoformat() if package.ended_on else "–"
    disposed = [e for e in package.entries if e.disposed_on and e.document_sha256]
    lines = [
        f"Arkivpaket {package.package_id}",
        "",
        f"Ärende {package.dnr}: {package.title}",
        f"Huvudman: {package.organiser_name} ({package.organiser_id})",
        f"Öppnat {package.opened_on.isoformat()}, avslutat {ended}; status {package.status.value}.",
        f"Paketet är {status}.",
        f"Skapat {package.created_at.isoformat()} av {AGENCY}.",
        "",
        "Innehåll (E-ARK SIP enligt CSIP 2.1, FGS Paketstruktur 2.0):",
        "  METS.xml                                 paketets struktur, storlek och SHA-256 för varje fil",
        "  metadata/descriptive/erms.xml           ärendet och dess handlingar, CITS ERMS (FGS Ärendehantering 2.0)",
        "  metadata/preservation/premis.xml        PREMIS: filernas kontrollsummor, format och historik",
        "  representations/rep1/data/documents/    handlingarna som PDF/A",
        "  representations/rep1/data/events.jsonl  ärendets händelser med hashkedja och inklusionsbevis",
        "  representations/rep1/data/checkpoint.txt den signerade kontrollpunkt bevisen leder till",
        "  schemas/ERMS.xsd                         schemat för erms.xml",
        "",
        "Kontroll av händelserna (bara Pythons standardbibliotek och paketet cryptography behövs):",
        "  python3 verify_export.py representations/rep1/data/events.jsonl \\",
        '      --public-key "$(cat documentation/checkpoint-public-key.txt)"',
        "verify_export.py finns i systemets källkod (tools/verify_export.py).",
    ]
    if disposed:
        lines += ["", "Gallrade handlingar (registreringen finns kvar, filen ingår inte):"]
        lines += [
            f"  nr {e.number}: {e.description}, gallrad {e.disposed_on} enligt {e.disposal_rule}" for e in disposed
        ]
    return "\n".join(lines) + "\n"
