"""Load for the fault suite: full case lifecycles through the JSON API, as a careful client sends them.

Each command is sent until it succeeds, with the same ``request_id`` (so a retry is the same request):
after a refused connection, a timeout or a 5xx it waits 0.2 s (doubling to 1 s) and tries again. Every
answer is kept: its status, whether a 5xx came with docs/api.md's JSON error body, and when it came.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from admin.replay import seed_events
from admin.seeds import LUDVIKA, SeedCase, compressed

PASSWORD = "fault-password-1"
ROLES = {
    "marta.rivelis": ["inspector"],
    "malin.jern": ["decision_maker"],
    "ludvika.forvaltning": ["organiser"],
    "fault.auditor": ["auditor"],
}
EXPECTED_EVENTS = [type(e).__name__ for e in seed_events(LUDVIKA)]
"""The event types of one Ludvika lifecycle, open to closed."""
STEPS = len(LUDVIKA.steps)


@dataclass(frozen=True)
class Answer:
    """One answer the client received (or a failure to get one)."""

    at: float
    """When it came (monotonic)."""
    what: str
    status: int | None
    """None: no answer (refused, reset, timed out)."""
    json_error: bool
    """For an error status: the body is ``{"error": {"code", "message", ...}}``."""
    detail: str = ""


@dataclass
class Client:
    """Tokens for the seed's people, and every answer received."""

    http: httpx.AsyncClient
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    deadline_seconds: float = 240.0

    async def setup(self, admin_password: str) -> None:
        """The organiser and the three people (once per stack), and a token for each."""
        admin = await self._token("admin", admin_password)
        organiser = {"organiser_id": LUDVIKA.organiser_id, "name": LUDVIKA.organiser_name}
        await self.send("POST", "/api/v1/organisers", admin, {**organiser, "email": LUDVIKA.organiser_email}, {409})
        for username, roles in ROLES.items():
            body = {"username": username, "password": PASSWORD, "roles": roles}
            if "organiser" in roles:
                body["organiser_id"] = LUDVIKA.organiser_id
            await self.send("POST", "/api/v1/users", admin, body, {409})
            self.headers[username] = await self._token(username, PASSWORD)

    async def _token(self, username: str, password: str) -> dict[str, str]:
        answer = await self.send("POST", "/api/v1/auth/token", {}, {"username": username, "password": password})
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    async def send(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: Any = None,
        also_fine: frozenset[int] | set[int] = frozenset(),
    ) -> httpx.Response:
        """Send until the answer is 2xx (or a status in ``also_fine``); AssertionError on any other 4xx."""
        pause, deadline = 0.2, time.monotonic() + self.deadline_seconds
        while True:
            try:
                answer = await self.http.request(method, path, headers=headers, json=body)
            except httpx.TransportError as error:
                self.answers.append(Answer(time.monotonic(), path, None, False, type(error).__name__))
            else:
                self.answers.append(
                    Answer(time.monotonic(), path, answer.status_code, _json_error(answer), answer.text[:300])
                )
                if answer.status_code < 400 or answer.status_code in also_fine:
                    return answer
                if answer.status_code < 500:
                    raise AssertionError(f"{method} {path} → {answer.status_code} {answer.text[:500]}")
            assert time.monotonic() < deadline, f"{method} {path} did not succeed within {self.deadline_seconds} s"
            await asyncio.sleep(pause)
            pause = min(pause * 2, 1.0)

    async def lifecycle(self, seed: SeedCase, done: list[float]) -> str:
        """Open the case and take it to closed; its case id. Each success's time is added to ``done``."""
        case_id = ""
        for step in seed.steps:
            headers = self.headers[step.username]
            if step.command == "open-case":
                answer = await self.send("POST", "/api/v1/cases", headers, step.payload)
                case_id = answer.json()["case_id"]
            else:
                await self.send("POST", f"/api/v1/cases/{case_id}/commands/{step.command}", headers, step.payload)
            done.append(time.monotonic())
        return case_id

    def bad_5xx(self) -> list[Answer]:
        """Every 5xx that came without docs/api.md's JSON error body."""
        return [a for a in self.answers if a.status is not None and a.status >= 500 and not a.json_error]

    def retries_after(self, since: float) -> int:
        """Answers since ``since`` that were not a success (each one was retried)."""
        return sum(1 for a in self.answers if a.at >= since and (a.status is None or a.status >= 500))


def _json_error(answer: httpx.Response) -> bool:
    if answer.status_code < 400:
        return True
    try:
        error = answer.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return isinstance(error, dict) and {"code", "message"} <= set(error)


def seeds(tag: str, count: int, today: date) -> list[SeedCase]:
    """``count`` Ludvika lifecycles, every step today, with request ids and Dnr of this run."""
    return [compressed(LUDVIKA, today, case_id=f"{tag}-{n}", dnr=f"{tag.upper()}:{n}") for n in range(count)]


async def run_lifecycles(client: Client, cases: list[SeedCase], concurrency: int, done: list[float]) -> list[str]:
    """Every lifecycle, ``concurrency`` at a time; their case ids."""
    gate = asyncio.Semaphore(concurrency)

    async def one(seed: SeedCase) -> str:
        async with gate:
            return await client.lifecycle(seed, done)

    return list(await asyncio.gather(*(one(seed) for seed in cases)))
