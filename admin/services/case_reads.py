"""Reading cases: one case as a user sees it, its events and notices, why a command is held back, and the
case page's whole read on one connection. Everything here reads the PostgreSQL read model, which also
serves cases whose workflows have ended; the commands are in ``admin.services.cases``.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from admin.services.documents import DocumentService, DocumentView
from domain import DomainError, ErrorCode, Role, User
from domain.decide import held_back
from domain.disclosure import for_organiser, is_staff, notice_for_organiser
from domain.errors import forbidden, not_found
from domain.organisers import Organiser
from domain.state import CaseState
from domain.views import CaseView, case_view
from store import cases
from store import notices as outbox
from store.events import read_events
from store.notices import NoticeRow
from store.records import StoredEvent

READERS_OF_RECORDS = frozenset({Role.INSPECTOR, Role.DECISION_MAKER, Role.AUDITOR, Role.ORGANISER})
"""Who reads a case's events and notices (an organiser user: of its own cases, as it may see them)."""


@dataclass(frozen=True)
class CasePageRead:
    """What the case page shows of one case, read at once: the case as the user sees it, its organiser, why the
    commands the user might expect are held back, and its events, notices and documents (None: not the user's to
    read)."""

    view: CaseView
    organiser: Organiser | None
    held_back: dict[str, DomainError]
    events: list[StoredEvent] | None
    notices: list[NoticeRow] | None
    documents: list[DocumentView] | None


class CaseReader:
    """Read cases as a user may see them."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def get(self, user: User, case_id: str) -> CaseView:
        """The case as ``user`` sees it."""
        return case_view(await self._readable(user, case_id, records=False), user)

    async def held_back(self, user: User, case_id: str) -> dict[str, DomainError]:
        """The commands ``user`` might expect to issue now and why the rules hold them back (by name)."""
        return held_back(await self._readable(user, case_id, records=False), user)

    async def page(self, user: User, case_id: str) -> CasePageRead:
        """The case, its organiser, what is held back, its events, notices and documents, on one connection (the
        case page)."""
        async with self.pool.acquire() as conn:
            found = await cases.with_organiser(conn, case_id)
            if found is None:
                raise not_found("case.not_found", "case_id", case_id=case_id)
            state, organiser = found
            _check_readable(user, state, records=False)
            events = notices = None
            if user.roles & READERS_OF_RECORDS:
                events, notices = await read_events(conn, case_id), await outbox.for_case(conn, case_id)
            try:
                documents: list[DocumentView] | None = await DocumentService(self.pool).of_case(user, state, conn)
            except DomainError as error:  # e.g. an administrator, who may not read a case's documents
                if error.code is not ErrorCode.FORBIDDEN:
                    raise
                documents = None
        if events is not None and notices is not None and not is_staff(user):
            events, notices = _organiser_events(events), _organiser_notices(notices)
        return CasePageRead(case_view(state, user), organiser, held_back(state, user), events, notices, documents)

    async def search(
        self, user: User, state: str | None = None, organiser_id: str | None = None, overdue: bool | None = None
    ) -> list[CaseView]:
        """Cases matching the filters; an organiser user sees only its own organiser's."""
        if user.has(Role.ORGANISER) and not (user.roles - {Role.ORGANISER}):
            if organiser_id not in (None, user.organiser_id):
                return []
            organiser_id = user.organiser_id
        found = await cases.search(self.pool, state=state, organiser_id=organiser_id, overdue=overdue)
        return [case_view(s, user) for s in found]

    async def find(
        self, state: str | None = None, organiser_id: str | None = None, overdue: bool | None = None
    ) -> list[CaseState]:
        """Every case matching the filters, as an operator sees them (the CLI: no user, no view)."""
        return await cases.search(self.pool, state=state, organiser_id=organiser_id, overdue=overdue)

    async def record(self, case_id: str) -> CaseState | None:
        """The case's row of the read model, as an operator sees it; None when there is none."""
        return await cases.get(self.pool, case_id)

    async def case_events(self, user: User, case_id: str) -> list[StoredEvent]:
        """The case's events, oldest first; an organiser gets only what it may see (``domain.disclosure``)."""
        await self._readable(user, case_id, records=True)
        events = await read_events(self.pool, case_id)
        return events if is_staff(user) else _organiser_events(events)

    async def case_notices(self, user: User, case_id: str) -> list[NoticeRow]:
        """The case's notices and their delivery status; an organiser gets only its own letters."""
        await self._readable(user, case_id, records=True)
        notices = await outbox.for_case(self.pool, case_id)
        return notices if is_staff(user) else _organiser_notices(notices)

    async def _readable(self, user: User, case_id: str, records: bool) -> CaseState:
        state = await cases.get(self.pool, case_id)
        if state is None:
            raise not_found("case.not_found", "case_id", case_id=case_id)
        _check_readable(user, state, records)
        return state


def _check_readable(user: User, state: CaseState, records: bool) -> None:
    """Refuse (403) a user who may not read the case (``records``: its events and notices too)."""
    if records and not (user.roles & READERS_OF_RECORDS):
        raise forbidden("records.forbidden", user=user.username)
    staff = user.roles - {Role.ORGANISER}
    if not staff and user.organiser_id != state.organiser_id:
        raise forbidden("organiser.other_case", user=user.username, dnr=state.dnr)


def _organiser_events(events: list[StoredEvent]) -> list[StoredEvent]:
    """The events as an organiser may see them (``domain.disclosure``)."""
    return for_organiser(events, lambda e, actor, data: e.model_copy(update={"actor": actor, "data": data}))


def _organiser_notices(notices: list[NoticeRow]) -> list[NoticeRow]:
    """An organiser's own letters of the notices."""
    return [n for n in notices if notice_for_organiser(n.recipient)]
