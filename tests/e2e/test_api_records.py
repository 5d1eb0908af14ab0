"""The register and archive over HTTP: GET /api/v1/register (JSON and CSV, by role), the archive package
route (auditor; an open case 409, an unknown case 404), and the register's pages.

Every test here only reads, so the module shares one app over one database with both seed cases and their
documents, seeded once (no worker: nothing here starts a workflow)."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import uuid
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from admin.app import create_app
from admin.context import AppContext
from admin.seeds import LUDVIKA, TRELLEBORG
from admin.services import Services
from admin.services.auth import Tokens
from runtime.config import Settings
from store.embedded import EmbeddedPostgres
from store.events import EventStore
from store.migrate import migrate
from tests.e2e.api_support import PASSWORD, Stack, checkpoint_files, error_of
from tests.integration.records_support import with_documents
from tests.integration.store_support import append_all

pytestmark = pytest.mark.integration
HEADER = "registered_on,dnr,direction,counterpart,description,document_sha256,secrecy_lagrum"


@pytest.fixture(scope="module")
async def stack(dev_server_env: WorkflowEnvironment, embedded_pg: EmbeddedPostgres) -> AsyncIterator[Stack]:
    """The app over both seed cases with their documents, their people, a registrar, an auditor and another."""
    name = f"t_records_api_{uuid.uuid4().hex[:8]}"
    urls = embedded_pg.ensure_database(name)
    await migrate(urls.owner_url, urls.app_url)
    pool = await asyncpg.create_pool(urls.app_url, min_size=1, max_size=8)
    checkpoints = checkpoint_files(Path(tempfile.mkdtemp(prefix="records-api-")))
    services = Services(pool, dev_server_env.client, f"records-{uuid.uuid4().hex[:8]}", checkpoints=checkpoints)
    app = create_app(Settings(), context=AppContext(services, Tokens("test-secret")))
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http,
        ):
            stack, store = Stack(http, pool), EventStore(pool)
            for seed in (LUDVIKA, TRELLEBORG):
                await stack.seed_people(seed)
                await append_all(store, seed.case_id, await with_documents(store, seed))
            for username, role in (("rut", "registrar"), ("arkivarie", "auditor"), ("kim", "decision_maker")):
                await stack.add_user(username, [role])
            yield stack
    finally:
        await pool.close()
        embedded_pg.drop_database(name)


async def test_the_register_in_json_and_csv_for_the_roles_that_read_it(stack: Stack) -> None:
    registrar, other = await stack.token("rut"), await stack.token("kim")
    found = await stack.http.get("/api/v1/register", params={"dnr": "2025:1234"}, headers=registrar)
    assert found.status_code == 200, found.text
    entries = found.json()["entries"]
    assert [e["direction"] for e in entries] == ["internal", "outgoing", "incoming", "incoming", "outgoing"]
    assert entries[1]["counterpart"] == "Ludvika kommun" and len(entries[1]["document_sha256"]) == 64
    assert entries[0]["secrecy"] is None and entries[0]["document_sha256"] is None
    dated = await stack.http.get(
        "/api/v1/register",
        params={"from": "2021-01-01", "to": "2021-12-31", "counterpart": "trelle"},
        headers=registrar,
    )
    assert {e["dnr"] for e in dated.json()["entries"]} == {"2020:7120"}
    as_csv = await stack.http.get("/api/v1/register", headers={**registrar, "Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    lines = as_csv.text.splitlines()
    assert lines[0] == HEADER and len(list(csv.reader(io.StringIO(as_csv.text)))) == 11
    refused = await stack.http.get("/api/v1/register", headers=other)
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
    backwards = await stack.http.get(
        "/api/v1/register", params={"from": "2022-01-01", "to": "2021-01-01"}, headers=registrar
    )
    assert backwards.status_code == 422
    assert error_of(backwards)["details"] == [
        {
            "field": "from",
            "message": "”Registrerad från” (1 januari 2022) ligger efter ”Registrerad till och med” (1 januari 2021);"
            " byt plats på datumen.",
        }
    ]
    unreadable = await stack.http.get("/api/v1/register", params={"to": "2021-02-30"}, headers=registrar)
    assert unreadable.status_code == 422 and error_of(unreadable)["details"][0]["field"] == "to"
    assert error_of(unreadable)["message"].startswith("”Registrerad till och med”: ”2021-02-30”")


async def test_the_archive_package_route(stack: Stack) -> None:
    auditor, registrar = await stack.token("arkivarie"), await stack.token("rut")
    answer = await stack.http.get(f"/api/v1/cases/{LUDVIKA.case_id}/archive-package", headers=auditor)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as zf:
        tops = {name.split("/")[0] for name in zf.namelist()}
        assert len(tops) == 1
        top = tops.pop()
        mets = zf.read(f"{top}/METS.xml").decode()
    assert f'OBJID="{top}"' in mets and 'PROFILE="https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"' in mets
    still_open = await stack.http.get(f"/api/v1/cases/{TRELLEBORG.case_id}/archive-package", headers=auditor)
    assert still_open.status_code == 409 and "2020:7120" in error_of(still_open)["message"]
    unknown = await stack.http.get("/api/v1/cases/no-such-case/archive-package", headers=auditor)
    assert unknown.status_code == 404
    assert (
        await stack.http.get(f"/api/v1/cases/{LUDVIKA.case_id}/archive-package", headers=registrar)
    ).status_code == 403


async def test_the_register_pages(stack: Stack) -> None:
    form = await stack.http.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    done = await stack.http.post(
        "/login", data={"username": "rut", "password": PASSWORD, "csrf_token": token.group(1)}, follow_redirects=True
    )
    assert done.status_code == 200, done.text[:500]
    page = await stack.http.get("/register", params={"dnr": "2020:7120"})
    assert page.status_code == 200 and "Diarium" in page.text and "Trelleborgs kommun" in page.text
    assert "Ludvika kommun" not in page.text and "Uppföljningsbeslut, redovisningsomgång 1" in page.text
    download = await stack.http.get("/register", params={"dnr": "2020:7120", "format": "csv"})
    assert download.text.splitlines()[0] == HEADER
    rules = await stack.http.get("/register/gallring")
    assert rules.status_code == 200 and "Gallringsregler" in rules.text
