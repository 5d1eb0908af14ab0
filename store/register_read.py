"""The register read: search by date range, Dnr and counterpart, a case's entries, and their numbers."""

from __future__ import annotations

from datetime import date, datetime

import asyncpg
from pydantic import BaseModel, ConfigDict

from domain.register import Direction, EntryKind, NewEntry, SecrecyMark
from domain.register import Disposal as DisposalMark
from domain.register import Entry as DomainEntry


class RegisterRow(BaseModel):
    """One register entry as stored (store/migrations/010_register.sql)."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    number: int
    seq: int
    dnr: str
    registered_on: date
    recorded_at: datetime
    direction: Direction
    kind: EntryKind
    counterpart: str | None
    description: str
    document_sha256: str | None
    registered_by: str
    secrecy_lagrum: str | None = None
    secrecy_marked_on: date | None = None
    secrecy_seq: int | None = None
    disposed_on: date | None = None
    disposal_rule: str | None = None
    disposal_seq: int | None = None

    def as_domain(self) -> DomainEntry:
        """The row as the domain's fold has it (to compare, or to apply disposal rules to)."""
        entry = NewEntry(
            seq=self.seq,
            registered_on=self.registered_on,
            direction=self.direction,
            kind=self.kind,
            counterpart=self.counterpart,
            description=self.description,
            document_sha256=self.document_sha256,
            registered_by=self.registered_by,
        )
        secrecy = disposal = None
        if self.secrecy_lagrum is not None and self.secrecy_marked_on and self.secrecy_seq:
            secrecy = SecrecyMark(
                number=self.number, lagrum=self.secrecy_lagrum, marked_on=self.secrecy_marked_on, seq=self.secrecy_seq
            )
        if self.disposed_on is not None and self.document_sha256 and self.disposal_rule and self.disposal_seq:
            disposal = DisposalMark(
                document_sha256=self.document_sha256,
                rule=self.disposal_rule,
                disposed_on=self.disposed_on,
                seq=self.disposal_seq,
            )
        return DomainEntry(number=self.number, entry=entry, secrecy=secrecy, disposal=disposal)


_SELECT = "SELECT * FROM register_entries"
_ORDER = " ORDER BY registered_on, dnr, number"


async def search(
    pool: asyncpg.Pool,
    *,
    from_: date | None = None,
    to: date | None = None,
    dnr: str | None = None,
    counterpart: str | None = None,
    limit: int = 10_000,
) -> list[RegisterRow]:
    """Entries registered from ``from_`` to ``to`` (both included), of the Dnr (case and blanks ignored) and
    with a counterpart containing ``counterpart`` (case ignored), oldest first; at most ``limit``."""
    where, args = [], []
    if from_ is not None:
        args.append(from_)
        where.append(f"registered_on >= ${len(args)}")
    if to is not None:
        args.append(to)
        where.append(f"registered_on <= ${len(args)}")
    if dnr:
        args.append(" ".join(dnr.split()).lower())
        where.append(f"lower(dnr) = ${len(args)}")
    if counterpart:
        args.append("%" + counterpart.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        where.append(f"lower(counterpart) LIKE ${len(args)}")
    args.append(limit)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = await pool.fetch(f"{_SELECT}{clause}{_ORDER} LIMIT ${len(args)}", *args)
    return [RegisterRow(**dict(r)) for r in rows]


async def for_case(pool: asyncpg.Pool | asyncpg.Connection, case_id: str) -> list[RegisterRow]:
    """The case's entries, by number."""
    rows = await pool.fetch(f"{_SELECT} WHERE case_id = $1 ORDER BY number", case_id)
    return [RegisterRow(**dict(r)) for r in rows]


async def numbers(pool: asyncpg.Pool, case_id: str) -> list[int]:
    """The numbers of the case's entries (what ``mark-secrecy`` may name)."""
    return [r["number"] for r in await pool.fetch("SELECT number FROM register_entries WHERE case_id = $1", case_id)]
