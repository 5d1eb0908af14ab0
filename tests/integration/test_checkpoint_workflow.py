"""Checkpoints on a schedule: the checkpoint workflow on Temporal's time-skipping server with the real
activities, embedded PostgreSQL and an SMTP sink as the witness."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar

import pytest
from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment
from temporalio.worker import Replayer

from activities.checkpoint_models import CheckpointMade, PublishCheckpoint
from admin.seeds import LUDVIKA
from notices.sink import start_sink
from runtime.bootstrap import checkpoint_activities
from runtime.checkpoint_key import ensure_signer
from runtime.config import Settings
from store.checkpoints import stored_checkpoints
from store.embedded import free_port
from store.events import EventStore
from store.signed_note import open_checkpoint
from tests.integration.store_support import append_all, renamed, seed_batches
from worker import build_worker, schedule_checkpoints
from workflows.checkpoints import CheckpointWorkflow, checkpoint_workflow_id

pytestmark = pytest.mark.integration
T = TypeVar("T")
WITNESS = "registrator@skolinspektionen.example"
GOLDEN = Path(__file__).parent.parent / "histories" / "checkpoints" / "checkpoint-turns.json"
"""Four turns: mailed, mailed, nothing new, rescheduled (a folder of its own: test_replay lists its files)."""


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    """A checkpoint key, a checkpoint folder and a mail sink (the witness) of this test's own."""
    port = free_port()
    sink = start_sink(tmp_path / "mail", port=port)
    configured = Settings(
        data_dir=tmp_path,
        task_queue=f"checkpoints-{uuid.uuid4().hex[:8]}",
        smtp_port=port,
        checkpoint_witness_email=WITNESS,
        checkpoint_every_minutes=10,
    )
    ensure_signer(configured.checkpoint_key_path)
    yield configured
    sink.stop()


def mails(settings: Settings) -> list[EmailMessage]:
    folder = settings.mail_dir
    return [
        message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for p in sorted(folder.glob("*.eml"))
    ]


