"""The records: verify the hash chain, export a case, rebuild the read model, and a case's events and
Temporal histories as an operator reads them (the auditor's page and the ``audit``, ``projections``,
``cases show`` and ``history`` commands).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from store import audit, projections
from store.audit import ExportReport, VerifyReport
from store.events import EventStore
from store.projections import RebuildReport
from store.records import StoredEvent
from workflows.models import case_workflow_id, round_workflow_id

__all__ = ["AuditService", "ExportReport", "RebuildReport", "StoredEvent", "VerifyReport"]


class AuditService:
    """The event store read as evidence, and the read model rebuilt from it."""

    def __init__(self, pool: asyncpg.Pool, client: Client | None = None) -> None:
        self.pool = pool
        self.client = client

    async def resolve(self, case_id_or_dnr: str) -> str:
        """The case id of a case id or Dnr; UnknownCase when no case has it."""
        return await audit.resolve_case(self.pool, case_id_or_dnr)

    async def verify(self, case_id: str | None = None) -> VerifyReport:
        """Recompute every hash and link, of every case or of the case ``case_id``."""
        return await audit.verify(self.pool, case_id)

    async def export(self, case: str, out: Path) -> ExportReport:
        """Write the case's events, oldest first, as JSON Lines with exactly the values that were hashed."""
        return await audit.export(self.pool, case, out)

    async def rebuild_projections(self) -> RebuildReport:
        """Recompute the read model from the events alone, in one transaction (needs the owner's pool)."""
        async with self.pool.acquire() as conn:
            return await projections.rebuild(conn)

    async def events(self, case_id: str) -> list[StoredEvent]:
        """The case's events, oldest first."""
        return await EventStore(self.pool).read(case_id)

    async def histories(self, case_id: str, rounds: int) -> list[dict[str, Any]]:
        """Every run of the case's workflow, then of its round children, oldest first, as JSON.

        A case opened before the round clock moved into the case workflow has a child per round (up to
        ``rounds``); a newer case has none, and its children's ids simply have no runs.
        """
        if self.client is None:
            raise RuntimeError("reading histories needs a Temporal client (bootstrap(..., temporal=True))")
        ids = [case_workflow_id(case_id)] + [round_workflow_id(case_id, n) for n in range(1, rounds + 1)]
        return [run for workflow_id in ids for run in await _runs(self.client, workflow_id)]


async def _runs(client: Client, workflow_id: str) -> list[dict[str, Any]]:
    """Every run of ``workflow_id``, oldest first (following continue-as-new back); [] when there is none."""
    try:
        run_id: str | None = (await client.get_workflow_handle(workflow_id).describe()).run_id
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return []
        raise
    runs = []
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        runs.append({"workflow_id": workflow_id, "run_id": run_id, "history": json.loads(history.to_json())})
        started = history.events[0].workflow_execution_started_event_attributes if history.events else None
        run_id = started.continued_execution_run_id if started else None
    return runs[::-1]
