"""The short part of the fault suite (in `make test`): a stack whose worker, then PostgreSQL, is killed under load."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.faults.injectors import kill_parts
from tests.faults.load import Client
from tests.faults.processes import postmaster_pid
from tests.faults.scenario import Letters, under_load
from tests.faults.stack import PASSWORD, LocalStack

pytestmark = pytest.mark.short


async def test_the_stack_rides_out_its_worker_and_its_database_killed_under_load(tmp_path: Path) -> None:
    stack = LocalStack(tmp_path / ".data")
    stack.start()
    try:
        async with httpx.AsyncClient(base_url=stack.url, timeout=60) as http:
            client = Client(http)
            await client.setup(PASSWORD)
            measured = await under_load(stack, client, "short", worker_then_postgres, cases=4, concurrency=4)
    finally:
        assert stack.stop() == 0, "Ctrl-C stops the stack cleanly"
    assert postmaster_pid(stack.data / "postgres") is None, "PostgreSQL is stopped with the stack"
    assert measured.recovery_seconds < 10, measured
    assert (measured.bad_5xx, measured.bad_pages, measured.duplicate_letters) == (0, 0, 0), measured


def worker_then_postgres(stack: LocalStack, letters: Letters) -> tuple[float, float]:
    """Kill the worker; once it is back, kill PostgreSQL; back when PostgreSQL is."""
    killed, _ = kill_parts("workers")(stack, letters)
    _, back = kill_parts("postgres")(stack, letters)
    return killed, back
