"""Documents through the JSON API: uploads checked by content (every bad one refused, nothing stored), the
account's attachments, an account registered by the registrar, the sealed decisions, and who sees what."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import date
from typing import Any

import httpx
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase, compressed
from tests.e2e.api_support import Stack, error_of


def pdf(text: str = "", change: Any = None) -> bytes:
    """A one-page PDF (``text`` in its metadata makes each one different)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text or uuid.uuid4().hex})
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_javascript(writer: PdfWriter) -> None:
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")})
    writer._root_object[NameObject("/OpenAction")] = action


BAD_UPLOADS: dict[str, tuple[bytes, int, str]] = {
    "not a pdf": (b"Hej, detta \xe4r ingen PDF.\n" * 20, 415, "unsupported_media_type"),
    "a pdf header and nothing else": (b"%PDF-1.7\n%%EOF\n", 415, "unsupported_media_type"),
    "encrypted": (
        pdf(change=lambda w: w.encrypt(user_password="hemligt", algorithm="AES-256")),
        422,
        "validation_error",
    ),
    "javascript": (pdf(change=with_javascript), 422, "validation_error"),
    "over 20 MB": (b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024), 413, "payload_too_large"),
}


async def open_ludvika(stack: Stack, steps: int) -> tuple[str, SeedCase]:
    """A fresh Ludvika case through the API, its first ``steps`` seed steps issued (all on today's date)."""
    tag = uuid.uuid4().hex[:8]
    seed = compressed(LUDVIKA, date.today(), case_id=tag, dnr=f"2025:D{tag}")
    await stack.seed_people(seed)
    first = seed.steps[0]
    opened = await stack.http.post("/api/v1/cases", json=first.payload, headers=await stack.token(first.username))
    case_id = opened.json()["case_id"]
    for step in seed.steps[1:steps]:
        answer = await command(stack, case_id, step.username, step.command, step.payload)
        assert answer.status_code == 200, answer.text
    return case_id, seed


async def command(stack: Stack, case_id: str, user: str, name: str, body: dict[str, Any]) -> httpx.Response:
    return await stack.http.post(f"/api/v1/cases/{case_id}/commands/{name}", json=body, headers=await stack.token(user))


async def upload(stack: Stack, case_id: str, user: str, content: bytes, name: str = "bilaga.pdf") -> httpx.Response:
    files = {"file": (name, content, "application/pdf")}
    return await stack.http.post(f"/api/v1/cases/{case_id}/documents", files=files, headers=await stack.token(user))


async def listed(stack: Stack, case_id: str, user: str) -> list[dict[str, Any]]:
    answer = await stack.http.get(f"/api/v1/cases/{case_id}/documents", headers=await stack.token(user))
    assert answer.status_code == 200, answer.text
    return answer.json()["documents"]


async def test_every_bad_upload_is_refused_in_swedish_and_nothing_is_stored(stack: Stack) -> None:
    case_id, _ = await open_ludvika(stack, 3)
    before = await stack.pool.fetchval("SELECT count(*) FROM document_contents")
    for what, (content, status, code) in BAD_UPLOADS.items():
        answer = await upload(stack, case_id, "ludvika.forvaltning", content, "protokoll.pdf")
        error = error_of(answer)
        assert (answer.status_code, error["code"]) == (status, code), (what, answer.text)
        assert error["details"][0]["field"] == "file", what
        assert "PDF" in error["message"] or "20 MB" in error["message"], (what, error["message"])  # Swedish
    english = await stack.http.post(
        f"/api/v1/cases/{case_id}/documents",
        files={"file": ("x.pdf", b"not a pdf", "application/pdf")},
        headers={**await stack.token("ludvika.forvaltning"), "Accept-Language": "en"},
    )
    assert "not a PDF" in error_of(english)["message"]
    no_file = await stack.http.post(
        f"/api/v1/cases/{case_id}/documents", data={"other": "x"}, headers=await stack.token("ludvika.forvaltning")
    )
    assert (no_file.status_code, error_of(no_file)["details"][0]["field"]) == (422, "file")
    assert await stack.pool.fetchval("SELECT count(*) FROM document_contents") == before
    assert [d["kind"] for d in await listed(stack, case_id, "marta.rivelis")] == ["decision"]  # the signed one only


