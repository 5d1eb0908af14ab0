"""Records management: the register (diarium) read and exported as CSV, and disposal (gallring) by rule.

The register's entries are made by the store in the transaction of the events that bring them; this
service only reads them (``GET /api/v1/register``, the register page, ``inspections records register``).
Disposal applies the configured rules (``INSPECTIONS_DISPOSAL_RULES``, domain.disposal) to the ended
cases: for each case with documents a rule lets go, one ``DocumentsDisposed`` event per rule is appended
to the case (who, which rule, which documents, when), which marks the entries as gallrade in the same
transaction; then the bytes go, through the database's owner-run ``dispose_document()``, which removes
nothing a recorded disposal does not name and never a decision. A dry run lists what would go.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from datetime import date

import asyncpg
from pydantic import BaseModel

from domain import events as ev
from domain.actors import ActorRef
from domain.disposal import DisposalRule, due
from store import register_disposal, register_read
from store.errors import ConcurrencyError
from store.events import EventStore
from store.records import RecordEvents
from store.register_read import RegisterRow

CSV_HEADER = ("registered_on", "dnr", "direction", "counterpart", "description", "document_sha256", "secrecy_lagrum")
"""The columns of the register's CSV export (docs/api.md, Register and archive)."""
_DISPOSAL_NAMESPACE = uuid.UUID("9d3f1c62-2b7a-4c57-8e0d-6a4b1f2e3c90")

__all__ = ["CSV_HEADER", "DisposalItem", "DisposalReport", "RecordsService", "RegisterRow"]


class DisposalItem(BaseModel):
    """A document a rule lets go: which case and entry, which rule, from when, and whether its bytes went."""

    case_id: str
    dnr: str
    number: int
    description: str
    document_sha256: str
    rule: str
    rule_description: str
    due_on: date
    removed: bool = False


class DisposalReport(BaseModel):
    """What a disposal run found, recorded and removed (``dry_run``: found only)."""

    dry_run: bool
    rules: list[str]
    items: list[DisposalItem]
    events: int = 0
    """DocumentsDisposed events recorded."""
    removed: list[str] = []
    """SHA-256 of the bytes removed (including those of earlier runs that had not gone yet)."""
    kept: list[str] = []
    """Disposed of in a case, but still held because another case's registration keeps the same bytes."""


def to_csv(rows: Sequence[RegisterRow]) -> str:
    """The entries as CSV (UTF-8 text, header first): what a registrar exports."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            [
                r.registered_on.isoformat(),
                r.dnr,
                r.direction.value,
                r.counterpart or "",
                r.description,
                r.document_sha256 or "",
                r.secrecy_lagrum or "",
            ]
        )
    return out.getvalue()


class RecordsService:
    """The register and the disposal rules over one pool."""

    def __init__(self, pool: asyncpg.Pool, rules: tuple[DisposalRule, ...] = ()) -> None:
        self.pool = pool
        self.rules = rules

    async def search(
        self,
        *,
        from_: date | None = None,
        to: date | None = None,
        dnr: str | None = None,
        counterpart: str | None = None,
    ) -> list[RegisterRow]:
        """Register entries by registration date range, Dnr and counterpart (substring), oldest first."""
        return await register_read.search(self.pool, from_=from_, to=to, dnr=dnr, counterpart=counterpart)

    async def for_case(self, case_id: str) -> list[RegisterRow]:
        """The case's register entries, by number."""
        return await register_read.for_case(self.pool, case_id)

    async def entry_numbers(self, case_id: str) -> list[int]:
        """The numbers of the case's entries (supplied to ``mark-secrecy``)."""
        return await register_read.numbers(self.pool, case_id)

    async def dispose(self, actor: ActorRef, today: date, *, dry_run: bool) -> DisposalReport:
        """Apply the rules to every ended case on ``today`` as ``actor``; with ``dry_run`` only list what would go."""
        report = DisposalReport(dry_run=dry_run, rules=[r.text for r in self.rules], items=[])
        if not self.rules:
            return report
        kinds = sorted({r.kind.value for r in self.rules})
        for case in await register_disposal.ended_cases_holding(self.pool, kinds):
            rows = await register_read.for_case(self.pool, case.case_id)
            found = due(self.rules, case.ended_on, [r.as_domain() for r in rows], today)
            report.items.extend(
                DisposalItem(
                    case_id=case.case_id,
                    dnr=case.dnr,
                    number=d.entry.number,
                    description=d.entry.entry.description,
                    document_sha256=d.entry.entry.document_sha256 or "",
                    rule=d.rule.text,
                    rule_description=d.rule.description,
                    due_on=d.due_on,
                )
                for d in found
            )
            if found and not dry_run:
                report.events += await self._record(case.case_id, actor, today, report.items[-len(found) :])
        if dry_run:
            return report
        for sha in await register_disposal.bytes_still_held(self.pool):
            (report.removed if await register_disposal.remove_bytes(self.pool, sha) else report.kept).append(sha)
        gone = set(report.removed)
        report.items = [i.model_copy(update={"removed": i.document_sha256 in gone}) for i in report.items]
        return report

    async def _record(self, case_id: str, actor: ActorRef, today: date, items: list[DisposalItem]) -> int:
        """Append one DocumentsDisposed per rule to the case (deterministic ids: a rerun records nothing new)."""
        by_rule: dict[str, list[str]] = {}
        for item in items:
            shas = by_rule.setdefault(item.rule, [])
            if item.document_sha256 not in shas:
                shas.append(item.document_sha256)
        events = [
            ev.DocumentsDisposed(
                event_id=str(uuid.uuid5(_DISPOSAL_NAMESPACE, "\n".join((case_id, rule, *shas)))),
                case_id=case_id,
                occurred_on=today,
                actor=actor,
                rule=rule,
                documents=tuple(shas),
            )
            for rule, shas in by_rule.items()
        ]
        store = EventStore(self.pool)
        for _ in range(5):  # an ended case takes no commands; only another disposal run could race this one
            try:
                expected = await store.last_seq(case_id)
                await store.append(RecordEvents(case_id=case_id, expected_seq=expected, events=events))
                return len(events)
            except ConcurrencyError:
                continue
        raise ConcurrencyError(case_id, -1, -1)
