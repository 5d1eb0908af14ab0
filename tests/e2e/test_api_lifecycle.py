"""Both seed cases driven through every command of the JSON API, and docs/api.md's error table."""

from __future__ import annotations

import uuid
from datetime import date

from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase, compressed
from tests.e2e.api_support import Stack, error_of


def today_seed(seed: SeedCase) -> SeedCase:
    tag = uuid.uuid4().hex[:8]
    return compressed(seed, date.today(), case_id=tag, dnr=f"{seed.steps[0].payload['dnr']}-{tag}")


async def drive(stack: Stack, seed: SeedCase) -> tuple[str, list[dict]]:  # type: ignore[type-arg]
    """Open the case and issue every step through the API; the case id and every answer."""
    await stack.seed_people(seed)
    first = seed.steps[0]
    answer = await stack.http.post("/api/v1/cases", json=first.payload, headers=await stack.token(first.username))
    assert answer.status_code == 201, answer.text
    case_id = answer.json()["case_id"]
    views = [answer.json()]
    for step in seed.steps[1:]:
        answer = await stack.http.post(
            f"/api/v1/cases/{case_id}/commands/{step.command}",
            json=step.payload,
            headers=await stack.token(step.username),
        )
        assert answer.status_code == 200, (step.command, answer.text)
        views.append(answer.json())
    return case_id, views


async def test_ludvika_through_the_api(stack: Stack) -> None:
    seed = today_seed(LUDVIKA)
    case_id, views = await drive(stack, seed)
    assert views[-1]["state"] == "closed" and {a["status"] for a in views[-1]["areas"]} == {"in_line"}
    auditor = "auditor.one"
    await stack.add_user(auditor, ["auditor"])
    headers = await stack.token(auditor)
    events = (await stack.http.get(f"/api/v1/cases/{case_id}/events", headers=headers)).json()["events"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "CaseOpened" and events[-1]["type"] == "CaseClosed"
    assert set(events[0]) == {
        "seq",
        "event_id",
        "type",
        "occurred_on",
        "recorded_at",
        "actor",
        "data",
        "prev_hash",
        "hash",
    }
    notices = (await stack.http.get(f"/api/v1/cases/{case_id}/notices", headers=headers)).json()["notices"]
    # the follow-up decision that closes the case says so itself: no closure letter besides it
    assert {n["kind"] for n in notices} == {"decision", "receipt", "follow_up_decision"}
    assert {n["status"] for n in notices} == {"pending"}
    report = (await stack.http.get("/api/v1/audit/verify", headers=headers)).json()
    assert report["ok"] is True and report["events_checked"] == len(events)
    # the same request again: the same answer, nothing new recorded
    last = seed.steps[-1]
    again = await stack.http.post(
        f"/api/v1/cases/{case_id}/commands/{last.command}", json=last.payload, headers=await stack.token(last.username)
    )
    assert again.status_code == 200 and again.json()["state"] == "closed"
    create_again = await stack.http.post(
        "/api/v1/cases", json=seed.steps[0].payload, headers=await stack.token("marta.rivelis")
    )
    assert create_again.status_code == 201 and create_again.json()["case_id"] == case_id
    after = (await stack.http.get(f"/api/v1/cases/{case_id}/events", headers=headers)).json()["events"]
    assert len(after) == len(events)


async def test_trelleborg_through_the_api(stack: Stack) -> None:
    seed = today_seed(TRELLEBORG)
    case_id, views = await drive(stack, seed)
    assert (views[-1]["state"], views[-1]["round"]) == ("awaiting_response", 2)
    organiser = await stack.token("trelleborg.bildning")
    view = (await stack.http.get(f"/api/v1/cases/{case_id}", headers=organiser)).json()
    assert view["allowed_commands"] == ["draft-response"]
    listing = (await stack.http.get("/api/v1/cases?state=awaiting_response", headers=organiser)).json()["cases"]
    assert [c["case_id"] for c in listing] == [case_id]


async def test_the_error_table(stack: Stack) -> None:
    seed = today_seed(TRELLEBORG)
    await stack.seed_people(seed)
    marta = await stack.token("marta.rivelis")
    opened = await stack.http.post("/api/v1/cases", json=seed.steps[0].payload, headers=marta)
    case_id = opened.json()["case_id"]
    commands = f"/api/v1/cases/{case_id}/commands"
    bad_json = await stack.http.post(
        f"{commands}/draft-decision", content=b"{not json", headers={**marta, "content-type": "application/json"}
    )
    assert (bad_json.status_code, error_of(bad_json)["code"]) == (400, "bad_request")
    no_token = await stack.http.get(f"/api/v1/cases/{case_id}")
    assert (no_token.status_code, error_of(no_token)["code"]) == (401, "unauthorized")
    wrong_password = await stack.http.post("/api/v1/auth/token", json={"username": "marta.rivelis", "password": "x"})
    assert wrong_password.status_code == 401
    organiser = await stack.token("trelleborg.bildning")
    wrong_role = await stack.http.post(f"{commands}/draft-decision", json=seed.steps[1].payload, headers=organiser)
    assert (wrong_role.status_code, error_of(wrong_role)["code"]) == (403, "forbidden")
    unknown_case = await stack.http.get("/api/v1/cases/no-such-case", headers=marta)
    assert (unknown_case.status_code, error_of(unknown_case)["code"]) == (404, "not_found")
    unknown_command = await stack.http.post(f"{commands}/fly-away", json={"request_id": "r"}, headers=marta)
    assert (unknown_command.status_code, error_of(unknown_command)["code"]) == (404, "not_found")
    wrong_state = await stack.http.post(
        f"{commands}/sign-follow-up",
        json={"request_id": "r2", "decided_on": date.today().isoformat()},
        headers=await stack.token("malin.jern"),
    )
    assert (wrong_state.status_code, error_of(wrong_state)["code"]) == (409, "invalid_state")
    duplicate = await stack.http.post(
        "/api/v1/cases", json={**seed.steps[0].payload, "request_id": "another"}, headers=marta
    )
    assert (duplicate.status_code, error_of(duplicate)["code"]) == (409, "conflict")
    missing = await stack.http.post(
        f"{commands}/draft-decision", json={"request_id": "r3", "areas": [{}]}, headers=marta
    )
    error = error_of(missing)
    assert (missing.status_code, error["code"]) == (422, "validation_error")
    assert {d["field"] for d in error["details"]} >= {"areas[0].code", "areas[0].assessment"}
    events = (await stack.http.get(f"/api/v1/cases/{case_id}/events", headers=marta)).json()["events"]
    assert [e["type"] for e in events] == ["CaseOpened"]  # nothing refused was recorded
