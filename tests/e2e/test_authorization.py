"""The authorisation matrix of docs/api.md: every role × every route → the status it must get.

Permitted callers get their 200/201; for commands a permitted role may still be refused for the
case's state or the body's content (409/422), so there the check is "not 401/403". Everyone else
gets exactly 403 (401 without a token), and nothing such a call attempted is recorded.
The bodies of the commands are well-typed but can never succeed (future dates, unknown areas,
empty texts), so the case stays under review and every command row leaves the events unchanged.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from admin.app import create_app
from admin.context import AppContext
from admin.seeds import ANALYS
from admin.services import Services
from admin.services.auth import Tokens
from domain.commands import COMMAND_TYPES, PERSON_COMMANDS
from domain.organisers import register
from runtime.config import Settings
from store import organisers
from store.embedded import EmbeddedPostgres
from store.migrate import migrate
from tests.e2e.api_support import Stack, checkpoint_files, error_of
from worker import build_worker

OWN, OTHER = "212000-0001", "212000-0002"
NEVER = "2999-01-01"  # a date no decision can carry: every command with it is refused
ROLES: dict[str, tuple[list[str], str | None] | None] = {
    "inspector": (["inspector"], None),
    "decision_maker": (["decision_maker"], None),
    "organiser_own": (["organiser"], OWN),
    "organiser_other": (["organiser"], OTHER),
    "auditor": (["auditor"], None),
    "admin": (["admin"], None),
    "anonymous": None,
}
STAFF_READERS = {"inspector", "decision_maker", "auditor", "admin", "organiser_own"}
RECORD_READERS = {"inspector", "decision_maker", "auditor", "organiser_own"}
EVERYONE = set(ROLES) - {"anonymous"}
ROLE_HOLDERS = {
    "inspector": {"inspector"},
    "decision_maker": {"decision_maker"},
    "organiser": {"organiser_own"},
    "registrar": set(),  # the matrix has no registrar caller; tests/e2e/test_api_records.py covers that role
}


def holders_of(command: str) -> frozenset[str]:
    """The callers of the matrix who hold one of the command's roles."""
    return frozenset().union(*(ROLE_HOLDERS[role.value] for role in COMMAND_TYPES[command].roles))


COMMAND_BODIES: dict[str, dict[str, Any]] = {
    "draft-decision": {
        "areas": [{"code": "no-such-area", "assessment": "x", "requirements": []}],
        "response_due": NEVER,
    },
    "sign-decision": {"decided_on": NEVER},
    "reject-draft": {"reason": ""},
    "draft-response": {"areas": []},
    "approve-response": {"body": "", "decided_on": NEVER, "paragraph": ""},
    "submit-response": {"submitted_on": NEVER},
    "request-supplement": {"what": "", "response_due": NEVER},
    "extend-deadline": {"response_due": NEVER, "reason": ""},
    "draft-follow-up": {"areas": [], "next_response_due": None},
    "sign-follow-up": {"decided_on": NEVER},
    "refer-to-supervision": {"reason": "", "decided_on": NEVER, "reference": ""},
}


def _tag() -> str:
    return uuid.uuid4().hex[:10]


def _organisation_number() -> str:
    n = uuid.uuid4().int
    return f"{n % 10**6:06d}-{n // 10**6 % 10**4:04d}"


def _new_case() -> dict[str, Any]:
    return {
        "request_id": _tag(),
        "dnr": f"2025:{_tag()}",
        "organiser_id": OWN,
        "title": "Kvalitetsgranskning",
        "opened_on": "2025-01-20",
        "areas": [ANALYS],
    }


@dataclass(frozen=True)
class Route:
    """One call of docs/api.md, who may make it, and the status they get."""

    method: str
    path: str
    allowed: frozenset[str]
    ok: int = 200
    body: Callable[[], dict[str, Any]] | None = None
    command: bool = False


ROUTES = [
    Route(
        "POST",
        "/users",
        frozenset({"admin"}),
        201,
        lambda: {"username": f"u-{_tag()}", "password": "long-enough-pw", "roles": ["auditor"]},
    ),
    Route(
        "POST",
        "/organisers",
        frozenset({"admin", "inspector"}),
        201,
        lambda: {"organiser_id": _organisation_number(), "name": "Kommunen", "email": "kansli@kommunen.example"},
    ),
    Route("POST", "/cases", frozenset({"inspector"}), 201, _new_case),
    Route("GET", "/cases", frozenset(EVERYONE)),
    Route("GET", "/worklist", frozenset(EVERYONE)),
    Route("GET", "/cases/{id}", frozenset(STAFF_READERS)),
    *[
        Route(
            "POST",
            f"/cases/{{id}}/commands/{name}",
            holders_of(name),
            body=lambda name=name: COMMAND_BODIES.get(name, {}),  # none here: refused for its state or content
            command=True,
        )
        for name in PERSON_COMMANDS
        if name != "open-case"
    ],
    Route("GET", "/cases/{id}/events", frozenset(RECORD_READERS)),
    Route("GET", "/cases/{id}/notices", frozenset(RECORD_READERS)),
    Route("GET", "/audit/verify", frozenset({"auditor"})),
    Route("POST", "/audit/checkpoints", frozenset({"auditor"}), 201),
    Route("GET", "/audit/checkpoints/latest", frozenset({"auditor"})),
    Route("GET", "/audit/export?case={id}", frozenset({"auditor"})),
]
MATRIX = [(route, role) for route in ROUTES for role in ROLES]


