"""Who may be recorded as acting on a case: the users table decides, just before events are appended.

The workflow already checks the user it is given; this is the store's own check, so that a
command that reached a workflow some other way (issue 14) still cannot put a name on an event
that the users table does not vouch for: the person exists, is active, holds the role the event
names, and, acting as an organiser, belongs to the case's organiser. The workflow's own facts
(reminders, overdue marks) are recorded as ``system`` and need no account.

A retried batch whose events are all stored already is not checked again: it records nothing,
and refusing it would leave the workflow believing that what the store holds never happened.
"""

from __future__ import annotations

import asyncpg

from domain.actors import ActorRef, Role
from domain.events import CaseOpened
from store.errors import StoreError
from store.records import RecordEvents

SYSTEM_USERNAME = "system"


class ActorNotAllowed(StoreError):
    """The users table does not vouch for an event's actor: never retry, nothing was recorded."""

    def __init__(self, case_id: str, actor: ActorRef, reason: str) -> None:
        super().__init__(f"{actor.username} may not act as {actor.role.value} on case {case_id}: {reason}.")
        self.case_id = case_id
        self.actor = actor
        self.reason = reason


async def check_actors(pool: asyncpg.Pool, request: RecordEvents) -> None:
    """Refuse (ActorNotAllowed) unless every actor of the batch may act on its case as recorded."""
    event_ids = [e.event_id for e in request.events]
    stored = await pool.fetchval("SELECT count(*) FROM events WHERE event_id = ANY($1::text[])", event_ids)
    if event_ids and stored == len(event_ids):
        return  # a retry of what is recorded already: the store will answer with it
    opened = next((e.organiser_id for e in request.events if isinstance(e, CaseOpened)), None)
    for actor in dict.fromkeys(e.actor for e in request.events):
        await check_actor(pool, request.case_id, actor, opened)


async def check_actor(pool: asyncpg.Pool, case_id: str, actor: ActorRef, opened_for: str | None = None) -> None:
    """Refuse (ActorNotAllowed) unless ``actor`` may act on ``case_id`` as recorded.

    ``opened_for``: the organiser of a case that this very batch opens (it has no row yet).
    """
    if actor.role is Role.SYSTEM:
        if actor.username != SYSTEM_USERNAME:
            raise ActorNotAllowed(case_id, actor, "only the workflow itself acts as system")
        return
    row = await pool.fetchrow(
        "SELECT u.active, $2 = ANY (u.roles) AS holds_role, u.organiser_id,"
        " (SELECT c.organiser_id FROM cases c WHERE c.case_id = $3) AS case_organiser"
        " FROM users u WHERE u.username = $1",
        actor.username,
        actor.role.value,
        case_id,
    )
    if row is None:
        raise ActorNotAllowed(case_id, actor, "there is no such user")
    if not row["active"]:
        raise ActorNotAllowed(case_id, actor, "the user is deactivated")
    if not row["holds_role"]:
        raise ActorNotAllowed(case_id, actor, f"the user does not hold the role {actor.role.value}")
    if actor.role is Role.ORGANISER:
        case_organiser = row["case_organiser"] or opened_for
        if case_organiser is None or row["organiser_id"] != case_organiser:
            raise ActorNotAllowed(case_id, actor, "the user does not belong to the case's organiser")
