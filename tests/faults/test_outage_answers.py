"""What the web app answers when a part is down, or something unexpected fails: never a bare 5xx.

The app's own error handlers (admin.errors) over routes that raise what the database and Temporal
clients raise in an outage.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from temporalio.service import RPCError, RPCStatusCode

from admin.errors import install_error_handlers

pytestmark = pytest.mark.short

FAILURES: dict[str, Exception] = {
    "refused": ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5433)"),
    "starting": asyncpg.CannotConnectNowError("the database system is starting up"),
    "lost": asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    "released": asyncpg.InterfaceError("cannot call Transaction.__aexit__(): the underlying connection is closed"),
    "reset": asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in progress"),
    "temporal": RPCError("connection refused", RPCStatusCode.UNAVAILABLE, b""),
    "bug": KeyError("nobody expected this"),
}


def failing(failure: Exception) -> Callable[[], None]:
    def fail() -> None:
        raise failure

    return fail


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_error_handlers(app)
    for name, failure in FAILURES.items():
        app.get(f"/api/v1/{name}")(failing(failure))
        app.get(f"/cases/{name}")(failing(failure))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
        yield http


@pytest.mark.parametrize("name", ["refused", "starting", "lost", "released", "reset"])
async def test_the_database_down_is_a_503_in_json_naming_it(client: httpx.AsyncClient, name: str) -> None:
    answer = await client.get(f"/api/v1/{name}")
    assert (answer.status_code, answer.headers["retry-after"]) == (503, "2")
    error = answer.json()["error"]
    assert error["code"] == "unavailable" and error["message"].startswith("Databasen svarar inte")


async def test_temporal_down_is_a_503_naming_it_in_english_when_asked(client: httpx.AsyncClient) -> None:
    answer = await client.get("/api/v1/temporal", headers={"Accept-Language": "en-GB,en;q=0.9,sv;q=0.5"})
    assert answer.status_code == 503 and answer.headers["retry-after"] == "2"
    assert answer.json()["error"]["message"].startswith("The case engine (Temporal) does not answer")


async def test_a_web_page_answers_a_swedish_page(client: httpx.AsyncClient) -> None:
    answer = await client.get("/cases/starting", headers={"Accept-Language": "en"})
    assert answer.status_code == 503 and answer.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in answer.text and "Tillfälligt otillgänglig" in answer.text


async def test_anything_unexpected_is_a_500_with_a_body(client: httpx.AsyncClient) -> None:
    api, page = await client.get("/api/v1/bug"), await client.get("/cases/bug")
    assert (api.status_code, api.json()["error"]["code"]) == (500, "internal_error")
    assert page.status_code == 500 and "Något gick fel" in page.text
