"""The short part of the fault suite (in `make test`): a stack whose worker and PostgreSQL are killed under load."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.faults.injectors import kill_parts
from tests.faults.load import Client
from tests.faults.processes import postmaster_pid
from tests.faults.scenario import under_load
from tests.faults.stack import PASSWORD, LocalStack

pytestmark = pytest.mark.short


async def test_the_stack_rides_out_its_worker_and_its_database_killed_under_load(tmp_path: Path) -> None:
    stack = LocalStack(tmp_path / ".data")
    stack.start()
    try:
        async with httpx.AsyncClient(base_url=stack.url, timeout=60) as http:
            client = Client(http)
            await client.setup(PASSWORD)
            measured = [
                await under_load(stack, client, "worker", kill_parts("workers"), cases=4, concurrency=4),
                await under_load(stack, client, "postgres", kill_parts("postgres"), cases=4, concurrency=4),
            ]
    finally:
        assert stack.stop() == 0, "Ctrl-C stops the stack cleanly"
    assert postmaster_pid(stack.data / "postgres") is None, "PostgreSQL is stopped with the stack"
    for m in measured:
        assert m.recovery_seconds < 10, m
        assert (m.bad_5xx, m.duplicate_letters) == (0, 0), m
