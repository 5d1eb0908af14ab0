"""Finding and doing work in a real browser, bad paths included: every refusal in Swedish with every
reason at once, a stale form, a drafter who also signs (no sign form, the reason, "Dra tillbaka"),
an expired session that resumes the typed form, a new handläggare, search, "Mina ärenden" and
pages. Each state is checked by axe-core and for English (``tests.e2e.accessibility``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from playwright.async_api import Browser, Page, expect

from admin.seeds import ANALYS, LUDVIKA
from domain.deadlines import business_date
from tests.e2e.accessibility import check_page
from tests.e2e.browser_support import LiveApp, log_in, new_page, shot
from tests.e2e.test_web_pages import seeded_case

PEOPLE = frozenset({"marta.rivelis", "malin.jern", "ludvika.forvaltning", "kim.bada", "anna.handlaggare"})


async def submit(page: Page, command: str) -> None:
    await page.locator(f"#cmd-{command} button[type=submit]").click()
    await page.wait_for_load_state()


async def test_bad_paths_are_told_in_swedish_with_every_reason_at_once(browser: Browser, live: LiveApp) -> None:
    case_id, seed = await seeded_case(live, steps=0)
    today = business_date(datetime.now(UTC))
    _, page = await new_page(browser)
    await log_in(page, live.base_url, "marta.rivelis")

    # the new-case form: a bad area code and a Dnr that is taken, told together at the top and beside each
    await page.goto(f"{live.base_url}/cases/new")
    await page.get_by_label("Diarienummer (Dnr)").fill(seed.steps[0].payload["dnr"])
    await page.get_by_label("Huvudman").select_option(LUDVIKA.organiser_id)
    await page.get_by_label("Granskningens rubrik").fill("En andra granskning")
    await page.locator("#case--areas-0-code").fill("Analys")
    await page.locator("#case--areas-0-title").fill(ANALYS["title"])
    await page.get_by_role("button", name="Öppna ärendet").click()
    await expect(page.locator(".error-summary")).to_contain_text("Koden ”Analys” går inte att använda")
    await expect(page.locator(".error-summary")).to_contain_text("”Författningsstöd (område 1)” måste fyllas i.")
    await expect(page.locator("#case--areas-0-code-error")).to_contain_text("små bokstäver")
    await expect(page.locator("#case--title")).to_have_value("En andra granskning")
    await check_page(page, "new case: every wrong field at once", PEOPLE)
    await page.locator("#case--areas-0-code").fill("analys")
    await page.locator("#case--areas-0-legal_basis").fill(ANALYS["legal_basis"])
    await page.get_by_role("button", name="Öppna ärendet").click()
    await expect(page.locator(".error-summary")).to_contain_text("Det finns redan ett ärende med Dnr")
    await check_page(page, "new case: the Dnr is taken", PEOPLE)

    # a due date before the case was opened, and an empty assessment, on the decision's form
    await page.goto(f"{live.base_url}/cases/{case_id}")
    form = page.locator("#cmd-draft-decision")
    await form.locator("#draft-decision--areas-0-requirements").fill("Huvudmannen behöver fördjupa analyserna.")
    await form.locator("#draft-decision--response_due").fill((today - timedelta(days=1)).isoformat())
    await submit(page, "draft-decision")
    summary = page.locator(".error-summary")
    await expect(summary).to_be_focused()
    await expect(summary.get_by_role("link")).to_have_count(3)  # two assessments and the due date
    await expect(summary).to_contain_text("måste ligga efter dagen ärendet öppnades")
    await expect(page.locator("#draft-decision--areas-0-requirements")).to_have_value(
        "Huvudmannen behöver fördjupa analyserna."
    )
    await shot(page, "19-every-reason-at-once")
    await check_page(page, "decision draft: a due date before the opening and empty texts", PEOPLE)

    # the decision maker signs on a day still to come, then a stale tab signs again
    for step in seed.steps[1:2]:
        await live.stack.http.post(
            f"/api/v1/cases/{case_id}/commands/{step.command}",
            json=step.payload,
            headers=await live.stack.token(step.username),
        )
    _, decider = await new_page(browser)
    await decider.goto(f"{live.base_url}/cases/{case_id}")
    await log_in(decider, live.base_url, "malin.jern")
    _, stale = await new_page(browser)
    await stale.context.add_cookies(await decider.context.cookies())
    await stale.goto(f"{live.base_url}/cases/{case_id}")
    await decider.locator("#sign-decision--decided_on").fill((today + timedelta(days=1)).isoformat())
    await submit(decider, "sign-decision")
    await expect(decider.locator(".error-summary")).to_contain_text("ligger i framtiden")
    await check_page(decider, "signing: a date in the future", PEOPLE)
    await decider.locator("#sign-decision--decided_on").fill(today.isoformat())
    await submit(decider, "sign-decision")
    await expect(decider.locator(".flash")).to_have_text("Beslutet är signerat.")
    await submit(stale, "sign-decision")  # the form of a state the case has left
    await expect(stale.locator(".error-summary")).to_contain_text("går inte när ärendet har status")
    await expect(stale.locator(".error-summary")).to_contain_text("Väntar på redovisning")
    await check_page(stale, "a stale form: the case has moved on", PEOPLE)


async def test_a_drafter_who_also_signs_withdraws_and_a_new_handlaggare_takes_over(
    browser: Browser, live: LiveApp
) -> None:
    case_id, seed = await seeded_case(live, steps=0)
    await live.stack.add_user("kim.bada", ["inspector", "decision_maker"])
    await live.stack.add_user("anna.handlaggare", ["inspector"])
    draft = seed.steps[1].payload
    answer = await live.stack.http.post(
        f"/api/v1/cases/{case_id}/commands/draft-decision",
        json={**draft, "request_id": str(uuid.uuid4())},
        headers=await live.stack.token("kim.bada"),
    )
    assert answer.status_code == 200, answer.text
    _, page = await new_page(browser)
    await page.goto(f"{live.base_url}/cases/{case_id}")
    await log_in(page, live.base_url, "kim.bada")
    await expect(page.locator("#cmd-sign-decision")).to_have_count(0)
    await expect(page.locator(".held-back")).to_contain_text("skrev utkastet och får därför inte signera det")
    await expect(page.get_by_role("heading", name="Dra tillbaka utkastet")).to_be_visible()
    await shot(page, "20-own-draft")
    await check_page(page, "own draft: the reason, and Dra tillbaka", PEOPLE)
    await page.locator("#cmd-reject-draft summary").click()
    await page.locator("#reject-draft--reason").fill("Jag skriver om bedömningen.")
    await submit(page, "reject-draft")
    await expect(page.locator(".flash")).to_have_text("Utkastet är tillbakadraget.")

    await page.locator("#cmd-assign summary, #cmd-assign h3").first.click()
    await page.locator("#assign--to").select_option("anna.handlaggare")
    await submit(page, "assign")
    await expect(page.locator(".flash")).to_have_text("Ärendet har fått en ny handläggare.")
    await expect(page.locator(".facts")).to_contain_text("anna.handlaggare")
    await expect(page.locator(".timeline li[data-type=CaseAssigned]")).to_contain_text("Ny handläggare")
    await check_page(page, "a new handläggare", PEOPLE)
    _, anna = await new_page(browser)
    await log_in(anna, live.base_url, "anna.handlaggare")
    await expect(anna.locator("table.worklist")).to_contain_text(seed.steps[0].payload["dnr"])
    await check_page(anna, "worklist of the new handläggare", PEOPLE)


async def test_an_expired_session_logs_in_again_and_keeps_the_typed_form(browser: Browser, live: LiveApp) -> None:
    case_id, _ = await seeded_case(live, steps=0)
    context, page = await new_page(browser)
    await page.goto(f"{live.base_url}/cases/{case_id}")
    await log_in(page, live.base_url, "marta.rivelis")
    await page.locator("#draft-decision--areas-0-assessment").fill("Lång text\nsom inte får gå förlorad.")
    await context.clear_cookies()  # the session ends while the person types
    await submit(page, "draft-decision")
    await expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    await expect(page.locator(".notice")).to_contain_text("det du skrev finns kvar")
    assert "CSRF" not in await page.inner_text("body")
    await check_page(page, "session expired: log in again")
    await page.get_by_label("Användarnamn").fill("marta.rivelis")
    await page.get_by_label("Lösenord").fill("correct-horse-battery")
    await page.get_by_role("button", name="Logga in").click()
    await expect(page.locator(".notice")).to_contain_text("Du är inloggad igen")
    await expect(page.locator("#draft-decision--areas-0-assessment")).to_have_value(
        "Lång text\nsom inte får gå förlorad."
    )
    await check_page(page, "session resumed: the form as it was typed", PEOPLE)
    assert await live.event_types(case_id) == ["CaseOpened"]


async def test_search_my_cases_and_pages(browser: Browser, live: LiveApp) -> None:
    tag = uuid.uuid4().hex[:6]
    first_id, seed = await seeded_case(live, steps=0)
    payload = seed.steps[0].payload
    headers = await live.stack.token("marta.rivelis")
    for n in range(51):
        answer = await live.stack.http.post(
            "/api/v1/cases",
            json={**payload, "request_id": str(uuid.uuid4()), "dnr": f"P{tag}:{n:02d}", "title": f"Granskning {n}"},
            headers=headers,
        )
        assert answer.status_code == 201, answer.text
    _, page = await new_page(browser)
    await log_in(page, live.base_url, "malin.jern")
    await page.goto(f"{live.base_url}/cases")
    await page.get_by_label("Sök").fill(f"P{tag}")
    await page.get_by_role("button", name="Sök").click()
    await expect(page.locator("table.cases tbody tr")).to_have_count(50)
    await expect(page.get_by_label("Huvudman")).to_contain_text(f"Ludvika kommun ({LUDVIKA.organiser_id})")
    await check_page(page, "search: the first page", PEOPLE)
    await page.get_by_role("link", name="Nästa sida").click()
    await expect(page.locator("table.cases tbody tr")).to_have_count(1)
    await expect(page.get_by_role("link", name="Nästa sida")).to_have_count(0)
    await check_page(page, "search: the last page", PEOPLE)
    await page.get_by_label("Handläggare").select_option("me")
    await page.get_by_role("button", name="Sök").click()
    await expect(page.get_by_text("Inga ärenden matchar sökningen.")).to_be_visible()  # Malin handles none
    await check_page(page, "Mina ärenden: none", PEOPLE)
    assert first_id