def _id(item: tuple[Route, str]) -> str:
    route, role = item
    expected = "401" if role == "anonymous" else ("ok" if role in route.allowed else "403")
    return f"{route.method} {route.path} as {role} -> {expected}"


@dataclass
class Matrix:
    """The app on real servers, one case of organiser OWN under review, and a token per role."""

    stack: Stack
    case_id: str
    headers: dict[str, dict[str, str]]

    async def fingerprint(self) -> tuple[int, ...]:
        """Counts of everything a call could record."""
        row = await self.stack.pool.fetchrow(
            """SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM users), (SELECT count(*) FROM organisers),
                      (SELECT count(*) FROM cases), (SELECT count(*) FROM notices)"""
        )
        return tuple(row)


@pytest.fixture(scope="module")
async def matrix(dev_server_env: WorkflowEnvironment, embedded_pg: EmbeddedPostgres) -> AsyncIterator[Matrix]:
    """One stack for the whole matrix (each row only reads it or is refused)."""
    name = f"t_authz_{_tag()}"
    urls = embedded_pg.ensure_database(name)
    await migrate(urls.owner_url, urls.app_url)
    pool = await asyncpg.create_pool(urls.app_url, min_size=1, max_size=8)
    queue = f"authz-{_tag()}"
    app = create_app(
        Settings(),
        context=AppContext(
            Services(pool, dev_server_env.client, queue, checkpoints=checkpoint_files(Path(tempfile.mkdtemp()))),
            Tokens("test-secret"),
        ),
    )
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            build_worker(dev_server_env.client, pool, queue),
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test") as http,
        ):
            stack = Stack(http, pool)
            for organiser_id in (OWN, OTHER):
                await organisers.save(pool, register(organiser_id, f"Kommun {organiser_id}", "a@kommun.example"))
            headers: dict[str, dict[str, str]] = {"anonymous": {}}
            for role, account in ROLES.items():
                if account is not None:
                    await stack.add_user(f"as-{role.replace('_', '-')}", account[0], account[1])
                    headers[role] = await stack.token(f"as-{role.replace('_', '-')}")
            opened = await http.post("/api/v1/cases", json=_new_case(), headers=headers["inspector"])
            assert opened.status_code == 201, opened.text
            made = await http.post("/api/v1/audit/checkpoints", headers=headers["auditor"])  # for .../latest
            assert made.status_code == 201, made.text
            yield Matrix(stack, opened.json()["case_id"], headers)
    finally:
        await pool.close()
        embedded_pg.drop_database(name)


@pytest.mark.parametrize("row", MATRIX, ids=[_id(r) for r in MATRIX])
async def test_role_on_route(matrix: Matrix, row: tuple[Route, str]) -> None:
    route, role = row
    before = await matrix.fingerprint()
    answer = await matrix.stack.http.request(
        route.method,
        "/api/v1" + route.path.replace("{id}", matrix.case_id),
        json={"request_id": _tag(), **route.body()} if route.command else (route.body() if route.body else None),
        headers=matrix.headers[role],
    )
    if role == "anonymous":
        assert (answer.status_code, error_of(answer)["code"]) == (401, "unauthorized"), answer.text
    elif role not in route.allowed:
        assert (answer.status_code, error_of(answer)["code"]) == (403, "forbidden"), answer.text
    elif route.command:
        assert answer.status_code in (409, 422), answer.text  # permitted; refused for the state or the content
    else:
        assert answer.status_code == route.ok, answer.text
    if answer.status_code >= 400:
        assert await matrix.fingerprint() == before, "a refused call recorded something"


async def test_organisers_see_only_their_own_cases(matrix: Matrix) -> None:
    own = (await matrix.stack.http.get("/api/v1/cases", headers=matrix.headers["organiser_own"])).json()["cases"]
    other = (await matrix.stack.http.get("/api/v1/cases", headers=matrix.headers["organiser_other"])).json()["cases"]
    assert matrix.case_id in [c["case_id"] for c in own] and {c["organiser_id"] for c in own} == {OWN}
    assert other == []
    snooping = await matrix.stack.http.get(
        "/api/v1/cases", params={"organiser_id": OWN}, headers=matrix.headers["organiser_other"]
    )
    assert snooping.json()["cases"] == []


@pytest.mark.parametrize("command", [n for n in PERSON_COMMANDS if n != "open-case"])
async def test_a_wrong_role_is_refused_whatever_the_body(matrix: Matrix, command: str) -> None:
    holders = holders_of(command)
    for role in EVERYONE - holders:
        answer = await matrix.stack.http.post(
            f"/api/v1/cases/{matrix.case_id}/commands/{command}",
            json={"request_id": _tag()},
            headers=matrix.headers[role],
        )
        assert (answer.status_code, error_of(answer)["code"]) == (403, "forbidden"), (role, answer.text)
