"""What the lifecycle benchmarks share: the running stack, its JSON API, a case's life, percentiles, /proc.

They drive the stack of ``make run`` (``inspections run``) as a client would, through
``/api/v1`` with bearer tokens; the stack is found through ``<data dir>/stack.json`` and the
administrator's password in ``<data dir>/admin-password`` (or ``INSPECTIONS_ADMIN_PASSWORD``).
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from admin.seeds import LUDVIKA, SeedStep, compressed
from domain.deadlines import business_date

ORGANISER = ("212000-2270", "Ludvika kommun", "barn.utbildning@ludvika.example")
PASSWORD = "bench-password-1"
ROLES = {"marta.rivelis": ["inspector"], "malin.jern": ["decision_maker"], "ludvika.forvaltning": ["organiser"]}


@dataclass
class StackInfo:
    """Where the running stack answers."""

    data_dir: Path
    http: str
    temporal: str
    admin_password: str

    @classmethod
    def find(cls, data_dir: Path) -> StackInfo:
        """The stack that ``inspections run`` started with ``data_dir``."""
        stack = json.loads((data_dir / "stack.json").read_text())
        password = os.environ.get("INSPECTIONS_ADMIN_PASSWORD") or (data_dir / "admin-password").read_text().strip()
        return cls(data_dir, stack.get("http", "http://127.0.0.1:8080"), stack["temporal_address"], password)


@dataclass
class Api:
    """An HTTP client on the stack's JSON API with a token per bench user; latencies of commands kept."""

    http: httpx.AsyncClient
    tag: str
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    by_command: dict[str, list[float]] | None = None
    """When set, each command's latency is also kept under its name (open-case for the open)."""

    def user(self, seed_user: str) -> str:
        """This run's username for a person of the Ludvika seed."""
        return f"bench-{self.tag}-{seed_user}"

    async def login(self, username: str, password: str) -> dict[str, str]:
        """A bearer token header for ``username``."""
        answer = await self.http.post("/api/v1/auth/token", json={"username": username, "password": password})
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    async def set_up(self, admin_password: str) -> None:
        """Register the organiser (once) and this run's three people, and log them in."""
        admin = await self.login("admin", admin_password)
        org_id, name, email = ORGANISER
        answer = await self.http.post(
            "/api/v1/organisers", json={"organiser_id": org_id, "name": name, "email": email}, headers=admin
        )
        assert answer.status_code in (201, 409), answer.text
        for seed_user, roles in ROLES.items():
            body = {"username": self.user(seed_user), "password": PASSWORD, "roles": roles, "full_name": seed_user}
            if roles == ["organiser"]:
                body["organiser_id"] = org_id
            answer = await self.http.post("/api/v1/users", json=body, headers=admin)
            assert answer.status_code == 201, answer.text
            self.tokens[seed_user] = await self.login(self.user(seed_user), PASSWORD)

    async def call(self, seed_user: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST one command as that person; its latency is kept; anything but success raises."""
        began = time.perf_counter()
        answer = await self.http.post(path, json=body, headers=self.tokens[seed_user])
        took = time.perf_counter() - began
        self.latencies.append(took)
        if self.by_command is not None:
            name = path.rsplit("/commands/", 1)[1] if "/commands/" in path else "open-case"
            self.by_command.setdefault(name, []).append(took)
        if answer.status_code not in (200, 201):
            raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:300]}")
        return answer.json()


def lifecycle(tag: str, n: int) -> list[SeedStep]:
    """The Ludvika case's eight commands (open to closed), all today, as case ``n`` of this run."""
    today = business_date(datetime.now(UTC))
    return list(compressed(LUDVIKA, today, case_id=f"b{tag}{n}", dnr=f"BENCH:{tag}:{n}").steps)


async def open_case(api: Api, step: SeedStep) -> str:
    """Open the case of ``step`` (open-case); its case id."""
    return str((await api.call(step.username, "/api/v1/cases", step.payload))["case_id"])


async def run_lifecycle(api: Api, tag: str, n: int, until: int | None = None) -> str:
    """Issue the case's commands in order (all eight, or the first ``until``); its case id."""
    steps = lifecycle(tag, n)[:until]
    case_id = await open_case(api, steps[0])
    for step in steps[1:]:
        await api.call(step.username, f"/api/v1/cases/{case_id}/commands/{step.command}", step.payload)
    return case_id


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95 and p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def new_tag() -> str:
    """A short tag that keeps this run's users, Dnr and request ids apart from every other run's."""
    return uuid.uuid4().hex[:6]


def today() -> date:
    """The business date now."""
    return business_date(datetime.now(UTC))


def stack_pids(data_dir: Path) -> list[int]:
    """The processes of the stack started with ``data_dir`` (supervisor, children, PostgreSQL, Temporal)."""
    marker = str(data_dir.resolve())
    roots, parents = set(), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            environ = (entry / "environ").read_bytes().decode(errors="replace")
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if marker in cmdline or f"INSPECTIONS_DATA_DIR={marker}" in environ:
            roots.add(int(entry.name))
    pids = set(roots)
    changed = True
    while changed:  # and every descendant (PostgreSQL's backends, uvicorn's workers)
        grown = {pid for pid, parent in parents.items() if parent in pids}
        changed = not grown <= pids
        pids |= grown
    return sorted(pids)


PARTS = (("postgres", "postgres"), ("temporal", "temporal"), ("-m worker", "worker"), ("uvicorn", "web"))
PARTS += (("notices deliver", "delivery"), ("runtime.deliver", "delivery"), ("mail-sink", "mail sink"))
PARTS += (("notices.sink", "mail sink"), (" run", "supervisor"))


def part_of(pid: int) -> str:
    """Which part of the stack ``pid`` is (``bench`` for this process)."""
    if pid == os.getpid():
        return "bench"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    return next((name for marker, name in PARTS if marker in cmdline), "other")


def cpu_by_part(pids: list[int]) -> dict[str, float]:
    """User + system CPU seconds used so far by ``pids`` (those still alive), summed per part of the stack."""
    ticks = os.sysconf("SC_CLK_TCK")
    totals: dict[str, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        part = part_of(pid)
        totals[part] = totals.get(part, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return totals


def rss_mib(pid: int) -> float:
    """The resident set size of ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def worker_pid(data_dir: Path) -> int:
    """The pid of the stack's worker (``python -m worker``)."""
    for pid in stack_pids(data_dir):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"-m" in argv and b"worker" in argv:
            return pid
    raise RuntimeError(f"no worker process of the stack in {data_dir}")
