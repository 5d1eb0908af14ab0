"""A watcher during a fault: ``/healthz`` and a logged-in web page, four times a second.

It records what a person and a monitor would have seen: every 5xx page must be a Swedish page, not a
bare "Internal Server Error"; ``/healthz`` must name the part that is down (503) and be ok again after.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass, field

import httpx

from tests.faults.load import PASSWORD


@dataclass
class Seen:
    """One answer to the probe."""

    at: float
    path: str
    status: int | None
    body: str
    content_type: str = ""


@dataclass
class Probe:
    """Polls /healthz and the case list page (as the inspector) until stopped."""

    url: str
    seen: list[Seen] = field(default_factory=list)

    async def run(self, stop: asyncio.Event) -> None:
        """Log in through the login form, then poll until ``stop`` is set."""
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as http:
            await self._login(http)
            while not stop.is_set():
                for path in ("/healthz", "/"):
                    try:
                        answer = await http.get(path)
                        kind = answer.headers.get("content-type", "")
                        self.seen.append(Seen(time.monotonic(), path, answer.status_code, answer.text[:2000], kind))
                    except httpx.TransportError as error:
                        self.seen.append(Seen(time.monotonic(), path, None, type(error).__name__))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.25)

    async def _login(self, http: httpx.AsyncClient) -> None:
        form = await http.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]*)"', form.text)
        assert token, "no CSRF token on the login page"
        fields = {"username": "marta.rivelis", "password": PASSWORD, "csrf_token": token.group(1), "next": "/"}
        answer = await http.post("/login", data=fields)
        assert answer.status_code in (200, 303), f"web login: {answer.status_code} {answer.text[:300]}"

    def bad_pages(self) -> list[Seen]:
        """5xx web pages that are not the Swedish error page."""
        return [
            s
            for s in self.seen
            if s.path == "/"
            and s.status is not None
            and s.status >= 500
            and not ("text/html" in s.content_type and '<html lang="sv"' in s.body)
        ]

    def parts_named_down(self) -> set[str]:
        """The parts /healthz named as down (503)."""
        named: set[str] = set()
        for s in self.seen:
            if s.path == "/healthz" and s.status == 503:
                named |= {
                    part
                    for part, state in re.findall(r'"(\w+)":"([^"]*)"', s.body)
                    if part != "status" and state != "ok"
                }
        return named
