"""Issue 14, row 8: an organiser sees only what was sent to it or decided; staff see everything.

A case whose first draft is rejected with an internal reason, drafted again and signed: the
organiser's events API, case and case page show the signed decision with its signatory, and no
draft before signing, no rejection or its reason, no drafter's or responsible inspector's name.
"""

from __future__ import annotations

import uuid
from datetime import date

from admin.seeds import LUDVIKA, SeedCase, compressed
from domain.disclosure import INSPECTORATE
from tests.e2e.api_support import Stack
from tests.security.conftest import Site

REASON = "Internt: bedömningen av område två är för svag"
ORGANISER, DRAFTER, SIGNER = "ludvika.forvaltning", "marta.rivelis", "malin.jern"


def step(seed: SeedCase, command: str) -> dict[str, object]:
    return next(s for s in seed.steps if s.command == command).payload


async def test_the_organiser_sees_the_signed_decision_but_no_working_material(site: Site) -> None:
    stack = Stack(site.http, site.pool)
    tag = uuid.uuid4().hex[:8]
    seed = compressed(LUDVIKA, date.today(), case_id=tag, dnr=f"O:{tag}")
    await stack.seed_people(seed)
    opened = await stack.http.post("/api/v1/cases", json=step(seed, "open-case"), headers=await stack.token(DRAFTER))
    case_id = opened.json()["case_id"]
    commands = f"/api/v1/cases/{case_id}/commands"

    async def run(name: str, who: str, body: dict[str, object]) -> None:
        answer = await stack.http.post(f"{commands}/{name}", json=body, headers=await stack.token(who))
        assert answer.status_code == 200, answer.text

    async def seen_by(who: str) -> tuple[list[dict[str, object]], str]:
        answer = await stack.http.get(f"/api/v1/cases/{case_id}/events", headers=await stack.token(who))
        assert answer.status_code == 200, answer.text
        return answer.json()["events"], answer.text

    draft = step(seed, "draft-decision")
    await run("draft-decision", DRAFTER, draft)
    events, text = await seen_by(ORGANISER)
    assert [e["type"] for e in events] == ["CaseOpened"] and DRAFTER not in text  # an unsigned draft: not yet
    assert events[0]["actor"] == {"username": INSPECTORATE, "role": "inspector"}

    await run("reject-draft", SIGNER, {"request_id": f"{tag}-reject", "reason": REASON})
    await run("draft-decision", DRAFTER, {**draft, "request_id": f"{tag}-draft-2"})
    await run("sign-decision", SIGNER, step(seed, "sign-decision"))

    events, text = await seen_by(ORGANISER)
    types = [e["type"] for e in events]
    assert types[:3] == ["CaseOpened", "DecisionDrafted", "DecisionSigned"]  # the signed text, then the decision
    assert "DraftRejected" not in types and REASON not in text and DRAFTER not in text
    signed = next(e for e in events if e["type"] == "DecisionSigned")
    assert signed["actor"]["username"] == SIGNER and "drafted_by" not in signed["data"]
    staff_events, staff_text = await seen_by(SIGNER)
    assert "DraftRejected" in [e["type"] for e in staff_events] and REASON in staff_text  # staff see everything
    assert [e["type"] for e in staff_events].count("DecisionDrafted") == 2

    case = await stack.http.get(f"/api/v1/cases/{case_id}", headers=await stack.token(ORGANISER))
    assert case.json()["responsible"] is None
    staff_case = await stack.http.get(f"/api/v1/cases/{case_id}", headers=await stack.token(SIGNER))
    assert staff_case.json()["responsible"] == DRAFTER

    notices = await stack.http.get(f"/api/v1/cases/{case_id}/notices", headers=await stack.token(ORGANISER))
    assert {n["recipient"] for n in notices.json()["notices"]} <= {"organiser"}

    async with site.logged_in(ORGANISER) as browser:
        page = await browser.get(f"/cases/{case_id}")
        assert page.status_code == 200
        assert REASON not in page.text and DRAFTER not in page.text
    async with site.logged_in(SIGNER) as browser:
        page = await browser.get(f"/cases/{case_id}")
        assert DRAFTER in page.text  # staff see who did the work
