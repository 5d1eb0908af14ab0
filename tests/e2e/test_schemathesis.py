"""Property-based checks of the JSON API against its own OpenAPI schema (schemathesis).

Every operation of ``/api/v1`` (and ``/healthz``) gets generated requests, valid and invalid,
as a user holding every role, on a case that exists. No answer may be a 5xx, and every answer
must be documented: its status, content type and body must match the schema.

The app runs in-process on the test's event loop (with the worker); Hypothesis drives the
requests from a thread, each one sent through the ``stack``'s ASGI client on that loop.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from domain.commands import PERSON_COMMANDS
from domain.organisers import register
from store import organisers
from tests.e2e.api_support import Stack

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]
OWN = "212000-2270"  # the organiser of the schema's example case, so that the example opens a case
COMMANDS = [n for n in PERSON_COMMANDS if n != "open-case"]


async def _everything_user(stack: Stack) -> tuple[dict[str, str], str]:
    """A token of a user holding every role, and the id of a case of that user's organiser."""
    await organisers.save(stack.pool, register(OWN, "Ludvika kommun", "barn.utbildning@ludvika.example"))
    await stack.add_user("fuzz.everyone", ["admin", "auditor", "decision_maker", "inspector", "organiser"], OWN)
    headers = await stack.token("fuzz.everyone")
    opened = await stack.http.post(
        "/api/v1/cases",
        headers=headers,
        json={
            "request_id": str(uuid.uuid4()),
            "dnr": "2025:fuzz",
            "organiser_id": OWN,
            "title": "Kvalitetsgranskning",
            "opened_on": "2025-01-20",
            "areas": [{"code": "analys", "title": "Huvudmannens analys", "legal_basis": "1 kap. 9 § skollagen"}],
        },
    )
    assert opened.status_code == 201, opened.text
    return headers, opened.json()["case_id"]


def _strategies(operation: schemathesis.APIOperation, case_id: str) -> list[tuple[str, Any, list[Any]]]:
    """(mode, strategy, checks) for one operation: its examples, valid and invalid requests, on the case."""
    pinned: list[dict[str, str]] = [{}]
    if "{case_id}" in operation.path:
        pinned = [{"case_id": case_id}]
    if "{command}" in operation.path:
        pinned = [{"case_id": case_id, "command": name} for name in COMMANDS] + [{"case_id": case_id}]
    found = (
        [("examples", st.one_of(*examples), CHECKS)]
        if (examples := operation.schema.get_strategies_from_examples(operation))
        else []
    )
    for mode, checks in ((GenerationMode.POSITIVE, CHECKS), (GenerationMode.NEGATIVE, NEGATIVE_CHECKS)):
        found.append((mode.value, st.one_of(*[operation.as_strategy(mode, path_parameters=p) for p in pinned]), checks))
    return found


def _check_all(strategy: Any, checks: list[Any], send: Callable[[schemathesis.Case], httpx.Response]) -> None:
    """Send the strategy's requests and check each answer (Hypothesis raises for the smallest failing one)."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: schemathesis.Case) -> None:
        case.validate_response(send(case), checks=checks)

    check()


def _explore(
    stack: Stack, loop: asyncio.AbstractEventLoop, schema: Any, headers: dict[str, str], case_id: str
) -> list[str]:
    """Run every operation's strategies (in this thread); a line per operation and mode that failed."""

    def send(case: schemathesis.Case) -> httpx.Response:
        kwargs = case.as_transport_kwargs(base_url="http://test", headers=headers)
        body = kwargs.pop("data", None)
        request = stack.http.request(
            kwargs["method"],
            kwargs["url"],
            params=kwargs.get("params"),
            headers=kwargs.get("headers"),
            cookies=kwargs.get("cookies") or None,
            json=kwargs.get("json"),
            content=body if isinstance(body, bytes | str) else None,
            data=body if isinstance(body, dict) else None,
        )
        return asyncio.run_coroutine_threadsafe(request, loop).result(timeout=120)

    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(("/api/v1", "/healthz")):
            continue  # the web pages (HTML forms) are not part of the JSON contract
        if operation.path == "/api/v1/auth/logout":
            continue  # it would end the token every other request uses (tests/security/test_logins.py)
        for mode, strategy, checks in _strategies(operation, case_id):
            try:
                _check_all(strategy, checks, send)
            except Unsatisfiable:
                continue  # a negative mode with nothing to make invalid (no body, no query, only a text path)
            except (Exception, BaseExceptionGroup) as error:  # schemathesis' FailureGroup names the request
                notes = "\n".join(getattr(error, "__notes__", []))
                failures.append(f"{operation.label} [{mode}]: {error}\n{notes}")
    return failures


def _without_security(raw: dict[str, Any]) -> dict[str, Any]:
    """The schema without its bearer scheme: every request carries the test user's token instead of a generated
    Authorization header (which negative cases would make malformed, so nearly every one would be a 401 and
    the bodies would go untested). The scheme itself is checked in tests/security/test_headers.py."""
    paths = {
        path: {
            method: {k: v for k, v in operation.items() if k != "security"}
            if isinstance(operation, dict)
            else operation
            for method, operation in item.items()
        }
        for path, item in raw["paths"].items()
    }
    components = {k: v for k, v in raw.get("components", {}).items() if k != "securitySchemes"}
    return {**raw, "paths": paths, "components": components}


async def test_the_api_keeps_to_its_schema(stack: Stack) -> None:
    headers, case_id = await _everything_user(stack)
    raw = (await stack.http.get("/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(_without_security(raw))
    failures = await asyncio.to_thread(_explore, stack, asyncio.get_running_loop(), schema, headers, case_id)
    assert not failures, "\n\n".join(failures)


async def test_text_the_store_cannot_hold_is_refused_up_front(stack: Stack) -> None:
    """Found by the fuzzing: a NUL character reached PostgreSQL (500), or the workflow, whose audit
    activity could never record it (the request timed out and the case hung)."""
    headers, case_id = await _everything_user(stack)
    body = {
        "request_id": str(uuid.uuid4()),
        "dnr": "2025:nul",
        "organiser_id": OWN,
        "opened_on": "2025-01-20",
        "title": "Kvalitets\u0000granskning",
        "areas": [{"code": "a", "title": "A", "legal_basis": "B"}],
    }
    opened = await stack.http.post("/api/v1/cases", json=body, headers=headers)
    assert opened.status_code == 422 and opened.json()["error"]["details"][0]["field"] == "title"
    rejected = await stack.http.post(
        f"/api/v1/cases/{case_id}/commands/reject-draft",
        headers=headers,
        json={"request_id": "nul-2", "reason": "x\u0000"},
    )
    assert rejected.status_code == 422 and rejected.json()["error"]["details"][0]["field"] == "reason"
    for query in ({"state": "\x00"}, {"organiser_id": "\x00"}):
        listing = await stack.http.get("/api/v1/cases", params=query, headers=headers)
        assert listing.status_code == 422, listing.text
    events = (await stack.http.get(f"/api/v1/cases/{case_id}/events", headers=headers)).json()["events"]
    assert [e["type"] for e in events] == ["CaseOpened"]
