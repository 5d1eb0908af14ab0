"""Finding work through the JSON API: search, filters and keyset paging that never cut anything off,
the responsible inspector and ``assign``, each role's worklist, and refusals told in Swedish by
default and in English on request (the code and fields the same)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase, compressed
from domain.deadlines import business_date
from tests.e2e.api_support import Stack, error_of
from tests.support.language import english_in


async def open_case(stack: Stack, seed: SeedCase, dnr: str, title: str, by: str = "marta.rivelis") -> str:
    """A case of ``seed``'s organiser opened through the API by ``by``; its id."""
    await stack.seed_people(seed)
    payload = {**seed.steps[0].payload, "request_id": str(uuid.uuid4()), "dnr": dnr, "title": title}
    payload["opened_on"] = business_date(datetime.now(UTC)).isoformat()
    answer = await stack.http.post("/api/v1/cases", json=payload, headers=await stack.token(by))
    assert answer.status_code == 201, answer.text
    assert answer.json()["responsible"] == by
    return str(answer.json()["case_id"])


async def command(stack: Stack, case_id: str, name: str, body: dict[str, Any], by: str, **headers: str) -> Any:
    """Issue ``name`` as ``by``; the answer."""
    return await stack.http.post(
        f"/api/v1/cases/{case_id}/commands/{name}",
        json={"request_id": str(uuid.uuid4()), **body},
        headers={**await stack.token(by), **headers},
    )


async def pages(stack: Stack, by: str, **params: Any) -> list[list[str]]:
    """The Dnr of every page of ``GET /api/v1/cases`` with ``params``, following the cursor to the end."""
    found, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        answer = await stack.http.get("/api/v1/cases", params=query, headers=await stack.token(by))
        assert answer.status_code == 200, answer.text
        found.append([c["dnr"] for c in answer.json()["cases"]])
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return found


async def test_search_filters_and_pages_that_never_cut_anything_off(stack: Stack) -> None:
    tag = uuid.uuid4().hex[:6]
    ludvika = [await open_case(stack, LUDVIKA, f"S{tag}:{n}", f"Granskning av elevhälsan {n}") for n in range(5)]
    trelleborg = await open_case(stack, TRELLEBORG, f"T{tag}:1", "Kvalitetsgranskningar av undervisningen")
    by_prefix = await pages(stack, "malin.jern", q=f"s{tag}", limit=2)
    assert [len(p) for p in by_prefix] == [2, 2, 1]
    assert sorted(d for p in by_prefix for d in p) == [f"S{tag}:{n}" for n in range(5)]
    assert await pages(stack, "malin.jern", q=f"T{tag}") == [[f"T{tag}:1"]]
    assert f"T{tag}:1" in sum(await pages(stack, "malin.jern", q="212000-117"), [])  # organisation number prefix
    assert f"T{tag}:1" in sum(await pages(stack, "malin.jern", q="undervisning"), [])  # a word, stemmed
    assert f"S{tag}:3" in sum(await pages(stack, "malin.jern", q="elevhälsan 3"), [])  # every word, as prefixes
    assert f"S{tag}:0" in sum(await pages(stack, "malin.jern", q="ludvika", limit=200), [])  # the organiser's name
    combined = sum(await pages(stack, "malin.jern", q=f"S{tag}", organiser_id=TRELLEBORG.organiser_id), [])
    assert combined == []  # filters combine
    assert len(sum(await pages(stack, "marta.rivelis", responsible="me"), [])) == 6  # each test: its own database
    assert sum(await pages(stack, "malin.jern", responsible="me"), []) == []
    headers = await stack.token("malin.jern")
    for bad, field in (({"limit": 201}, "limit"), ({"limit": 0}, "limit"), ({"cursor": "not-a-cursor"}, "cursor")):
        answer = await stack.http.get("/api/v1/cases", params=bad, headers=headers)
        assert answer.status_code == 422 and [d["field"] for d in error_of(answer)["details"]] == [field]
    assert ludvika and trelleborg


