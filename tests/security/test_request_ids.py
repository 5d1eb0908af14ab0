"""Issue 14, row 6: a request id is bound to its command, user and case; reused with anything else → 409.

Nothing is recorded by a refused reuse: the case's events are the same before and after. A request
id is at most 100 characters (longer → 422, never a 500 from Temporal's Update id).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from admin.seeds import LUDVIKA, SeedCase, compressed
from tests.e2e.api_support import Stack
from tests.security.conftest import Site, code_of


def fresh(seed: SeedCase = LUDVIKA) -> SeedCase:
    tag = uuid.uuid4().hex[:8]
    return compressed(seed, date.today(), case_id=tag, dnr=f"S:{tag}")


async def opened(stack: Stack, seed: SeedCase, body: dict[str, Any] | None = None) -> str:
    first = seed.steps[0]
    answer = await stack.http.post(
        "/api/v1/cases", json=body or first.payload, headers=await stack.token(first.username)
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case_id"])


async def events(stack: Stack, case_id: str) -> list[str]:
    answer = await stack.http.get(f"/api/v1/cases/{case_id}/events", headers=await stack.token("marta.rivelis"))
    return [e["event_id"] for e in answer.json()["events"]]


async def test_a_command_id_reused_by_another_user_on_another_case_or_for_another_command_is_refused(
    site: Site,
) -> None:
    stack = Stack(site.http, site.pool)
    seed = fresh()
    await stack.seed_people(seed)
    await stack.add_user("other.inspector", ["inspector"])
    case_a = await opened(stack, seed)
    draft = next(s for s in seed.steps if s.command == "draft-decision")
    path = f"/api/v1/cases/{case_a}/commands/draft-decision"
    first = await stack.http.post(path, json=draft.payload, headers=await stack.token(draft.username))
    assert first.status_code == 200, first.text
    again = await stack.http.post(path, json=draft.payload, headers=await stack.token(draft.username))
    assert again.status_code == 200 and again.json() == first.json()  # a retry: the same answer, once
    before_a = await events(stack, case_a)

    other_user = await stack.http.post(path, json=draft.payload, headers=await stack.token("other.inspector"))
    assert other_user.status_code == 409 and code_of(other_user) == "conflict"
    assert other_user.json()["error"]["details"][0]["field"] == "request_id"

    sign = next(s for s in seed.steps if s.command == "sign-decision")
    other_command = await stack.http.post(
        f"/api/v1/cases/{case_a}/commands/reject-draft",
        json={"request_id": draft.payload["request_id"], "reason": "Omarbeta."},
        headers=await stack.token(sign.username),
    )
    assert other_command.status_code == 409
    assert await events(stack, case_a) == before_a

    second = fresh()
    second_open = {**second.steps[0].payload, "dnr": f"B:{uuid.uuid4().hex[:6]}"}
    case_b = await opened(stack, seed, second_open)
    before_b = await events(stack, case_b)
    other_case = await stack.http.post(
        f"/api/v1/cases/{case_b}/commands/draft-decision",
        json=draft.payload,
        headers=await stack.token(draft.username),
    )
    assert other_case.status_code == 409 and code_of(other_case) == "conflict"
    assert await events(stack, case_b) == before_b


async def test_an_open_case_id_reused_with_other_content_or_by_another_user_is_refused(site: Site) -> None:
    stack = Stack(site.http, site.pool)
    seed = fresh()
    await stack.seed_people(seed)
    await stack.add_user("other.inspector", ["inspector"])
    body = seed.steps[0].payload
    case_id = await opened(stack, seed)
    retry = await stack.http.post("/api/v1/cases", json=body, headers=await stack.token(seed.steps[0].username))
    assert retry.json()["case_id"] == case_id
    changed = await stack.http.post(
        "/api/v1/cases",
        json={**body, "title": "En annan granskning"},
        headers=await stack.token(seed.steps[0].username),
    )
    assert changed.status_code == 409 and code_of(changed) == "conflict"
    stranger = await stack.http.post("/api/v1/cases", json=body, headers=await stack.token("other.inspector"))
    assert stranger.status_code == 409
    assert len(await events(stack, case_id)) == 1


async def test_a_request_id_longer_than_100_characters_is_a_422(site: Site) -> None:
    stack = Stack(site.http, site.pool)
    seed = fresh()
    await stack.seed_people(seed)
    headers = await stack.token(seed.steps[0].username)
    for length in (101, 1200):
        too_long = await stack.http.post(
            "/api/v1/cases", json={**seed.steps[0].payload, "request_id": "r" * length}, headers=headers
        )
        assert too_long.status_code == 422, too_long.text
        assert too_long.json()["error"]["details"][0]["field"] == "request_id"
    case_id = await opened(stack, seed)
    draft = next(s for s in seed.steps if s.command == "draft-decision")
    long_command = await stack.http.post(
        f"/api/v1/cases/{case_id}/commands/draft-decision",
        json={**draft.payload, "request_id": "x" * 1200},
        headers=await stack.token(draft.username),
    )
    assert long_command.status_code == 422 and long_command.json()["error"]["details"][0]["field"] == "request_id"
    exactly = await stack.http.post(
        f"/api/v1/cases/{case_id}/commands/draft-decision",
        json={**draft.payload, "request_id": "y" * 100},
        headers=await stack.token(draft.username),
    )
    assert exactly.status_code == 200, exactly.text
