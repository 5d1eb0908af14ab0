"""The web pages' guards and the admin and audit pages, in a real browser: forms without a CSRF
token are refused and record nothing, pages need a login, wrong passwords are told, an
administrator adds organisers and users, an auditor verifies the chain and exports a case.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from playwright.async_api import Browser, Page, expect

from admin.seeds import LUDVIKA, SeedCase, compressed
from admin.services.auth import Tokens
from domain.deadlines import business_date
from store.embedded import PostgresUrls
from tests.e2e.accessibility import check_page
from tests.e2e.api_support import PASSWORD
from tests.e2e.browser_support import PHONE, LiveApp, log_in, new_page, shot
from tests.integration.log_support import superuser


async def seeded_case(live: LiveApp, steps: int) -> tuple[str, SeedCase]:
    """A Ludvika case opened (and taken ``steps`` further) through the JSON API; its id and the seed."""
    tag = uuid.uuid4().hex[:8]
    seed = compressed(LUDVIKA, business_date(datetime.now(UTC)), case_id=tag, dnr=f"2025:{tag}")
    await live.stack.seed_people(seed)
    first = seed.steps[0]
    answer = await live.stack.http.post(
        "/api/v1/cases", json=first.payload, headers=await live.stack.token(first.username)
    )
    assert answer.status_code == 201, answer.text
    case_id = answer.json()["case_id"]
    for step in seed.steps[1 : 1 + steps]:
        answer = await live.stack.http.post(
            f"/api/v1/cases/{case_id}/commands/{step.command}",
            json=step.payload,
            headers=await live.stack.token(step.username),
        )
        assert answer.status_code == 200, answer.text
    return case_id, seed


async def test_a_form_posted_without_its_csrf_token_is_refused_and_records_nothing(
    browser: Browser, live: LiveApp
) -> None:
    case_id, seed = await seeded_case(live, steps=0)
    _, page = await new_page(browser)
    await log_in(page, live.base_url, "marta.rivelis")
    await page.goto(f"{live.base_url}/cases/{case_id}")
    before = await live.event_types(case_id)
    draft = seed.steps[1].payload
    fields = {"request_id": str(uuid.uuid4()), "response_due": draft["response_due"]}
    for i, area in enumerate(draft["areas"]):
        fields |= {
            f"areas[{i}].code": area["code"],
            f"areas[{i}].assessment": area["assessment"],
            f"areas[{i}].requirements": "\n".join(area["requirements"]),
        }
    url = f"{live.base_url}/cases/{case_id}/commands/draft-decision"
    another_sessions = Tokens("test-secret").csrf_token("a-session-of-someone-else-entirely")
    for token in (None, "", "forged", another_sessions):
        form = fields if token is None else {**fields, "csrf_token": token}
        refused = await page.request.post(url, form=form)  # the session cookie goes along; the token does not
        text = await refused.text()  # the form again, as it was typed, to check and send; no word of CSRF
        assert refused.status == 403 and "ingenting har sparats" in text and "CSRF" not in text
        assert draft["areas"][0]["assessment"] in text
    anonymous = await live.stack.http.post(url.removeprefix(live.base_url), data={**fields, "csrf_token": "x"})
    assert anonymous.status_code == 401 and "Logga in" in anonymous.text  # log in again, the text kept
    assert draft["areas"][0]["assessment"] in anonymous.text and "CSRF" not in anonymous.text
    assert await live.event_types(case_id) == before == ["CaseOpened"]
    await page.goto(url.removesuffix("/commands/draft-decision"))
    token = await page.locator("#cmd-draft-decision input[name=csrf_token]").get_attribute("value")
    accepted = await page.request.post(url, form={**fields, "csrf_token": token or ""})
    assert accepted.status == 200 and "Utkastet till beslut är sparat." in await accepted.text()
    assert await live.event_types(case_id) == ["CaseOpened", "DecisionDrafted"]
    again = await page.request.post(url, form={**fields, "csrf_token": token or ""})  # a double submit: a retry
    assert again.status == 200
    assert await live.event_types(case_id) == ["CaseOpened", "DecisionDrafted"]


async def test_logins_and_the_admin_page(browser: Browser, live: LiveApp) -> None:
    await live.stack.add_user("anna.admin", ["admin"])
    _, page = await new_page(browser)
    await page.goto(f"{live.base_url}/admin")
    assert "/login?next=%2Fadmin" in page.url
    await page.get_by_label("Användarnamn").fill("anna.admin")
    await page.get_by_label("Lösenord").fill("wrong-password-1")
    await page.get_by_role("button", name="Logga in").click()
    await expect(page.locator(".error-summary")).to_be_focused()
    await expect(page.locator(".error-summary a[href='#password']")).to_have_text("Fel användarnamn eller lösenord.")
    await expect(page.get_by_label("Användarnamn")).to_have_value("anna.admin")
    await check_page(page, "login refused")
    await log_in(page, live.base_url, "anna.admin")
    assert page.url.endswith("/admin")
    cookie = next(c for c in await page.context.cookies() if c["name"] == "inspections_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    await page.locator("#organiser--organiser_id").fill("2120001173")
    await page.locator("#organiser--name").fill("Trelleborgs kommun")
    await page.locator("#organiser--email").fill("bildningsforvaltningen")
    await page.get_by_role("button", name="Registrera huvudman").click()
    summary = page.locator(".error-summary")  # every wrong field at once, each linked to its input
    await expect(summary).to_be_focused()
    await expect(summary.locator("a[href='#organiser--organiser_id']")).to_contain_text("organisationsnummer")
    await expect(summary.locator("a[href='#organiser--email']")).to_contain_text("e-postadress")
    await expect(page.locator("#organiser--name")).to_have_value("Trelleborgs kommun")
    await check_page(page, "admin: an organiser refused, two fields", frozenset({"anna.admin"}))
    await summary.locator("a[href='#organiser--email']").click()
    await expect(page.locator("#organiser--email")).to_be_focused()
    await page.locator("#organiser--organiser_id").fill("212000-1173")
    await page.locator("#organiser--email").fill("bildningsforvaltningen@trelleborg.example")
    await page.get_by_role("button", name="Registrera huvudman").click()
    await expect(page.locator(".flash")).to_have_text("Huvudmannen är registrerad.")
    await expect(page.get_by_role("cell", name="Trelleborgs kommun")).to_be_visible()

    await page.locator("#user--username").fill("trelleborg.bildning")
    await page.locator("#user--full_name").fill("Tove Bildning")
    await page.locator("#user--password").fill("ett-langt-losenord")
    await page.get_by_label("Huvudman", exact=True).check()
    await page.get_by_role("button", name="Skapa användare").click()
    await expect(page.locator("#user--organiser_id-error")).to_contain_text("huvudman")  # beside its field
    await expect(page.locator(".error-summary a[href='#user--organiser_id']")).to_contain_text("huvudman")
    await expect(page.locator(".error-summary")).to_be_focused()
    await expect(page.locator("#user--username")).to_have_value("trelleborg.bildning")
    await expect(page.locator("#user--password")).to_have_value("")  # a password is never sent back
    await shot(page, "15-admin-error")
    await check_page(page, "admin: a user refused", frozenset({"anna.admin"}))
    await page.locator("#user--password").fill("ett-langt-losenord")
    await page.locator("#user--organiser_id").select_option("212000-1173")
    await page.get_by_role("button", name="Skapa användare").click()
    await expect(page.locator(".flash")).to_have_text("Användaren är skapad.")
    await expect(page.get_by_role("cell", name="Tove Bildning")).to_be_visible()
    await shot(page, "16-admin")
    await check_page(page, "admin: users and organisers", frozenset({"anna.admin"}))
    await page.locator("#reset-trelleborg\\.bildning--password").fill("kort")
    await page.get_by_role("button", name="Byt lösenord").last.click()
    link = page.locator(".error-summary a[href='#reset-trelleborg.bildning--password']")
    await expect(link).to_contain_text("minst 10 tecken")
    await check_page(page, "admin: a new password refused", frozenset({"anna.admin"}))
    await log_in_elsewhere_works(browser, live)
    await the_admin_form_survives_an_expired_session(page)

    await page.get_by_role("button", name="Logga ut").click()
    assert "/login" in page.url
    await page.goto(f"{live.base_url}/admin")
    assert "/login" in page.url  # the session has ended


async def the_admin_form_survives_an_expired_session(page: Page) -> None:
    """A new user's form sent after the session ended: log in again, and the form is back as typed, but for
    the password, which is never kept."""
    await page.locator("#user--username").fill("kim.inspektor")
    await page.locator("#user--full_name").fill("Kim Inspektör")
    await page.locator("#user--password").fill("ett-langt-losenord")
    await page.locator("#user--role-inspector").check()
    await page.locator("#user--role-decision_maker").check()
    await page.context.clear_cookies()
    await page.get_by_role("button", name="Skapa användare").click()
    await expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    assert "CSRF" not in await page.inner_text("body")
    assert "ett-langt-losenord" not in await page.content()
    await page.get_by_label("Användarnamn").fill("anna.admin")
    await page.get_by_label("Lösenord").fill(PASSWORD)
    await page.get_by_role("button", name="Logga in").click()
    await expect(page.locator(".notice")).to_contain_text("skriv det igen")
    await expect(page.locator("#user--username")).to_have_value("kim.inspektor")
    await expect(page.locator("#user--full_name")).to_have_value("Kim Inspektör")
    await expect(page.locator("#user--role-inspector")).to_be_checked()
    await expect(page.locator("#user--role-decision_maker")).to_be_checked()
    await expect(page.locator("#user--password")).to_have_value("")
    await check_page(page, "admin: the new user's form after logging in again", frozenset({"anna.admin"}))
    await expect(page.get_by_role("cell", name="kim.inspektor", exact=True)).to_have_count(0)  # nothing recorded


async def log_in_elsewhere_works(browser: Browser, live: LiveApp) -> None:
    """The user the admin page created can log in, and sees its organiser's (empty) case list."""
    _, page = await new_page(browser, PHONE)
    await log_in(page, live.base_url, "trelleborg.bildning", "ett-langt-losenord")
    await expect(page.get_by_text("Du har inget att göra i något ärende just nu.")).to_be_visible()
    await check_page(page, "worklist of a new organiser user, on a phone")


