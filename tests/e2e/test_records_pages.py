"""The register (diarium) and the disposal (gallring) page in a real browser, with both seed cases and their
documents behind them, each state checked by axe-core (WCAG 2.1 A/AA) and for English on the page: the
register as the registrar first sees it, searched, with a date it cannot read, with nothing found, on a
phone; the disposal rules with what they would dispose of today (the dry run); then, after the disposal
is recorded and an entry is marked secret, both pages again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from playwright.async_api import Browser, Page, expect
from temporalio.testing import WorkflowEnvironment

from admin.seeds import LUDVIKA, TRELLEBORG
from admin.services.records import RecordsService
from domain import events as ev
from domain.actors import ActorRef, Role
from domain.disposal import parse_rules
from store.embedded import PostgresUrls
from store.events import EventStore
from store.records import RecordEvents
from tests.e2e.accessibility import CHECKED, check_page
from tests.e2e.browser_support import PHONE, LiveApp, live_app, log_in, new_page, shot
from tests.integration.records_support import with_documents
from tests.integration.store_support import append_all

RULES = parse_rules("attachment=0d")
PEOPLE = frozenset({"malin.jern", "marta.rivelis", "ludvika.forvaltning", "trelleborg.bildning", "rut"})
"""Usernames the register shows in its "Registrerad av" column: data, not language."""
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
"""The page needs no scrolling sideways (WCAG 1.4.10, reflow)."""


@pytest.fixture
async def records_live(dev_server_env: WorkflowEnvironment, pg_urls: PostgresUrls) -> AsyncIterator[LiveApp]:
    """The app, configured with a disposal rule, over both seed cases with their documents and a registrar."""
    async with live_app(dev_server_env, pg_urls, disposal_rules=RULES) as app:
        store = EventStore(app.pool)
        for seed in (LUDVIKA, TRELLEBORG):
            await app.stack.seed_people(seed)
            await append_all(store, seed.case_id, await with_documents(store, seed))
        await app.stack.add_user("rut", ["registrar"])
        yield app


async def _search(page: Page, **fields: str) -> None:
    for name, value in fields.items():
        await page.locator(f"#register--{name}").fill(value)
    await page.get_by_role("button", name="Sök").click()
    await page.wait_for_load_state()


async def test_the_register_and_disposal_pages_with_their_data(browser: Browser, records_live: LiveApp) -> None:
    live, before = records_live, len(CHECKED)
    _, page = await new_page(browser)
    await log_in(page, live.base_url, "rut")
    await page.goto(f"{live.base_url}/register")
    table = page.locator("table.responsive")
    await expect(table.locator("caption")).to_have_text("10 poster")
    await expect(table).to_contain_text("Uppföljningsbeslut, redovisningsomgång 1")
    await shot(page, "30-register")
    await check_page(page, "register, everything", PEOPLE)
    assert await page.evaluate(FITS), "the register is wider than a laptop's window"

    await _search(page, dnr="2020:7120", counterpart="trelle")
    await expect(table.locator("caption")).to_have_text("5 poster")
    await expect(table).not_to_contain_text("Ludvika kommun")
    await check_page(page, "register, searched by Dnr and counterpart", PEOPLE)

    await _search(page, **{"from": "2025-13-45"})  # typed as on every form: ÅÅÅÅ-MM-DD, no browser date picker
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Rätta sökningen")
    await expect(summary).to_be_focused()  # the shared summary, moved to when the page loads (summary.js)
    link = summary.get_by_role("link", name="”Registrerad från”: ”2025-13-45” går inte att läsa som ett datum.")
    await expect(link).to_have_attribute("href", "#register--from")
    await expect(page.locator("#register--from")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#register--from")).to_have_value("2025-13-45")  # what was typed is kept
    await expect(page.locator("#register--from-error")).to_contain_text("Skriv det som ÅÅÅÅ-MM-DD")
    await expect(table.locator("caption")).to_have_text("5 poster")  # searched without it: the other filters hold
    await check_page(page, "register, a date it cannot read", PEOPLE)
    await page.goto(f"{live.base_url}/register?from=2026-01-02&to=2025-01-01")
    await expect(page.get_by_role("alert").get_by_role("link")).to_have_text(
        "”Registrerad från” (2 januari 2026) ligger efter ”Registrerad till och med” (1 januari 2025); byt plats på "
        "datumen."
    )

    await _search(page, **{"from": "2030-01-01"})
    await expect(page.locator("p.empty")).to_have_text("Inga poster i diariet matchar sökningen.")
    await check_page(page, "register, nothing found")

    await page.get_by_role("link", name="Gallringsregler").click()
    await page.wait_for_load_state()
    due = page.locator("section[aria-labelledby=due-h] table")
    await expect(page.locator("section[aria-labelledby=rules-h]")).to_contain_text("attachment=0d")
    await expect(due).to_contain_text("2025:1234")  # the dry run: Ludvika's attachment (its case has ended)
    await expect(due).not_to_contain_text("2020:7120")
    await shot(page, "31-disposal-dry-run")
    await check_page(page, "disposal rules and their dry run")

    # the disposal recorded and an entry marked secret: the register shows both, nothing is left to dispose of
    auditor = ActorRef(username="arkivarie", role=Role.AUDITOR)
    assert (await RecordsService(live.pool, RULES).dispose(auditor, date.today(), dry_run=False)).events == 1
    await _mark_secret(live, LUDVIKA.case_id, entry=3)
    await page.reload()
    await expect(page.locator("section[aria-labelledby=due-h] p.empty")).to_have_text("Ingenting skulle gallras i dag.")
    await check_page(page, "disposal rules, nothing left to dispose of")
    await page.goto(f"{live.base_url}/register?dnr=2025:1234")
    await expect(table).to_contain_text("Gallrad")
    await expect(table).to_contain_text("21 kap. 1 § OSL")
    await check_page(page, "register, an entry disposed of and one marked secret", PEOPLE)

    phone, small = await new_page(browser, PHONE)
    await log_in(small, live.base_url, "rut")
    await small.goto(f"{live.base_url}/register?dnr=2025:1234")
    await shot(small, "32-register-phone", at="table.responsive")
    await check_page(small, "register on a phone", PEOPLE)
    assert await small.evaluate(FITS), "the register is wider than a phone's screen"
    await small.goto(f"{live.base_url}/register/gallring")
    await shot(small, "33-disposal-phone")
    await check_page(small, "disposal rules on a phone")
    await phone.close()
    assert len(CHECKED) - before == 9


async def _mark_secret(live: LiveApp, case_id: str, entry: int) -> None:
    store = EventStore(live.pool)
    marked = ev.SecrecyMarked(
        event_id=str(uuid.uuid4()),
        case_id=case_id,
        occurred_on=date.today(),
        actor=ActorRef(username="rut", role=Role.REGISTRAR),
        entry=entry,
        lagrum="21 kap. 1 § OSL",
        marked_on=date.today(),
    )
    last = await store.last_seq(case_id)
    await store.append(RecordEvents(case_id=case_id, expected_seq=last, events=[marked]))
