"""Issue 7's scenario in a real browser: an inspector opens a case through the form and drafts the
decision, another person signs it, the organiser drafts, approves and submits its account, and
the inspector sees the account arrive in the timeline. Every stage is checked with axe-core (WCAG
2.1 A/AA) and for English on the page, and its screenshot saved to test-artifacts/screenshots/.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from playwright.async_api import Browser, Page, expect

from admin.seeds import ANALYS, KOMPENSATORISKT, LUDVIKA
from domain.deadlines import business_date
from tests.e2e.accessibility import check_page
from tests.e2e.browser_support import PHONE, LiveApp, case_id_of, log_in, new_page, shot


async def submit(page: Page, command: str) -> None:
    """Press the submit button of the command's form and wait for the answer page."""
    await page.locator(f"#cmd-{command} button[type=submit]").click()
    await page.wait_for_load_state()


async def open_case_through_the_form(page: Page, dnr: str) -> str:
    await page.get_by_role("link", name="Nytt ärende").first.click()
    await expect(page.get_by_role("heading", name="Öppna ett nytt ärende")).to_be_visible()
    await expect(page.locator("fieldset.new-area")).to_have_count(5)
    await page.get_by_role("button", name="Lägg till område").click()  # the small script adds a sixth row
    await expect(page.locator("fieldset.new-area")).to_have_count(6)
    await page.get_by_label("Diarienummer (Dnr)").fill(dnr)
    await page.get_by_label("Huvudman").select_option(LUDVIKA.organiser_id)
    await page.get_by_label("Granskningens rubrik").fill("Kvalitetsgranskning av Ludvika kommun, vårterminen 2025")
    for row, area in enumerate((ANALYS, KOMPENSATORISKT)):
        for name in ("code", "title", "legal_basis"):
            await page.locator(f"#case--areas-{row}-{name}").fill(area[name])
    await shot(page, "03-new-case-form")
    await check_page(page, "new case form, filled in")
    await page.get_by_role("button", name="Öppna ärendet").click()
    await expect(page.locator(".flash")).to_have_text("Ärendet är öppnat.")
    return case_id_of(page.url)


