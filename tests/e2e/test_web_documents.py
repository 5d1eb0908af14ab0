"""Documents in a real browser: the organiser downloads the sealed decision from the case page and attaches
its board's minutes to the account (a file that is not a PDF is refused beside the input, nothing stored);
the registrar registers an account that came by e-mail through the form derived from register-response."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, expect
from pypdf import PdfWriter

from admin.seeds import LUDVIKA, compressed
from domain.deadlines import business_date
from tests.e2e.accessibility import check_page
from tests.e2e.browser_support import LiveApp, log_in, new_page, shot


def a_pdf(path: Path, title: str) -> Path:
    """A one-page PDF written to ``path``."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


async def decided_case(live: LiveApp) -> tuple[str, dict[str, Any]]:
    """A Ludvika case opened, drafted and signed through the API today; its id and the signing event."""
    tag = uuid.uuid4().hex[:8]
    seed = compressed(LUDVIKA, business_date(datetime.now(UTC)), case_id=tag, dnr=f"2025:W{tag}")
    await live.stack.seed_people(seed)
    first = seed.steps[0]
    opened = await live.stack.http.post(
        "/api/v1/cases", json=first.payload, headers=await live.stack.token(first.username)
    )
    case_id = opened.json()["case_id"]
    for step in seed.steps[1:3]:
        answer = await live.stack.http.post(
            f"/api/v1/cases/{case_id}/commands/{step.command}",
            json=step.payload,
            headers=await live.stack.token(step.username),
        )
        assert answer.status_code == 200, answer.text
    events = await live.stack.http.get(
        f"/api/v1/cases/{case_id}/events", headers=await live.stack.token("marta.rivelis")
    )
    signed = next(e for e in events.json()["events"] if e["type"] == "DecisionSigned")
    return case_id, signed


async def submit(page: Page, command: str) -> None:
    await page.locator(f"#cmd-{command} button[type=submit]").click()
    await page.wait_for_load_state()


async def test_the_organiser_downloads_the_decision_and_attaches_the_minutes(
    browser: Browser, live: LiveApp, tmp_path: Path
) -> None:
    case_id, signed = await decided_case(live)
    _, page = await new_page(browser)
    await log_in(page, live.base_url, "ludvika.forvaltning")
    await page.goto(f"{live.base_url}/cases/{case_id}")
    documents = page.locator("table.documents")
    await expect(documents).to_contain_text("Beslut")
    await expect(documents).to_contain_text("Utgående")
    async with page.expect_download() as downloading:
        await documents.get_by_role("link").first.click()
    download = await downloading.value
    content = Path(await download.path()).read_bytes()
    assert hashlib.sha256(content).hexdigest() == signed["data"]["document_sha256"] and content.startswith(b"%PDF")
    assert download.suggested_filename.startswith("Beslut ") and download.suggested_filename.endswith(".pdf")

    # a file that is not a PDF: refused beside the input, in Swedish, and nothing stored
    for row in (0, 1):
        await page.locator(f"#draft-response--areas-{row}-measures").fill(f"Åtgärder för område {row + 1}.")
        await page.locator(f"#draft-response--areas-{row}-evaluation").fill("Följs upp i kvalitetsrapporten.")
    not_pdf = tmp_path / "protokoll.pdf"
    not_pdf.write_text("Det här är ett Word-dokument som fått fel namn.")
    await page.locator("#draft-response--attachments").set_input_files(str(not_pdf))
    await submit(page, "draft-response")
    refused = page.locator("#cmd-draft-response .field.has-error")
    await expect(refused.locator(".error")).to_contain_text("”protokoll.pdf” är inte en PDF-fil")
    assert await live.pool.fetchval("SELECT count(*) FROM documents WHERE case_id = $1", case_id) == 1

    # the board's minutes as a PDF: stored, named by the account's draft, listed on the page
    minutes = a_pdf(tmp_path / "Protokollsutdrag § 87.pdf", "Protokollsutdrag")
    for row in (0, 1):
        await page.locator(f"#draft-response--areas-{row}-measures").fill(f"Åtgärder för område {row + 1}.")
        await page.locator(f"#draft-response--areas-{row}-evaluation").fill("Följs upp i kvalitetsrapporten.")
    await page.locator("#draft-response--attachments").set_input_files(str(minutes))
    await submit(page, "draft-response")
    await expect(page.locator(".flash")).to_have_text("Utkastet till redovisning är sparat.")
    await expect(documents).to_contain_text("Protokollsutdrag § 87.pdf")
    await expect(documents).to_contain_text("Inkommen")
    await shot(page, "20-case-documents-organiser")
    await check_page(page, "case documents, organiser", frozenset({"malin.jern"}))
    sha256 = hashlib.sha256(minutes.read_bytes()).hexdigest()
    events = await live.stack.http.get(
        f"/api/v1/cases/{case_id}/events", headers=await live.stack.token("marta.rivelis")
    )
    drafted = next(e for e in events.json()["events"] if e["type"] == "ResponseDrafted")
    assert drafted["data"]["attachments"] == [sha256]
    # the next draft offers the file already in the case, to tick instead of uploading it again
    await expect(page.locator("#cmd-draft-response fieldset.attachable")).to_contain_text("Protokollsutdrag § 87.pdf")


async def test_the_registrar_registers_an_account_that_came_by_e_mail(
    browser: Browser, live: LiveApp, tmp_path: Path
) -> None:
    case_id, _ = await decided_case(live)
    await live.stack.add_user("rut.registrator", ["registrar"])
    _, page = await new_page(browser)
    await log_in(page, live.base_url, "rut.registrator")
    await page.goto(f"{live.base_url}/cases/{case_id}")
    form = page.locator("#cmd-register-response")
    await expect(form.get_by_role("heading", name="Registrera inkommen redovisning")).to_be_visible()
    today = business_date(datetime.now(UTC)).isoformat()
    await page.locator("#register-response--sent_on").fill(today)
    await page.locator("#register-response--sender").fill("Ludvika kommun, barn- och utbildningsförvaltningen")
    account = a_pdf(tmp_path / "Redovisning Ludvika.pdf", "Redovisning")
    await page.locator("#register-response--attachments").set_input_files(str(account))
    await check_page(page, "register an incoming account, registrar")
    await submit(page, "register-response")
    await expect(page.locator(".flash")).to_have_text("Redovisningen är registrerad.")
    await expect(page.locator(".facts")).to_contain_text("Redovisning inkommen")
    await expect(page.locator("table.documents")).to_contain_text("Redovisning Ludvika.pdf")
    await shot(page, "21-account-registered")
    assert (await live.event_types(case_id))[-1] == "ResponseRegistered"