async def test_an_account_with_attachments_and_who_may_see_them(stack: Stack) -> None:
    case_id, seed = await open_ludvika(stack, 3)  # the decision is signed: its sealed PDF is the first document
    minutes = pdf("Protokollsutdrag § 87")
    answer = await upload(
        stack, case_id, "ludvika.forvaltning", minutes, "Protokollsutdrag § 87 – Bildningsnämnden.pdf"
    )
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    assert stored == {
        "sha256": hashlib.sha256(minutes).hexdigest(),
        "filename": "Protokollsutdrag § 87 – Bildningsnämnden.pdf",
        "media_type": "application/pdf",
        "size": len(minutes),
    }
    again = await upload(stack, case_id, "ludvika.forvaltning", minutes, "annat namn.pdf")
    assert again.json()["sha256"] == stored["sha256"]  # the same file again: the same document
    # another organiser may neither add to nor read the case
    await stack.seed_people(TRELLEBORG)
    assert (await upload(stack, case_id, "trelleborg.bildning", pdf())).status_code == 403
    other = await stack.http.get(f"/api/v1/cases/{case_id}/documents", headers=await stack.token("trelleborg.bildning"))
    assert other.status_code == 403
    # the account names its attachment; an unknown one is refused, naming it
    draft = next(s for s in seed.steps if s.command == "draft-response").payload
    unknown = await command(
        stack, case_id, "ludvika.forvaltning", "draft-response", {**draft, "attachments": ["f" * 64]}
    )
    assert (unknown.status_code, error_of(unknown)["details"][0]["field"]) == (422, "attachments[0]")
    body = {**draft, "request_id": f"{case_id}-draft", "attachments": [stored["sha256"]]}
    assert (await command(stack, case_id, "ludvika.forvaltning", "draft-response", body)).status_code == 200
    approval = next(s for s in seed.steps if s.command == "approve-response").payload
    assert (await command(stack, case_id, "ludvika.forvaltning", "approve-response", approval)).status_code == 200
    submit = next(s for s in seed.steps if s.command == "submit-response").payload
    assert (await command(stack, case_id, "ludvika.forvaltning", "submit-response", submit)).status_code == 200
    events = (
        await stack.http.get(f"/api/v1/cases/{case_id}/events", headers=await stack.token("marta.rivelis"))
    ).json()
    submitted = next(e for e in events["events"] if e["type"] == "ResponseSubmitted")
    assert submitted["data"]["attachments"] == [stored["sha256"]]
    signed = next(e for e in events["events"] if e["type"] == "DecisionSigned")
    documents = await listed(stack, case_id, "ludvika.forvaltning")
    assert [(d["kind"], d["direction"]) for d in documents] == [("decision", "outgoing"), ("attachment", "incoming")]
    assert documents[0]["sha256"] == signed["data"]["document_sha256"] and documents[0]["seq"] == signed["seq"]
    assert documents[1]["seq"] == next(e["seq"] for e in events["events"] if e["type"] == "ResponseDrafted")
    # the download: the bytes, named by RFC 6266/5987 for a name that is not ASCII
    got = await stack.http.get(
        f"/api/v1/cases/{case_id}/documents/{stored['sha256']}", headers=await stack.token("ludvika.forvaltning")
    )
    assert got.status_code == 200 and got.content == minutes and got.headers["content-type"] == "application/pdf"
    disposition = got.headers["content-disposition"]
    assert (
        disposition.startswith("attachment; filename=")
        and "filename*=UTF-8''Protokollsutdrag%20%C2%A7%2087" in disposition
    )
    decision = await stack.http.get(
        f"/api/v1/cases/{case_id}/documents/{signed['data']['document_sha256']}",
        headers=await stack.token("ludvika.forvaltning"),
    )
    assert decision.status_code == 200 and decision.content.startswith(b"%PDF")
    assert hashlib.sha256(decision.content).hexdigest() == signed["data"]["document_sha256"]


async def test_staff_register_an_account_that_came_by_e_mail(stack: Stack) -> None:
    case_id, _ = await open_ludvika(stack, 3)
    await stack.add_user("rut.registrator", ["registrar"])
    await stack.add_user("ada.admin", ["admin"])
    account = pdf("Redovisning från Ludvika")
    stored = (await upload(stack, case_id, "rut.registrator", account, "Redovisning.pdf")).json()
    internal = await listed(stack, case_id, "marta.rivelis")
    assert [(d["kind"], d["direction"]) for d in internal][-1] == ("attachment", "internal")
    assert stored["sha256"] not in {d["sha256"] for d in await listed(stack, case_id, "ludvika.forvaltning")}
    today = date.today().isoformat()
    body = {
        "request_id": f"{case_id}-register",
        "sent_on": today,
        "received_on": today,
        "sender": "Ludvika kommun, barn- och utbildningsförvaltningen",
        "attachments": [stored["sha256"]],
    }
    answer = await command(stack, case_id, "rut.registrator", "register-response", body)
    assert (answer.status_code, answer.json()["state"]) == (200, "response_received"), answer.text
    # the account registered is the organiser's own: incoming, and the organiser may see it now
    seen = {d["sha256"]: d for d in await listed(stack, case_id, "ludvika.forvaltning")}
    assert seen[stored["sha256"]]["direction"] == "incoming"
    notices = (
        await stack.http.get(f"/api/v1/cases/{case_id}/notices", headers=await stack.token("marta.rivelis"))
    ).json()
    receipt = next(n for n in notices["notices"] if n["kind"] == "receipt")
    assert receipt["recipient"] == "organiser"
    # an administrator is not case staff: neither reads nor adds documents
    assert (await upload(stack, case_id, "ada.admin", pdf())).status_code == 403
    assert (
        await stack.http.get(f"/api/v1/cases/{case_id}/documents", headers=await stack.token("ada.admin"))
    ).status_code == 403
