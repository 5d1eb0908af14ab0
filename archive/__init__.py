"""Archival packages: one E-ARK SIP per case (CSIP 2.1 / SIP 2.1 with CITS ERMS, FGS Paketstruktur 2.0 and
FGS Ärendehantering 2.0).

Pure builders over an input the caller gathers (:class:`archive.model.PackageInput`): ``erms`` (the case
and its handlings), ``premis`` (fixity and history), ``mets`` (the package), ``package`` (the files,
written under a temporary name and renamed into place). Imports the domain only: no database, no Temporal.
"""
