"""Demo data for the local stack, built by issuing the real commands.

Only into an empty store (``make demo`` resets the stack first): one user per role with a
printed password, the two seed organisers, the Ludvika case finished and closed, the
Trelleborg case in its second round awaiting the account, and one case whose account is
overdue (a decision registered after the fact, with a due date that has already passed).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel

from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase, compressed
from admin.services import Services
from admin.services.cases import CaseService, case_id_for
from store import cases

DEMO_PEOPLE = [
    ("marta.rivelis", ["inspector"], None, "Marta Rivelis"),
    ("malin.jern", ["decision_maker"], None, "Malin Jern"),
    ("ludvika.forvaltning", ["organiser"], LUDVIKA.organiser_id, "Barn- och utbildningsförvaltningen, Ludvika"),
    ("trelleborg.bildning", ["organiser"], TRELLEBORG.organiser_id, "Bildningsförvaltningen, Trelleborg"),
    ("arkivarie", ["auditor"], None, "Arkivarie"),
]


class DemoUser(BaseModel):
    """A demo login to print."""

    username: str
    roles: list[str]
    password: str


async def load_demo(services: Services, data_dir: Path, today: date) -> list[DemoUser]:
    """Create the demo data unless the store already has cases; the demo logins (empty when skipped)."""
    counts = await cases.counts(services.pool)
    if counts["open"] + counts["ended"] > 0:
        return []
    for seed in (LUDVIKA, TRELLEBORG):
        await services.organisers.save(seed.organiser_id, seed.organiser_name, seed.organiser_email)
    logins = []
    for username, roles, organiser_id, name in DEMO_PEOPLE:
        if await services.users.account(username) is None:
            password = secrets.token_urlsafe(9)
            await services.users.add(username, password, roles, organiser_id, name)
            logins.append(DemoUser(username=username, roles=roles, password=password))
    service = services.cases
    await _run(service, compressed(LUDVIKA, today, case_id="demo-ludvika", dnr="2025:1234"))
    await _run(service, compressed(TRELLEBORG, today, case_id="demo-trelleborg", dnr="2020:7120"))
    await _run(service, _overdue_case(today))
    lines = [f"{d.username}\t{','.join(d.roles)}\t{d.password}" for d in logins]
    (data_dir / "demo-users.txt").write_text("\n".join(lines) + "\n")
    (data_dir / "demo-users.txt").chmod(0o600)
    return logins


async def _run(service: CaseService, seed: SeedCase) -> None:
    people = {u.username: u for u in seed.users.values()}
    first, *rest = seed.steps
    await service.open_case(people[first.username], first.payload)
    for step in rest:
        await service.command(
            people[step.username], case_id_for(first.payload["request_id"]), step.command, step.payload
        )


def _overdue_case(today: date) -> SeedCase:
    """Trelleborg's first round registered after the fact: decided 100 days ago, due 10 days ago."""
    seed = compressed(TRELLEBORG, today, case_id="demo-overdue", dnr="2026:0042")
    opened, decided, due = today - timedelta(days=200), today - timedelta(days=100), today - timedelta(days=10)
    steps = []
    for step in seed.steps[:3]:
        payload = dict(step.payload)
        payload.update(
            {k: v for k, v in {"opened_on": opened, "decided_on": decided, "response_due": due}.items() if k in payload}
        )
        payload = {k: v.isoformat() if isinstance(v, date) else v for k, v in payload.items()}
        steps.append(step.model_copy(update={"payload": payload}))
    return seed.model_copy(update={"steps": tuple(steps)})