async def test_a_case_from_opening_to_the_submitted_account(browser: Browser, live: LiveApp) -> None:
    await live.stack.seed_people(LUDVIKA)
    base, today = live.base_url, business_date(datetime.now(UTC))
    _, inspector = await new_page(browser)
    await inspector.goto(f"{base}/")
    assert "/login" in inspector.url  # pages need a login
    await shot(inspector, "01-login")
    await check_page(inspector, "login")
    await log_in(inspector, base, "marta.rivelis")
    await expect(inspector.get_by_role("heading", name="Att göra nu")).to_be_visible()
    await expect(inspector.get_by_text("Du har inget att göra i något ärende just nu.")).to_be_visible()
    await shot(inspector, "02-worklist-empty")
    await check_page(inspector, "worklist, empty")
    case_id = await open_case_through_the_form(inspector, f"2025:{uuid.uuid4().hex[:6]}")
    await expect(inspector.locator(".facts")).to_contain_text("Under granskning")
    await expect(inspector.locator(".facts")).to_contain_text("Handläggare")
    await shot(inspector, "04-case-under-review")
    await check_page(inspector, "case under review, inspector", frozenset({"marta.rivelis"}))

    # the decision: a requirement without a due date is refused beside the due date, the input kept
    form = inspector.locator("#cmd-draft-decision")
    await form.locator("#draft-decision--areas-0-assessment").fill("Relevanta analyser i flera delar.")
    await form.locator("#draft-decision--areas-0-requirements").fill("Huvudmannen behöver fördjupa analyserna.")
    await form.locator("#draft-decision--areas-1-assessment").fill("Låg utsträckning av kompensatoriska åtgärder.")
    await form.locator("#draft-decision--areas-1-requirements").fill("Huvudmannen behöver genomföra åtgärder.")
    await submit(inspector, "draft-decision")
    due_field = inspector.locator("#cmd-draft-decision .field.has-error")
    await expect(due_field).to_have_count(1)
    await expect(due_field.locator("label")).to_have_text(
        "Redovisning senast (krävs om något område har utvecklingsbehov)"
    )
    await expect(due_field.locator(".error")).to_contain_text("behövs när något område har utvecklingsbehov")
    await expect(inspector.locator("#draft-decision--response_due")).to_have_attribute("aria-invalid", "true")
    summary = inspector.locator(".error-summary")  # at the top, focused, linking to the field
    await expect(summary).to_be_focused()
    await summary.get_by_role("link").click()
    await expect(inspector.locator("#draft-decision--response_due")).to_be_focused()
    await expect(inspector.locator("#draft-decision--areas-1-assessment")).to_have_value(
        "Låg utsträckning av kompensatoriska åtgärder."
    )
    assert await live.event_types(case_id) == ["CaseOpened"]
    await shot(inspector, "05-case-validation-error")
    await check_page(inspector, "decision draft refused, every reason shown", frozenset({"marta.rivelis"}))
    await inspector.locator("#draft-decision--response_due").fill((today + timedelta(days=190)).isoformat())
    await submit(inspector, "draft-decision")
    await expect(inspector.locator(".flash")).to_have_text("Utkastet till beslut är sparat.")
    await expect(inspector.locator(".facts")).to_contain_text("Beslut väntar på signering")
    await expect(inspector.locator("#cmd-sign-decision")).to_have_count(0)  # the drafter may not sign
    await shot(inspector, "06-case-decision-drafted")
    await check_page(inspector, "decision drafted, drafter", frozenset({"marta.rivelis"}))

    # another person signs: the login form sends the decision maker on to the case page
    _, decider = await new_page(browser)
    await decider.goto(f"{base}/cases/{case_id}")
    await log_in(decider, base, "malin.jern")
    assert decider.url.endswith(f"/cases/{case_id}")
    await expect(decider.locator("#cmd-sign-decision")).to_be_visible()
    await expect(decider.locator(".pending-draft")).to_contain_text("Huvudmannen behöver fördjupa analyserna.")
    await expect(decider.locator("#sign-decision--decided_on")).to_have_value(today.isoformat())
    await shot(decider, "07-case-sign-form")
    await check_page(decider, "decision to sign", frozenset({"marta.rivelis", "malin.jern"}))
    await submit(decider, "sign-decision")
    await expect(decider.locator(".flash")).to_have_text("Beslutet är signerat.")
    await expect(decider.locator(".facts")).to_contain_text("Väntar på redovisning")
    await shot(decider, "08-case-decision-signed")
    await check_page(decider, "decision signed", frozenset({"marta.rivelis", "malin.jern"}))

    # the organiser drafts, records the board's approval and submits
    _, organiser = await new_page(browser)
    await log_in(organiser, base, "ludvika.forvaltning")
    await expect(organiser.locator("table.worklist tbody tr")).to_have_count(1)
    await expect(organiser.locator("table.worklist tbody tr")).to_contain_text(
        (today + timedelta(days=190)).isoformat()
    )  # the due date, as ÅÅÅÅ-MM-DD
    await shot(organiser, "09-worklist-organiser")
    await check_page(organiser, "worklist, organiser")
    await organiser.get_by_role("link", name="Utkast till redovisning").click()
    await expect(organiser.locator(".next-step li[aria-current=step]")).to_have_text("Utkast till redovisning")
    await expect(organiser.locator("#cmd-draft-response .requirements").first).to_contain_text(
        "Huvudmannen behöver fördjupa analyserna."
    )  # what the account must answer
    for row in (0, 1):
        await organiser.locator(f"#draft-response--areas-{row}-measures").fill(f"Åtgärder för område {row + 1}.")
        await organiser.locator(f"#draft-response--areas-{row}-evaluation").fill("Följs upp i kvalitetsrapporten.")
    await shot(organiser, "10-case-response-form")
    await check_page(organiser, "account to draft, organiser", frozenset({"malin.jern"}))
    await submit(organiser, "draft-response")
    await expect(organiser.locator(".flash")).to_have_text("Utkastet till redovisning är sparat.")
    await expect(organiser.locator("#draft-response--areas-1-measures")).to_have_value("Åtgärder för område 2.")
    await organiser.locator("#approve-response--body").fill("Barn- och utbildningsnämnden")
    await organiser.locator("#approve-response--paragraph").fill("§ 87")
    await submit(organiser, "approve-response")
    await expect(organiser.locator(".flash")).to_have_text("Godkännandet av redovisningen är registrerat.")
    await expect(organiser.locator("#approve-response--paragraph")).to_have_value("§ 87")  # the approval stands
    await shot(organiser, "11-case-response-approved")
    await check_page(organiser, "account approved, organiser", frozenset({"malin.jern"}))
    await submit(organiser, "submit-response")
    await expect(organiser.locator(".flash")).to_have_text("Redovisningen är inskickad.")
    await expect(organiser.locator(".facts")).to_contain_text("Redovisning inkommen")
    await expect(organiser.locator(".next-step")).to_contain_text("Ni behöver inte göra något nu.")
    await check_page(organiser, "account submitted: what happens now", frozenset({"malin.jern"}))

    # the inspector sees the account arrive
    await inspector.goto(f"{base}/cases/{case_id}")
    submitted = inspector.locator(".timeline li[data-type=ResponseSubmitted]")
    await expect(submitted).to_contain_text("Redovisning inskickad")
    await expect(submitted).to_contain_text("ludvika.forvaltning, huvudman")
    await expect(inspector.locator("#cmd-draft-follow-up")).to_be_visible()
    await expect(inspector.locator("#cmd-draft-follow-up")).to_contain_text("Åtgärder för område 2.")
    await shot(inspector, "12-case-response-received")
    people = frozenset({"marta.rivelis", "malin.jern", "ludvika.forvaltning"})
    await check_page(inspector, "account received, inspector", people)
    await inspector.goto(f"{base}/")
    await expect(inspector.locator("table.worklist")).to_contain_text("Utkast till uppföljningsbeslut")
    await check_page(inspector, "worklist, inspector: the account to follow up")
    assert await live.event_types(case_id) == [
        "CaseOpened",
        "DecisionDrafted",
        "DecisionSigned",
        "RoundStarted",
        "ResponseDrafted",
        "ResponseApproved",
        "ResponseSubmitted",
    ]

    _, phone = await new_page(browser, PHONE)
    await phone.goto(f"{base}/cases/{case_id}")
    await log_in(phone, base, "marta.rivelis")
    for part, selector in (
        ("a-top", "body"),
        ("b-forms", "#todo-h"),
        ("c-timeline", "#events-h"),
        ("d-notices", "#notices-h"),
    ):
        await shot(phone, f"13{part}-phone-case", at=selector)
    await phone.goto(f"{base}/cases")
    await shot(phone, "14-phone-case-list")
    await check_page(phone, "case list on a phone")
