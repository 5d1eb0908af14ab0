"""Golden histories replay against today's workflow code, in every shape cases have run in.

A change to the workflows that would break cases already running (a non-deterministic
change) makes these fail. Shapes kept:

- ``*-case.json``, ``*-round-1.json``: a round's timers in a child workflow, the Update
  answering after the child was started or signalled (cases opened before the clock moved
  into the case workflow; their runs replay on the unpatched branch).
- ``trelleborg-continued-run-*.json``: runs of that shape that continued as new, carrying
  every answer ever given (``processed``) and a live round child.
- ``*-case-clock.json``, ``ludvika-continued-clock.json``: the clock inside the case workflow
  (patch ``deadline-clock-in-case``), ``record_events`` answering with a receipt, the carried
  window of recent request ids, continue-as-new after every command.
- ``ludvika-case-documents.json``: a signing command first issues its sealed PDF (patch ``documents-at-signing``,
  activity ``issue_decision_document``) and its event names the PDF (recorded by
  tests/integration/test_decision_documents.py).
- ``*-local.json``: the store's activities on a command's path (``record_events``,
  ``issue_decision_document``) run as local activities (patch ``local-activities``): their results
  are markers in the history, and a command costs one workflow task.

Record the current shape again with ``RECORD_HISTORIES=1`` (it writes only the ``*-local``
files); never re-record an older shape: its files are what running cases look like.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from worker import WORKFLOWS
from workflows import SANDBOX

HISTORIES = Path(__file__).parent.parent / "histories"
EXPECTED = [
    "ludvika-case",
    "ludvika-round-1",
    "trelleborg-case",
    "trelleborg-round-1",
    "trelleborg-continued-run-3",
    "trelleborg-continued-run-4",
    "ludvika-case-clock",
    "trelleborg-case-clock",
    "ludvika-continued-clock",
    "ludvika-case-documents",
    "ludvika-case-local",
    "trelleborg-case-local",
    "ludvika-continued-local",
    "ludvika-case-documents-local",
]
CURRENT = ["ludvika-case-local", "trelleborg-case-local", "ludvika-continued-local", "ludvika-case-documents-local"]


def history(name: str) -> WorkflowHistory:
    """The golden history ``name``."""
    recorded = json.loads((HISTORIES / f"{name}.json").read_text())
    return WorkflowHistory.from_json(recorded["workflow_id"], recorded["history"])


def test_golden_histories_are_committed() -> None:
    assert sorted(p.stem for p in HISTORIES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
async def test_history_replays(name: str) -> None:
    replayer = Replayer(workflows=WORKFLOWS, data_converter=pydantic_data_converter, workflow_runner=SANDBOX)
    await replayer.replay_workflow(history(name))


@pytest.mark.parametrize("name", ["ludvika-case-clock", "trelleborg-case-clock", "ludvika-continued-clock"])
def test_the_clock_shape_starts_no_child_and_records_no_event_data_twice(name: str) -> None:
    events = history(name).events
    assert not [e for e in events if e.HasField("start_child_workflow_execution_initiated_event_attributes")]
    results = [
        e.activity_task_completed_event_attributes.result.payloads[0].data
        for e in events
        if e.HasField("activity_task_completed_event_attributes")
    ]
    assert results and all(b'"data"' not in r and b'"actor"' not in r for r in results)


@pytest.mark.parametrize("name", CURRENT)
def test_the_current_shape_schedules_no_activity_on_the_server(name: str) -> None:
    events = history(name).events
    assert not [e for e in events if e.HasField("activity_task_scheduled_event_attributes")]
    assert not [e for e in events if e.HasField("start_child_workflow_execution_initiated_event_attributes")]
    markers = [e.marker_recorded_event_attributes for e in events if e.HasField("marker_recorded_event_attributes")]
    local_results = [m.details["result"].payloads[0].data for m in markers if m.marker_name == "core_local_activity"]
    assert local_results, "the local activities' results are markers in the history"
    assert all(b'"actor"' not in r for r in local_results)  # a receipt, not the events' data again
