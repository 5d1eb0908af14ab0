"""Golden histories of both seed runs replay against today's workflow code.

A change to the workflows that would break cases already running (a non-deterministic
change) makes these fail. Re-record deliberately with ``RECORD_HISTORIES=1 make test``
after a change that is meant to be incompatible (and version the workflow instead when
cases are running).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from worker import WORKFLOWS

HISTORIES = Path(__file__).parent.parent / "histories"
EXPECTED = ["ludvika-case", "ludvika-round-1", "trelleborg-case", "trelleborg-round-1"]


def test_golden_histories_are_committed() -> None:
    assert sorted(p.stem for p in HISTORIES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
async def test_history_replays(name: str) -> None:
    path = HISTORIES / f"{name}.json"
    workflow_id = json.loads(path.read_text())["workflow_id"]
    history = WorkflowHistory.from_json(workflow_id, json.loads(path.read_text())["history"])
    replayer = Replayer(workflows=WORKFLOWS, data_converter=pydantic_data_converter)
    await replayer.replay_workflow(history)