async def test_the_audit_page_verifies_and_exports(browser: Browser, live: LiveApp, pg_urls: PostgresUrls) -> None:
    case_id, seed = await seeded_case(live, steps=3)
    await live.stack.add_user("arkivarie", ["auditor"])
    _, page = await new_page(browser)
    await log_in(page, live.base_url, "arkivarie")
    await page.get_by_role("link", name="Loggkontroll", exact=True).click()
    await expect(page.get_by_text("Ingen kontrollpunkt är signerad ännu.")).to_be_visible()
    await page.get_by_role("button", name="Signera en kontrollpunkt nu").click()
    events = await live.event_types(case_id)
    await expect(page.locator(".flash")).to_contain_text(f"Kontrollpunkten för {len(events)} händelser är signerad")
    await expect(page.locator(".facts")).to_contain_text(str(len(events)))
    await page.get_by_role("button", name="Kontrollera hela loggen").click()
    await expect(page.locator(".report")).to_contain_text("Loggen håller")
    await expect(page.locator(".report")).to_contain_text(f"1 ärende och {len(events)} händelser")
    await shot(page, "17-audit")
    await check_page(page, "audit: checkpoint signed, log verified")
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Ladda ner händelser").click()
    download = await download_info.value
    assert download.suggested_filename == f"{seed.steps[0].payload['dnr'].replace(':', '_')}.jsonl"
    *lines, checkpoint = [json.loads(line) for line in (await download.path()).read_text().splitlines()]
    assert [line["type"] for line in lines] == events and {line["case_id"] for line in lines} == {case_id}
    assert all(line["inclusion_proof"] is not None for line in lines) and set(checkpoint) == {"checkpoint"}
    await page.goto(f"{live.base_url}/cases/{case_id}")  # the auditor reads, and has nothing to do
    await expect(page.get_by_text("Det finns inget du kan göra i ärendet just nu.")).to_be_visible()
    await expect(page.locator(".timeline > li")).to_have_count(len(events))
    await check_page(page, "a case as an auditor reads it", frozenset({"marta.rivelis", "malin.jern"}))
    await page.goto(f"{live.base_url}/")
    await expect(page.locator(".checkpoint")).to_contain_text("omfattar hela loggen")
    await check_page(page, "worklist, auditor: checkpoints")
    await page.goto(f"{live.base_url}/admin")
    await expect(page.get_by_role("heading", name="Åtkomst nekad")).to_be_visible()
    await expect(page.locator(".error-summary")).to_contain_text("Sidan kräver rollen administratör")
    await shot(page, "18-error-forbidden")
    await check_page(page, "forbidden page")

    async with superuser(pg_urls.owner_url) as su:  # past every trigger: the opening event's title rewritten
        await su.execute(
            "UPDATE events SET data = jsonb_set(data, '{title}', '\"Ändrad rubrik\"') WHERE case_id = $1 AND seq = 1",
            case_id,
        )
    await page.goto(f"{live.base_url}/audit")
    await page.get_by_role("button", name="Kontrollera hela loggen").click()
    report = page.locator(".report")
    await expect(report).to_contain_text("Loggen är inte hel")
    reasons = report.locator("td[data-label=Orsak]")
    await expect(reasons.first).to_have_text(
        "Kontrollsumman stämmer inte med händelsens sparade uppgifter: "
        "händelsen har ändrats efter att den registrerades."
    )
    await expect(report).to_contain_text("”Rubrik” är")  # the read model, by the column's Swedish name
    await expect(report.locator("[lang=en]")).to_have_count(0)
    await shot(page, "19-audit-broken")
    await check_page(page, "audit: the log is broken, every finding in Swedish", frozenset({case_id}))