async def test_assign_makes_another_inspector_responsible_and_the_worklists_follow(stack: Stack) -> None:
    await stack.add_user("anna.handlaggare", ["inspector"])
    await stack.add_user("kim.beslut", ["decision_maker"])
    case_id = await open_case(stack, LUDVIKA, f"A{uuid.uuid4().hex[:6]}", "Granskning att fördela")

    async def worklist(by: str) -> list[tuple[str, str]]:
        answer = await stack.http.get("/api/v1/worklist", headers=await stack.token(by))
        assert answer.status_code == 200, answer.text
        return [(i["case"]["case_id"], i["action"]) for i in answer.json()["items"]]

    assert (case_id, "draft-decision") in await worklist("marta.rivelis")
    assert (case_id, "draft-decision") not in await worklist("anna.handlaggare")
    refused = await command(stack, case_id, "assign", {"to": "kim.beslut", "to_roles": ["inspector"]}, "malin.jern")
    assert refused.status_code == 422  # the service looks the roles up; a client's to_roles count for nothing
    error = error_of(refused)
    assert error["code"] == "validation_error" and [d["field"] for d in error["details"]] == ["to"]
    assert "föredragande" in error["message"] and not english_in(error["message"], frozenset({"kim.beslut"}))
    english = await command(stack, case_id, "assign", {"to": "kim.beslut"}, "malin.jern", **{"Accept-Language": "en"})
    assert error_of(english)["code"] == "validation_error" and "inspector" in error_of(english)["message"]
    assert [d["field"] for d in error_of(english)["details"]] == ["to"]
    unknown = await command(stack, case_id, "assign", {"to": "nobody.here"}, "malin.jern")
    assert unknown.status_code == 422 and error_of(unknown)["details"][0]["field"] == "to"
    assigned = await command(stack, case_id, "assign", {"to": "anna.handlaggare"}, "malin.jern")
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["responsible"] == "anna.handlaggare"
    assert (case_id, "draft-decision") in await worklist("anna.handlaggare")
    assert (case_id, "draft-decision") not in await worklist("marta.rivelis")
    events = await stack.http.get(f"/api/v1/cases/{case_id}/events", headers=await stack.token("malin.jern"))
    last = events.json()["events"][-1]
    assert (last["type"], last["data"], last["actor"]["role"]) == (
        "CaseAssigned",
        {"from": "marta.rivelis", "to": "anna.handlaggare"},
        "decision_maker",
    )
    got = await stack.http.get(f"/api/v1/cases/{case_id}", headers=await stack.token("marta.rivelis"))
    assert got.json()["responsible"] == "anna.handlaggare"
    # the optional designated signer: a decision maker, looked up like the handläggare
    refused = await command(stack, case_id, "designate-signer", {"signer": "anna.handlaggare"}, "marta.rivelis")
    assert refused.status_code == 422 and error_of(refused)["details"][0]["field"] == "signer"
    designated = await command(stack, case_id, "designate-signer", {"signer": "kim.beslut"}, "marta.rivelis")
    assert designated.status_code == 200, designated.text
    assert designated.json()["designated_signer"] == "kim.beslut"


async def test_each_role_s_worklist_and_refusals_in_both_languages(stack: Stack) -> None:
    tag = uuid.uuid4().hex[:8]
    seed = compressed(LUDVIKA, business_date(datetime.now(UTC)), case_id=tag, dnr=f"W:{tag}")
    await stack.seed_people(seed)
    first = seed.steps[0]
    opened = await stack.http.post("/api/v1/cases", json=first.payload, headers=await stack.token(first.username))
    case_id = opened.json()["case_id"]
    draft = dict(seed.steps[1].payload)
    without_due = {k: v for k, v in draft.items() if k not in ("response_due", "request_id")}
    refused = await command(stack, case_id, "draft-decision", without_due, "marta.rivelis")
    english = await command(stack, case_id, "draft-decision", without_due, "marta.rivelis", **{"Accept-Language": "en"})
    sv, en = error_of(refused), error_of(english)
    assert (
        (sv["code"], sv["details"][0]["field"])
        == (en["code"], en["details"][0]["field"])
        == (
            "validation_error",
            "response_due",
        )
    )
    assert "Redovisning senast" in sv["message"] and "response_due" in en["message"]
    assert not english_in(sv["message"])
    for step in seed.steps[1:2]:
        assert (await command(stack, case_id, step.command, step.payload, step.username)).status_code == 200
    decider = await stack.http.get("/api/v1/worklist", headers=await stack.token("malin.jern"))
    item = next(i for i in decider.json()["items"] if i["case"]["case_id"] == case_id)
    assert item["action"] == "sign-decision" and item["due"] is None
    drafter = await stack.http.get("/api/v1/worklist", headers=await stack.token("marta.rivelis"))
    assert case_id not in [i["case"]["case_id"] for i in drafter.json()["items"]]  # nothing for the drafter now
    step = seed.steps[2]
    assert (await command(stack, case_id, step.command, step.payload, step.username)).status_code == 200
    organiser = await stack.http.get("/api/v1/worklist", headers=await stack.token("ludvika.forvaltning"))
    item = next(i for i in organiser.json()["items"] if i["case"]["case_id"] == case_id)
    assert item["action"] == "draft-response" and item["due"] == item["case"]["response_due"]