async def eventually(read: Callable[[], Awaitable[T]], until: Callable[[T], bool], seconds: float = 20) -> T:
    """Read until the condition holds (the worker works in the background); the last value read."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        value = await read()
        if until(value) or asyncio.get_running_loop().time() > deadline:
            return value
        await asyncio.sleep(0.05)


async def counted(handle: WorkflowHandle) -> tuple[int, int]:
    """(turns begun: publish activities scheduled, waits begun: timers started) in the workflow's history.

    Time on the time-skipping server moves only in ``env.sleep``; sleeping before the workflow has started
    its timer would skip past nothing, so each step waits for the timer first."""
    history = await handle.fetch_history()
    published = sum(
        1
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
        and e.activity_task_scheduled_event_attributes.activity_type.name == "publish_checkpoint"
    )
    return published, sum(1 for e in history.events if e.HasField("timer_started_event_attributes"))


async def test_a_checkpoint_every_interval_signed_sent_out_and_mailed_once_per_size(
    time_skipping_env: WorkflowEnvironment, seeded_store: EventStore, settings: Settings
) -> None:
    client, pool = time_skipping_env.client, seeded_store.pool
    verifier = ensure_signer(settings.checkpoint_key_path).verifier
    async with build_worker(client, pool, settings.task_queue, settings):
        await schedule_checkpoints(client, settings)
        handle = client.get_workflow_handle(checkpoint_workflow_id(settings.task_queue))
        assert await eventually(lambda: counted(handle), lambda n: n[1] >= 1) == (1, 1)  # the first turn at once
        first = await handle.query(CheckpointWorkflow.latest)
        assert first is not None and first.tree_size == 20
        assert open_checkpoint(first.note, verifier).tree_size == 20
        assert (settings.checkpoint_out_dir / "checkpoint-20.txt").read_text(encoding="utf-8") == first.note
        [mail] = mails(settings)
        assert mail["To"] == WITNESS and "20 händelser" in mail["Subject"]
        [attachment] = mail.iter_attachments()
        assert attachment.get_payload(decode=True) == first.note.encode("utf-8")
        assert (await handle.query(CheckpointWorkflow.status)).mailed_size == 20

        await append_all(seeded_store, "third", renamed(seed_batches(LUDVIKA), "third", "T:1"))
        await time_skipping_env.sleep(timedelta(minutes=10))
        assert await eventually(lambda: counted(handle), lambda n: n[1] >= 2) == (2, 2)
        second = await handle.query(CheckpointWorkflow.latest)
        assert second is not None and second.tree_size == 30
        assert [m["X-Checkpoint-Size"] for m in mails(settings)] == ["20", "30"]
        assert (await handle.query(CheckpointWorkflow.status)).mailed_size == 30

        await time_skipping_env.sleep(timedelta(minutes=10))  # nothing new: no new signature, no new mail
        assert await eventually(lambda: counted(handle), lambda n: n[1] >= 3) == (3, 3)
        assert [c.tree_size for c in await stored_checkpoints(pool)] == [20, 30]
        assert len(mails(settings)) == 2
        assert sorted(p.name for p in settings.checkpoint_out_dir.glob("checkpoint-*.txt")) == [
            "checkpoint-20.txt",
            "checkpoint-30.txt",
        ]

        await schedule_checkpoints(client, settings.model_copy(update={"checkpoint_every_minutes": 2}))  # idempotent
        assert await eventually(lambda: counted(handle), lambda n: n[1] >= 4) == (3, 4)  # the wait measured anew
        status = await handle.query(CheckpointWorkflow.status)
        assert (status.every_minutes, status.mailed_size) == (2, 30)
        await time_skipping_env.sleep(timedelta(minutes=2))
        assert await eventually(lambda: counted(handle), lambda n: n[1] >= 5) == (4, 5)
        description = await handle.describe()
        assert description.status is not None and description.status.name == "RUNNING"
        if os.environ.get("RECORD_HISTORIES") == "1":  # the golden history of this shape (see the replay test)
            recorded = {"workflow_id": handle.id, "history": (await handle.fetch_history()).to_json_dict()}
            GOLDEN.write_text(json.dumps(recorded, indent=1), encoding="utf-8")
        await handle.terminate("test over")


async def test_the_golden_history_replays() -> None:
    """A change to the checkpoint workflow that would break the one already running fails here; record the
    history again (RECORD_HISTORIES=1) only for a change that is safe (or patched)."""
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    replayer = Replayer(workflows=[CheckpointWorkflow], data_converter=pydantic_data_converter)
    await replayer.replay_workflow(WorkflowHistory.from_json(recorded["workflow_id"], recorded["history"]))


async def test_a_failed_turn_is_logged_and_the_next_turn_tries_again(
    time_skipping_env: WorkflowEnvironment, seeded_store: EventStore, tmp_path: Path
) -> None:
    client = time_skipping_env.client
    settings = Settings(data_dir=tmp_path / "later", task_queue=f"checkpoints-{uuid.uuid4().hex[:8]}")
    async with build_worker(client, seeded_store.pool, settings.task_queue, settings):
        await schedule_checkpoints(client, settings)
        handle = client.get_workflow_handle(checkpoint_workflow_id(settings.task_queue))
        assert (await eventually(lambda: counted(handle), lambda n: n[1] >= 1))[1] == 1
        history = await eventually(
            handle.fetch_history, lambda h: any(e.HasField("activity_task_failed_event_attributes") for e in h.events)
        )
        [failed] = [
            e.activity_task_failed_event_attributes
            for e in history.events
            if e.HasField("activity_task_failed_event_attributes")
        ]
        assert "No checkpoint signing key" in failed.failure.message  # not retried: an operator must act
        assert await stored_checkpoints(seeded_store.pool) == []
        ensure_signer(settings.checkpoint_key_path)  # the operator installs the key
        await time_skipping_env.sleep(timedelta(minutes=10))
        assert await eventually(lambda: counted(handle), lambda n: n[1] >= 2) == (2, 2)
        made = await handle.query(CheckpointWorkflow.latest)
        assert made is not None and made.tree_size == 20
        assert (await handle.describe()).status.name == "RUNNING"  # type: ignore[union-attr]
        await handle.terminate("test over")


async def test_the_witness_mail_goes_once_per_size_even_when_the_activity_runs_again(
    seeded_store: EventStore, settings: Settings
) -> None:
    activities = checkpoint_activities(seeded_store.pool, settings)
    env = ActivityEnvironment()
    made: CheckpointMade = await env.run(activities.publish_checkpoint, PublishCheckpoint())
    for _ in range(2):  # a retry after the mail went out
        receipt = await env.run(activities.mail_checkpoint, made)
        assert receipt.recipient == WITNESS and receipt.message_id is not None
    [mail] = mails(settings)
    assert mail["Message-ID"] == receipt.message_id


async def test_without_a_key_no_checkpoint_is_made_and_the_error_names_the_file(
    seeded_store: EventStore, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "elsewhere")
    activities = checkpoint_activities(seeded_store.pool, settings)
    with pytest.raises(Exception, match="No checkpoint signing key") as raised:
        await ActivityEnvironment().run(activities.publish_checkpoint, PublishCheckpoint())
    assert getattr(raised.value, "non_retryable", False) is True
    assert await stored_checkpoints(seeded_store.pool) == []
