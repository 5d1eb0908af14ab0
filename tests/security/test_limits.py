"""Issue 14, row 7: limits everywhere, each answered with a clear 4xx and nothing stored.

Bodies over 1 MiB (declared or streamed), over-long and unprintable names, line breaks in one-line
fields, passwords beyond argon2's cap. (Request ids: ``test_request_ids``.)
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest

from admin.security import MAX_BODY
from admin.seeds import LUDVIKA, compressed
from tests.e2e.api_support import Stack
from tests.security.conftest import PASSWORD, Site, code_of

NEW_USER = {"username": "new.person", "password": PASSWORD, "roles": ["inspector"], "full_name": "Ny Person"}


def fields_of(answer) -> list[str]:  # type: ignore[no-untyped-def]
    return [d["field"] for d in answer.json()["error"]["details"]]


async def test_a_body_over_one_mebibyte_is_413_before_it_is_read(site: Site) -> None:
    await site.add_user("admin.one", "admin")
    headers = {**await site.as_("admin.one"), "Content-Type": "application/json"}
    huge = b'{"username": "' + b"a" * (10 * MAX_BODY) + b'"}'
    declared = await site.http.post("/api/v1/users", content=huge, headers=headers)
    assert declared.status_code == 413 and code_of(declared) == "payload_too_large"

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while it streams in
        yield b'{"username": "'
        for _ in range(20):
            yield b"a" * 65536
        yield b'"}'

    streamed = await site.http.post("/api/v1/users", content=chunks(), headers=headers)
    assert streamed.status_code == 413 and code_of(streamed) == "payload_too_large"
    small = await site.http.post("/api/v1/users", json={**NEW_USER, "full_name": "x" * 150}, headers=headers)
    assert small.status_code == 201, small.text  # under the limit: handled as usual


@pytest.mark.parametrize(
    ("full_name", "why"),
    [
        ("x" * 100_000, "too long"),
        ("Anna\u202eanidnA", "right-to-left override"),
        ("Anna\u2066Andersson", "bidi isolate"),
        ("Anna\u200bAndersson", "zero-width space"),
        ("Anna\x07Andersson", "control character"),
        ("Anna\nAndersson", "line break"),
    ],
)
async def test_names_refuse_what_would_not_read_as_stored(site: Site, full_name: str, why: str) -> None:
    await site.add_user("admin.one", "admin")
    answer = await site.http.post(
        "/api/v1/users", json={**NEW_USER, "full_name": full_name}, headers=await site.as_("admin.one")
    )
    assert answer.status_code == 422, why
    assert fields_of(answer) == ["full_name"]
    assert await site.pool.fetchval("SELECT count(*) FROM users WHERE username = 'new.person'") == 0


async def test_an_organiser_name_refuses_direction_overrides(site: Site) -> None:
    await site.add_user("admin.one", "admin")
    answer = await site.http.post(
        "/api/v1/organisers",
        json={"organiser_id": "212000-0000", "name": "Kommun\u202e", "email": "a@kommun.example"},
        headers=await site.as_("admin.one"),
    )
    assert answer.status_code == 422 and fields_of(answer) == ["name"]


async def test_passwords_are_capped_before_argon2(site: Site) -> None:
    await site.add_user("admin.one", "admin")
    megabyte = "p" * 1_000_000
    created = await site.http.post(
        "/api/v1/users", json={**NEW_USER, "password": megabyte}, headers=await site.as_("admin.one")
    )
    assert created.status_code == 422 and fields_of(created) == ["password"]
    login = await site.http.post("/api/v1/auth/token", json={"username": "admin.one", "password": megabyte})
    assert login.status_code == 401  # refused without being hashed


async def test_one_line_fields_refuse_line_breaks(site: Site) -> None:
    stack = Stack(site.http, site.pool)
    tag = uuid.uuid4().hex[:8]
    seed = compressed(LUDVIKA, date.today(), case_id=tag, dnr=f"L:{tag}")
    await stack.seed_people(seed)
    body = seed.steps[0].payload
    headers = await stack.token(seed.steps[0].username)
    titled = await stack.http.post("/api/v1/cases", json={**body, "title": "Granskning\r\nBcc: x"}, headers=headers)
    assert titled.status_code == 422 and "title" in fields_of(titled)
    area = {**body["areas"][0], "title": "Område\nmed radbrytning"}
    areas = await stack.http.post("/api/v1/cases", json={**body, "areas": [area]}, headers=headers)
    assert areas.status_code == 422 and "areas[0].title" in fields_of(areas)
    assert await site.pool.fetchval("SELECT count(*) FROM events") == 0
