"""One fault under load, measured and checked: lifecycles run, a part is killed with SIGKILL once a
quarter of the commands are through, and when all are done every promise is checked."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from domain.deadlines import business_date
from notices.mail import message_id
from tests.faults.load import EXPECTED_EVENTS, STEPS, Client, run_lifecycles, seeds
from tests.faults.probe import Probe
from tests.faults.stack import LocalStack
from tests.faults.watch import FolderWatch

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
Inject = Callable[[LocalStack, "Letters"], tuple[float, float]]
"""Kill something; (when it was killed, when it was back), monotonic."""


@dataclass
class Measured:
    """What one fault cost: recovery is from the part's return to the first command (or letter) through."""

    fault: str
    cases: int
    commands: int
    back_seconds: float
    """From the kill to the part running and serving again (the supervisor's restart included)."""
    recovery_seconds: float
    """From the part's return to the first command that went through."""
    letter_recovery_seconds: float | None
    """From the part's return to the first letter the mail sink received."""
    longest_command_seconds: float
    """The longest gap between two successes after the kill (what one client waited at most, or about)."""
    retries: int
    """Answers after the kill that the client had to retry (no answer, or 503)."""
    bad_5xx: int
    """5xx answers to the API without docs/api.md's JSON error body."""
    bad_pages: int
    """5xx web pages that were not the Swedish error page."""
    healthz_named_down: list[str]
    """The parts /healthz named as down while the fault lasted."""
    letters: int
    duplicate_letters: int


class Letters:
    """The mail sink's folder, watched: when each letter file appeared (monotonic)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.times: list[float] = []
        self._watch = FolderWatch(folder, self._created)

    def _created(self, name: str) -> None:
        if name.endswith(".eml"):
            self.times.append(time.monotonic())

    def close(self) -> None:
        """Stop watching."""
        self._watch.close()


async def under_load(
    stack: LocalStack, client: Client, fault: str, inject: Inject, cases: int = 16, concurrency: int = 8
) -> Measured:
    """Run ``cases`` lifecycles, ``inject`` the fault mid-load, check everything; the measurements."""
    letters, probe, probing = Letters(stack.mail), Probe(stack.url), asyncio.Event()
    done: list[float] = []
    lifecycles = seeds(f"{fault}-{int(time.time())}", cases, business_date(datetime.now(UTC)))
    try:
        load = asyncio.create_task(run_lifecycles(client, lifecycles, concurrency, done))
        watching = asyncio.create_task(probe.run(probing))
        while len(done) < cases * STEPS // 4 and not load.done():
            await asyncio.sleep(0.01)
        assert not load.done(), "the load finished before the fault"
        killed, back = await asyncio.to_thread(inject, stack, letters)
        case_ids = await load
    finally:
        letters.close()
        probing.set()
    await watching
    await check(stack, client, case_ids)
    assert not probe.bad_pages(), f"5xx pages that are not the Swedish error page: {probe.bad_pages()[:2]}"
    after_kill = sorted(t for t in done if t >= killed)
    gaps = [b - a for a, b in zip([killed, *after_kill], after_kill, strict=False)]
    letter_after = [t - back for t in letters.times if t >= back]
    sent = letter_files(stack.mail)
    measured = Measured(
        fault=fault,
        cases=cases,
        commands=cases * STEPS,
        back_seconds=round(back - killed, 2),
        recovery_seconds=round(min((t for t in done if t >= back), default=back) - back, 2),
        letter_recovery_seconds=round(min(letter_after), 2) if letter_after else None,
        longest_command_seconds=round(max(gaps, default=0.0), 2),
        retries=client.retries_after(killed),
        bad_5xx=len(client.bad_5xx()),
        bad_pages=len(probe.bad_pages()),
        healthz_named_down=sorted(probe.parts_named_down()),
        letters=len(sent),
        duplicate_letters=sum(n - 1 for n in sent.values()),
    )
    record(measured)
    return measured


async def check(stack: LocalStack, client: Client, case_ids: list[str]) -> None:
    """Every case closed with its events complete, every notice sent once, the chain and read model intact."""
    inspector = client.headers["marta.rivelis"]
    for case_id in case_ids:
        case = (await client.send("GET", f"/api/v1/cases/{case_id}", inspector)).json()
        assert case["state"] == "closed", case
        events = (await client.send("GET", f"/api/v1/cases/{case_id}/events", inspector)).json()["events"]
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1)), f"a gap in {case_id}"
        assert [e["type"] for e in events] == EXPECTED_EVENTS, f"events of {case_id}: lost or twice"
    notices = await all_sent(client, case_ids, inspector)
    sent = letter_files(stack.mail)
    for notice_id in notices:
        files = sent.get(message_id(notice_id).strip("<>"), 0)
        assert files == 1, f"notice {notice_id}: {files} letters in the mail sink"
    assert not client.bad_5xx(), f"5xx without a JSON body: {client.bad_5xx()[:3]}"
    report = (await client.send("GET", "/api/v1/audit/verify", client.headers["fault.auditor"])).json()
    assert report["ok"] and not report["failures"], report  # chains, the log, the read model against the events


async def all_sent(client: Client, case_ids: list[str], headers: dict[str, str], timeout: float = 90) -> list[str]:
    """Wait until every notice of the cases is sent; their ids (AssertionError naming any still pending)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = []
        for case_id in case_ids:
            rows += (await client.send("GET", f"/api/v1/cases/{case_id}/notices", headers)).json()["notices"]
        waiting = [r for r in rows if r["status"] != "sent"]
        if not waiting:
            return [r["notice_id"] for r in rows]
        assert time.monotonic() < deadline and not [r for r in waiting if r["status"] == "failed"], waiting[:3]
        await asyncio.sleep(0.2)


def letter_files(folder: Path) -> dict[str, int]:
    """How many files the mail sink wrote per Message-ID (``<id>.eml``, then ``<id>.2.eml`` … for a duplicate)."""
    counts: dict[str, int] = {}
    for path in folder.glob("*.eml"):
        name = re.sub(r"\.\d+$", "", path.name.removesuffix(".eml"))
        counts[name] = counts.get(name, 0) + 1
    return counts


def record(measured: Measured) -> None:
    """Add the measurements to test-artifacts/faults.json (one line per fault and run)."""
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "faults.jsonl").open("a") as out:
        out.write(json.dumps({"at": datetime.now(UTC).isoformat(timespec="seconds"), **asdict(measured)}) + "\n")
