"""Prove the register (``register_entries``) against the events: part of the read-model check.

Each case's expected entries are the domain's fold of its events (``domain.register.fold_register``, made
of the very functions the append calls), with what the store adds to them: the Dnr and organiser of
the case, the moment the entry's event was recorded, and the organiser's name for entries whose
counterpart is the organiser. A stored entry that is missing, extra or different is reported naming
the case, the entry's number and the column, e.g. ``register entry 3: description is '…' in the
register but '…' from the events``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import asyncpg

from domain.events import Event
from domain.register import Entry, fold_register
from store.proof_scan import Failure, finding

REGISTER_COLUMNS = (
    "case_id",
    "number",
    "seq",
    "dnr",
    "registered_on",
    "recorded_at",
    "direction",
    "kind",
    "counterpart",
    "description",
    "document_sha256",
    "registered_by",
    "secrecy_lagrum",
    "secrecy_marked_on",
    "secrecy_seq",
    "disposed_on",
    "disposal_rule",
    "disposal_seq",
)
"""The columns of ``register_entries`` (store/migrations/010_register.sql), all of them compared."""

_UNKNOWABLE = object()
"""An expected value the events cannot give (see :func:`_organiser_name`): any stored value is accepted."""


class StoredRegister:
    """The register's rows and the organisers' names, read in the check's snapshot."""

    def __init__(self, entries: dict[str, dict[int, asyncpg.Record]], organisers: dict[str, asyncpg.Record]) -> None:
        self.entries = entries
        """Rows by case and entry number."""
        self.organisers = organisers
        """``organisers`` rows (name, created_at, updated_at) by organiser id."""

    @classmethod
    async def read(cls, conn: asyncpg.Connection) -> StoredRegister:
        """Every register row and organiser (inside the caller's read-only snapshot)."""
        entries: dict[str, dict[int, asyncpg.Record]] = {}
        for row in await conn.fetch(f"SELECT {', '.join(REGISTER_COLUMNS)} FROM register_entries"):
            entries.setdefault(row["case_id"], {})[row["number"]] = row
        rows = await conn.fetch("SELECT organiser_id, name, created_at, updated_at FROM organisers")
        return cls(entries, {r["organiser_id"]: r for r in rows})

    def orphans(self, cases_with_events: set[str]) -> list[Failure]:
        """Entries of cases that have no events at all."""
        return [
            finding("register.entries_orphan", case_id=case_id, value=_numbers(self.entries[case_id]))
            for case_id in sorted(self.entries.keys() - cases_with_events)
        ]


def compare_register(
    case_id: str,
    dnr: str,
    organiser_id: str,
    events: Sequence[Event],
    recorded_at: Sequence[datetime],
    stored: StoredRegister,
) -> list[Failure]:
    """How the stored register of one case differs from the fold of its ``events`` (seq 1, 2, … in order,
    ``recorded_at[i]`` the moment event ``i + 1`` was stored), entry by entry and column by column."""
    have = stored.entries.get(case_id, {})
    want = {entry.number: _expected(entry, dnr, organiser_id, recorded_at, stored) for entry in fold_register(events)}
    failures = []
    for number in sorted(have.keys() | want.keys()):
        if number not in have:
            what = want[number]["description"]
            failures.append(
                finding("register.entry_missing", case_id=case_id, seq=want[number]["seq"], number=number, value=what)
            )
            continue
        if number not in want:
            what = have[number]["description"]
            failures.append(
                finding("register.entry_extra", case_id=case_id, seq=have[number]["seq"], number=number, value=what)
            )
            continue
        failures += [
            finding(
                "register.entry_differs",
                case_id=case_id,
                seq=want[number]["seq"],
                number=number,
                column=column,
                stored=_shown(have[number][column]),
                expected=_shown(want[number][column]),
            )
            for column in REGISTER_COLUMNS[2:]
            if want[number][column] is not _UNKNOWABLE and have[number][column] != want[number][column]
        ]
    return failures


def _expected(
    entry: Entry, dnr: str, organiser_id: str, recorded_at: Sequence[datetime], stored: StoredRegister
) -> dict[str, object]:
    new, secrecy, disposal = entry.entry, entry.secrecy, entry.disposal
    at = recorded_at[new.seq - 1] if 0 < new.seq <= len(recorded_at) else None
    counterpart = _organiser_name(organiser_id, at, stored) if new.counterpart_is_organiser else new.counterpart
    return {
        "seq": new.seq,
        "dnr": dnr,
        "registered_on": new.registered_on,
        "recorded_at": at,
        "direction": new.direction.value,
        "kind": new.kind.value,
        "counterpart": counterpart,
        "description": new.description,
        "document_sha256": new.document_sha256,
        "registered_by": new.registered_by,
        "secrecy_lagrum": secrecy.lagrum if secrecy else None,
        "secrecy_marked_on": secrecy.marked_on if secrecy else None,
        "secrecy_seq": secrecy.seq if secrecy else None,
        "disposed_on": disposal.disposed_on if disposal else None,
        "disposal_rule": disposal.rule if disposal else None,
        "disposal_seq": disposal.seq if disposal else None,
    }


def _organiser_name(organiser_id: str, at: datetime | None, stored: StoredRegister) -> object:
    """The organiser's name as the append wrote it: its registered name at that moment, or its id when it was
    not registered. Organisers are not events, so once the organiser was registered or changed after the
    entry, the name it had then is not known here and any stored name is accepted."""
    organiser = stored.organisers.get(organiser_id)
    if organiser is None:
        return organiser_id
    if at is None or organiser["created_at"] > at or organiser["updated_at"] > at:
        return _UNKNOWABLE
    return organiser["name"]


def _numbers(entries: dict[int, asyncpg.Record]) -> str:
    return ", ".join(str(n) for n in sorted(entries))


def _shown(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"
