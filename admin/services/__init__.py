"""admin's service layer: every use case of the JSON API, the web pages and the CLI.

The only part of admin that imports ``store``, ``asyncpg`` or the Temporal client (import-linter
holds the adapters ``admin.api``, ``admin.web`` and ``admin.cli`` to it). One :class:`Services`
per process, made from ``runtime.bootstrap``'s wiring; each use case is written once, here:

- ``cases``: open a case, issue commands (Workflow Updates), read cases, their events and notices
- ``documents``: a case's documents (sealed decisions, uploaded PDFs): upload, list, download
- ``finding``: the case list with search and keyset paging, and each person's worklist ("Att göra nu")
- ``users``: create accounts, authenticate, the first administrator
- ``organisers``: register organisers and their notice address
- ``audit``: verify the chain, export a case, rebuild the read model, Temporal histories
- ``notices``: a case's letters and their delivery status
- ``records``: the register (diarium) and disposal (gallring) by rule; ``archive``: a case's E-ARK package
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import asyncpg
from temporalio.client import Client

from admin.services.archive import ArchiveService
from admin.services.audit import AuditService, CheckpointFiles
from admin.services.cases import CaseService
from admin.services.documents import DocumentService
from admin.services.finding import CaseFinder
from admin.services.notices import NoticeService
from admin.services.organisers import OrganiserService
from admin.services.records import RecordsService
from admin.services.users import UserService
from domain.deadlines import DeadlinePolicy
from domain.disposal import DisposalRule
from runtime.bootstrap import Wiring
from runtime.metrics import render as render_metrics


@dataclass
class Services:
    """The use cases over one process's connections (no Temporal client: reads only)."""

    pool: asyncpg.Pool
    client: Client | None
    task_queue: str
    policy: DeadlinePolicy = field(default_factory=DeadlinePolicy)
    """Reminder offsets and overdue interval given to every case opened here."""
    checkpoints: CheckpointFiles | None = None
    """The checkpoint key file and folder (None: checkpoints cannot be made or checked here)."""
    disposal_rules: tuple[DisposalRule, ...] = ()
    """The configured disposal (gallring) rules (``INSPECTIONS_DISPOSAL_RULES``; none: nothing is disposed of)."""

    @classmethod
    def wired(cls, wiring: Wiring) -> Services:
        """The services over the connections ``runtime.bootstrap`` made, configured by its settings."""
        settings = wiring.settings
        return cls(
            wiring.pool,
            wiring.client,
            settings.task_queue,
            settings.deadline_policy(),
            CheckpointFiles.of(settings),
            settings.disposal(),
        )

    @property
    def cases(self) -> CaseService:
        """Cases: open, command, read (commands need the Temporal client)."""
        return CaseService(self.pool, self.client, self.task_queue, self.policy)  # type: ignore[arg-type]

    @property
    def documents(self) -> DocumentService:
        """A case's documents: upload, list, download."""
        return DocumentService(self.pool)

    @property
    def finding(self) -> CaseFinder:
        """The case list with search and paging, and each person's worklist."""
        return CaseFinder(self.pool)

    @property
    def users(self) -> UserService:
        """User accounts."""
        return UserService(self.pool)

    @property
    def organisers(self) -> OrganiserService:
        """School organisers."""
        return OrganiserService(self.pool)

    @property
    def audit(self) -> AuditService:
        """The records: verification, checkpoints, proven exports, read model, histories."""
        return AuditService(self.pool, self.client, self.checkpoints)

    @property
    def records(self) -> RecordsService:
        """The register (diarium) and disposal by the configured rules."""
        return RecordsService(self.pool, self.disposal_rules)

    @property
    def archive(self) -> ArchiveService:
        """Archival packages (E-ARK SIP) of ended cases."""
        return ArchiveService(self.pool, self.audit)

    @property
    def notices(self) -> NoticeService:
        """The outbox, read."""
        return NoticeService(self.pool)

    async def health(self) -> tuple[bool, dict[str, str]]:
        """Whether the database and Temporal answer, and a word for each ("ok" or the error's name)."""
        parts = {"temporal": "ok", "database": "ok"}
        try:
            await self.pool.fetchval("SELECT 1", timeout=3)
        except Exception as error:  # any failure means "not ok"; the message names it
            parts["database"] = f"error: {type(error).__name__}"
        try:
            if self.client is None:
                raise RuntimeError("no Temporal client")
            await self.client.service_client.check_health(timeout=timedelta(seconds=3))
        except Exception as error:
            parts["temporal"] = f"error: {type(error).__name__}"
        return all(v == "ok" for v in parts.values()), parts

    async def metrics(self) -> bytes:
        """The Prometheus metrics, with the gauges read from the database refreshed."""
        return await render_metrics(self.pool)


__all__ = [
    "ArchiveService",
    "AuditService",
    "CaseFinder",
    "CaseService",
    "DocumentService",
    "NoticeService",
    "OrganiserService",
    "RecordsService",
    "Services",
    "UserService",
]
