"""Issue 14, row 1 end to end: a command that names a person the users table does not vouch for records
nothing, even from a process holding the payload key (the record activity's check, ``store.actors``)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from admin.seeds import LUDVIKA, compressed
from domain import DomainError, ErrorCode, Role, User
from tests.e2e.api_support import Stack
from tests.security.conftest import Site


async def test_a_ghost_or_deactivated_actor_is_refused_and_nothing_is_recorded(site: Site) -> None:
    stack = Stack(site.http, site.pool)
    tag = uuid.uuid4().hex[:8]
    seed = compressed(LUDVIKA, date.today(), case_id=tag, dnr=f"G:{tag}")
    await stack.seed_people(seed)
    opened = await stack.http.post(
        "/api/v1/cases", json=seed.steps[0].payload, headers=await stack.token(seed.steps[0].username)
    )
    case_id = opened.json()["case_id"]
    cases = site.app.state.context.services.cases
    draft = next(s for s in seed.steps if s.command == "draft-decision").payload
    before = await site.pool.fetchval("SELECT count(*) FROM events WHERE case_id = $1", case_id)

    ghost = User(username="ghost", roles=frozenset({Role.INSPECTOR}))
    with pytest.raises(DomainError) as refused:
        await cases.command(ghost, case_id, "draft-decision", draft)
    assert refused.value.code is ErrorCode.FORBIDDEN

    await site.pool.execute("UPDATE users SET active = false WHERE username = 'marta.rivelis'")
    marta = User(username="marta.rivelis", roles=frozenset({Role.INSPECTOR}))
    with pytest.raises(DomainError) as deactivated:
        await cases.command(marta, case_id, "draft-decision", {**draft, "request_id": f"{tag}-again"})
    assert deactivated.value.code is ErrorCode.FORBIDDEN
    assert await site.pool.fetchval("SELECT count(*) FROM events WHERE case_id = $1", case_id) == before
