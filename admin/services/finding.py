"""Finding work: the case list with search, filters and keyset paging, and each person's "Att göra nu".

Both read the read model only. A page of cases ends with an opaque cursor to the next page (never
a silent cap); a worklist is every case the rules give the reader something to do on now.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import asyncpg

from domain import Role, User
from domain.deadlines import business_date
from domain.errors import invalid
from domain.views import CaseView, case_view
from domain.worklist import WorkItem, most_urgent_first, next_step
from store import cases, worklist
from store.cases import CaseQuery, FilterChoices
from store.worklist import CheckpointStatus

MAX_LIMIT = 200
"""The most cases one page holds; a larger ``limit`` is refused, never quietly lowered."""
ENDED_RECENTLY = timedelta(days=30)
"""An auditor's worklist shows the cases that ended this long ago or later (to export and archive)."""
PENDING = ("decision_pending_signature", "follow_up_pending_signature")


@dataclass(frozen=True)
class CasePage:
    """A page of cases as the reader sees them, and the cursor of the next page (None: the last page)."""

    cases: list[CaseView]
    next_cursor: str | None
    names: dict[str, str] = field(default_factory=dict)
    """The names of the page's organisers, by organisation number, when asked for (an unregistered one is missing)."""
    choices: FilterChoices | None = None
    """Every organiser and inspector, for the list's filters, when asked for."""


@dataclass(frozen=True)
class Work:
    """One item of a worklist: the case as the reader sees it and what to do on it."""

    case: CaseView
    item: WorkItem


@dataclass(frozen=True)
class Worklist:
    """What the reader can do now, most urgent first; for an auditor also how far the checkpoints lag."""

    items: list[Work] = field(default_factory=list)
    checkpoint: CheckpointStatus | None = None
    names: dict[str, str] = field(default_factory=dict)
    """The names of the items' organisers, by organisation number, when asked for (an unregistered one is missing)."""


def encode_cursor(key: tuple[date, str]) -> str:
    """The opaque cursor of a keyset position (due key, Dnr key)."""
    raw = json.dumps([key[0].isoformat(), key[1]], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, str]:
    """The keyset position of a cursor; a refusal naming ``cursor`` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        due, key = json.loads(raw)
        return date.fromisoformat(due), str(key)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise invalid("cursor", "api.cursor") from None


def _only_own_organiser(user: User) -> bool:
    return user.has(Role.ORGANISER) and not (user.roles - {Role.ORGANISER})


class CaseFinder:
    """Search the cases a user may see, and list what the user can do now."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def page(
        self,
        user: User,
        *,
        q: str | None = None,
        state: str | None = None,
        organiser_id: str | None = None,
        responsible: str | None = None,
        overdue: bool | None = None,
        include_closed: bool = False,
        limit: int = 50,
        cursor: str | None = None,
        named: bool = False,
        choices: bool = False,
    ) -> CasePage:
        """The cases matching every filter given, soonest due first, ``limit`` at most, from ``cursor`` on.

        ``responsible="me"`` means ``user``; an organiser user sees only its own organiser's cases. With
        ``named``, also the names of the page's organisers; with ``choices``, every organiser and inspector the
        filters offer (each read on the same connection).
        """
        if not 1 <= limit <= MAX_LIMIT:
            raise invalid("limit", "api.limit", max=MAX_LIMIT)
        if _only_own_organiser(user):
            if organiser_id not in (None, "", user.organiser_id):
                return CasePage([], None)
            organiser_id = user.organiser_id
        query = CaseQuery(
            q=q or None,
            state=state or None,
            organiser_id=organiser_id or None,
            responsible=user.username if responsible == "me" else (responsible or None),
            overdue=overdue,
            include_closed=include_closed,
            limit=limit,
            after=decode_cursor(cursor) if cursor else None,
        )
        async with self.pool.acquire() as conn:
            found = await cases.page(conn, query)
            names = await cases.organiser_names(conn, {s.organiser_id for s in found.cases}) if named else {}
            offered = await cases.filter_choices(conn) if choices else None
        views = [case_view(s, user) for s in found.cases]
        return CasePage(views, encode_cursor(found.next) if found.next else None, names, offered)

    async def worklist(self, user: User, named: bool = False) -> Worklist:
        """Every case ``user`` can act on now with the step to take, most urgent first (``named``: with the names of
        their organisers)."""
        wanted = []
        if user.has(Role.DECISION_MAKER):
            wanted.append(worklist.Wanted(states=PENDING))
        if user.has(Role.INSPECTOR):
            mine = worklist.Wanted(("under_review", "response_received"), ("awaiting_response",), None, user.username)
            wanted.append(mine)
        if user.has(Role.ORGANISER) and user.organiser_id:
            wanted.append(worklist.Wanted(states=("awaiting_response",), organiser_id=user.organiser_id))
        ended: list[worklist.Candidate] = []
        checkpoint = None
        async with self.pool.acquire() as conn:  # one connection for the whole read
            found = await worklist.candidates(conn, wanted)
            names = await cases.organiser_names(conn, {c.state.organiser_id for c in found}) if named else {}
            if user.has(Role.AUDITOR):
                since = business_date(datetime.now(UTC)) - ENDED_RECENTLY
                ended = await worklist.ended_since(conn, since)
                checkpoint = await worklist.checkpoint_status(conn)
        views: dict[str, CaseView] = {}
        steps = []
        for candidate in found:
            view = case_view(candidate.state, user)  # the rules asked once a case: the view's commands are the offer
            step = next_step(candidate.state, user, view.allowed_commands)
            if step is not None:
                views[step.case_id] = view
                steps.append(step)
        work = [Work(views[i.case_id], i) for i in most_urgent_first(steps)]
        if not user.has(Role.AUDITOR):
            return Worklist(work, names=names)
        for e in ended:
            since = e.state.last_signed_on
            item = WorkItem(
                case_id=e.state.case_id, dnr=e.state.dnr, action="export", due=None, since=since, overdue=False
            )
            work.append(Work(case_view(e.state, user), item))
        return Worklist(work, checkpoint, names)
