"""Run eark-validator on one package, offline, and print its findings as JSON (run by tests/archive).

Runs in the validator's own virtual environment (``.venv/eark-validator``, made by ``make test`` with the
validator's pinned dependencies), never imported by the project. eark-validator downloads four CSIP
vocabularies from earkcsip.dilcis.eu when its schematron module is imported; the network is closed here,
so ``urlopen`` in that module is replaced, before anything else of the validator is imported, by one
that reads the same files from ``vocabularies/`` beside this script (copied from the DILCIS Board's
E-ARK-CSIP repository, see its README.md). Any other URL is refused.

usage: python eark_check.py PACKAGE (a folder or a .zip)
"""

from __future__ import annotations

import io
import json
import sys
import urllib.request
from pathlib import Path

VOCABULARIES = Path(__file__).parent / "vocabularies"
PREFIX = "https://earkcsip.dilcis.eu/schema/"


def offline_urlopen(url: str, *args: object, **kwargs: object) -> io.BytesIO:
    """The vocabulary ``url`` names, from the local copy; anything else is an error."""
    if not url.startswith(PREFIX):
        raise OSError(f"eark_check: no network, and no local copy of {url}")
    return io.BytesIO((VOCABULARIES / url.removeprefix(PREFIX)).read_bytes())


urllib.request.urlopen = offline_urlopen  # type: ignore[assignment]  # before the validator imports it

from eark_validator import packages  # noqa: E402
from eark_validator.ipxml import schematron  # noqa: E402

schematron.urlopen = offline_urlopen  # type: ignore[attr-defined]


def main() -> None:
    """Validate the package named on the command line; print {"errors": [...], "warnings": [...], ...}."""
    report = packages.PackageValidator(Path(sys.argv[1])).validation_report
    found: dict[str, list[dict[str, str]]] = {"errors": [], "warnings": [], "info": []}
    messages = list(report.structure.messages) if report.structure else []
    if report.metadata:
        messages += list(report.metadata.schema_results.messages) + list(report.metadata.schematron_results.messages)
    for message in messages:
        severity = str(getattr(message.severity, "value", message.severity)).lower()
        key = "errors" if severity == "error" else "warnings" if severity == "warning" else "info"
        found[key].append(
            {"rule": str(message.rule_id), "location": str(message.location), "message": str(message.message)}
        )
    found["structure"] = str(report.structure.status.value) if report.structure else "missing"  # type: ignore[assignment]
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    main()
