"""Log lines from activities are JSON with the case id, workflow id and run id as fields."""

from __future__ import annotations

import json
import logging

import pytest
from temporalio import activity
from temporalio.testing import ActivityEnvironment

from runtime.logging import configure_logging


@activity.defn
async def recording() -> None:
    activity.logger.info("events recorded", extra={"case_id": "case-1"})


async def test_an_activity_line_names_case_workflow_and_run(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json")
    try:
        await ActivityEnvironment().run(recording)
    finally:
        logging.getLogger().handlers.clear()
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["event"] == "events recorded" and line["level"] == "info"
    assert (line["case_id"], line["workflow_id"], line["run_id"]) == ("case-1", "test", "test-run")
