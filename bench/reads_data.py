"""The data of ``bench/reads.py``: 10,000 cases and about 1,000,000 events appended through the event store.

Each case is a copy of a Ludvika seed case built by the pure domain and stopped at one stage of a case's life, in
the proportions of a long-running register (most closed, a sixth awaiting an account, a few awaiting a
signature), each round padded with reminders so that there are about 100 events a case; 290 organisers, 20
inspectors, 5 decision makers, an organiser user and an auditor, all with the password ``PASSWORD``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import date

import asyncpg

from activities.models import RecordEvents
from admin.replay import replay
from admin.seeds import LUDVIKA
from admin.services.auth import hash_password
from domain import SYSTEM_USER, Event, decide, evolve, parse_command
from domain.actors import ActorRef, Role
from domain.organisers import register
from store import organisers, users
from store.events import EventStore

PASSWORD = "bench-password-long-enough"
INSPECTORS, DECIDERS, ORGANISERS = 20, 5, 290
TOWNS = "Ludvika Trelleborg Borlänge Falun Gävle Umeå Luleå Kiruna Malmö Lund Växjö Kalmar Visby Karlstad Örebro"
REMINDERS = 97
MIX = {  # final stage → (cases of 10,000, Ludvika steps taken, reminders in the round)
    "under_review": (500, 1, 0),
    "decision_pending_signature": (30, 2, 0),
    "awaiting_response": (1350, 3, REMINDERS),
    "overdue": (150, 3, REMINDERS),
    "referred": (200, 3, REMINDERS),
    "response_received": (150, 6, REMINDERS),
    "follow_up_pending_signature": (20, 7, REMINDERS),
    "closed": (7600, 8, REMINDERS),
}
_WORDS = "elevhälsa undervisning trygghet studiero analys måluppfyllelse betyg fritidshem modersmål nyanlända"
WORDS = _WORDS.split()


def template(stage: str) -> list[Event]:
    """The events of a Ludvika case that stopped at ``stage``, its round padded with reminders."""
    _, steps, reminders = MIX[stage]
    events: list[Event] = []
    for taken, (state, produced) in enumerate(replay(LUDVIKA), start=1):
        events += produced
        if taken == 3:  # awaiting the account: the round's reminders (and, for some, what came of it)
            extra = []
            for n in range(reminders):
                body = {"round": 1, "response_due": state.response_due, "recipient": "organiser"}
                command = parse_command("send-reminder", {"request_id": f"r{n}", **body, "days_before_due": 1000 + n})
                extra += decide(state, command, SYSTEM_USER, date(2025, 7, 1))
                state = evolve(state, extra[-1])
            if stage == "overdue":
                command = parse_command("mark-overdue", {"request_id": "o", "round": 1, "response_due": "2026-01-02"})
                extra += decide(state, command, SYSTEM_USER, date(2026, 1, 10))
            if stage == "referred":
                body = {
                    "request_id": "x",
                    "reason": "Inga åtgärder.",
                    "decided_on": "2025-12-01",
                    "reference": "2026:1",
                }
                referral = parse_command("refer-to-supervision", body)
                extra += decide(state, referral, LUDVIKA.users["malin.jern"], date(2025, 12, 1))
            events += extra
        if taken == steps:
            return events
    return events


def cases() -> Iterator[tuple[str, list[Event]]]:
    """10,000 cases: each a copy of its stage's template with its own ids, Dnr, title, organiser and handläggare."""
    n = 0
    for stage in MIX:
        events = template(stage)
        for _ in range(MIX[stage][0]):
            case_id, inspector = f"bench-{n:05d}", f"inspector{n % INSPECTORS:02d}"
            opened = {
                "dnr": f"B:{n}",
                "title": f"Kvalitetsgranskning av {WORDS[n % len(WORDS)]}, ärende {n}",
                "organiser_id": organiser_id(n % ORGANISERS),
                "actor": ActorRef(username=inspector, role=Role.INSPECTOR),
            }
            yield (
                case_id,
                [
                    e.model_copy(
                        update={"case_id": case_id, "event_id": str(uuid.uuid4()), **(opened if i == 0 else {})}
                    )
                    for i, e in enumerate(events)
                ],
            )
            n += 1


def organiser_id(n: int) -> str:
    """The organisation number of the ``n``th organiser."""
    return f"{212000 + n:06d}-{1000 + n:04d}"


async def load(pool: asyncpg.Pool, writers: int) -> int:
    """Organisers, users and every case's events (one append a case); the number of events."""
    towns = TOWNS.split()
    for n in range(ORGANISERS):
        name = f"{towns[n % len(towns)]} kommun {n}"
        await organisers.save(pool, register(organiser_id(n), name, f"kansli{n}@kommun.example"))
    hashed = hash_password(PASSWORD)
    people = [(f"inspector{n:02d}", ["inspector"], None) for n in range(INSPECTORS)]
    people += [(f"decider{n}", ["decision_maker"], None) for n in range(DECIDERS)]
    people += [("organiser7", ["organiser"], organiser_id(7)), ("arkivarie", ["auditor"], None)]
    for username, roles, org in people:
        await users.create(pool, username, hashed, roles, org, None)
    store, total, source = EventStore(pool), 0, cases()

    async def writer() -> None:
        nonlocal total
        for case_id, events in source:
            await store.append(RecordEvents(case_id=case_id, expected_seq=0, events=events))
            total += len(events)

    await asyncio.gather(*(writer() for _ in range(writers)))
    return total
