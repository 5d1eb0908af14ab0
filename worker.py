"""The worker process: the case workflows and their activities.

``python worker.py`` (or ``inspections worker``) is wired by ``runtime.bootstrap`` (settings →
pending migrations → PostgreSQL pool → Temporal client with the SDK's Prometheus metrics) and
runs until SIGTERM or SIGINT. On a stop signal the worker stops polling, lets running
activities finish (up to the graceful timeout) and exits; anything unfinished is retried by
another worker, so nothing is lost. Beside the workflows it runs the log's sequencer (every two
seconds, store.log) and keeps the checkpoint workflow scheduled (workflows/checkpoints.py).
``build_worker`` is what tests start in-process.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from datetime import timedelta

import asyncpg
import structlog
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.worker import Worker

from activities.audit import AuditActivities
from documents.seal import Seal
from runtime.bootstrap import bootstrap, checkpoint_activities, document_activities, organisation_seal
from runtime.config import Settings, load_settings
from runtime.logging import configure_logging
from store.events import EventStore
from store.log import run_sequencer
from workflows import SANDBOX
from workflows.case import InspectionCaseWorkflow
from workflows.checkpoints import CheckpointSchedule, CheckpointWorkflow, Reschedule, checkpoint_workflow_id
from workflows.round import ResponseRoundWorkflow

log = structlog.get_logger(__name__)
METRICS_PORTS_TRIED = 10
"""Workers started with the same metrics port take it and the nine after it, one each."""
STICKY_TIMEOUT = timedelta(seconds=3)
"""How long a case's next workflow task waits for the worker that ran the last one, before any worker may."""

WORKFLOWS = [InspectionCaseWorkflow, ResponseRoundWorkflow, CheckpointWorkflow]


def build_worker(
    client: Client, pool: asyncpg.Pool, task_queue: str, settings: Settings | None = None, seal: Seal | None = None
) -> Worker:
    """The worker with every workflow and activity of the system (cache and concurrency from ``settings``).

    ``seal`` seals decision PDFs; without it the configured seal (or the development seal in the settings'
    secrets folder) is loaded when the first document is issued.
    """
    audit = AuditActivities(EventStore(pool))
    settings = settings or Settings()
    checkpoints = checkpoint_activities(pool, settings)
    documents = document_activities(pool, settings, seal)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[
            audit.record_events,
            checkpoints.publish_checkpoint,
            checkpoints.mail_checkpoint,
            documents.issue_decision_document,
        ],
        graceful_shutdown_timeout=timedelta(seconds=30),
        # A case's next task waits on this worker's own (sticky) queue; if the worker was killed, the server
        # gives the task to another worker after this long (the SDK's 10 s would stall a command as long).
        sticky_queue_schedule_to_start_timeout=STICKY_TIMEOUT,
        workflow_runner=SANDBOX,
        max_cached_workflows=settings.max_cached_workflows,
        max_concurrent_workflow_tasks=settings.max_concurrent_workflow_tasks,
        max_concurrent_activities=settings.max_concurrent_activities,
        # As many pollers on the shared queue as on the sticky one (the SDK's 0.2 gives the shared queue one
        # of five): a new case's first task arrives there, and 20 opens at once queued behind that one poller
        # (open-case p95 1.9 s against 0.6 s for other commands at load; 1.2 s with this, bench/lifecycle.py).
        nonsticky_to_sticky_poll_ratio=1.0,
    )


def metrics_port(wanted: int | None) -> int | None:
    """The port this worker serves its metrics on: ``wanted``, or the first free one of the nine after it when
    another worker has it; None (no metrics, the worker runs on) when none was asked for or all are taken."""
    if not wanted:
        return None
    for port in range(wanted, wanted + METRICS_PORTS_TRIED):
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the exporter binds
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        if port != wanted:
            log.info("metrics port taken; using the next free one", wanted=wanted, metrics_port=port)
        return port
    log.warning("no free metrics port; this worker serves no metrics", tried=f"{wanted}-{port}")
    return None


async def run(settings: Settings, stop: asyncio.Event) -> None:
    """Run a worker until ``stop`` is set."""
    settings = settings.model_copy(update={"worker_metrics_port": metrics_port(settings.worker_metrics_port)})
    async with bootstrap(settings, migrate_first=True, metrics_port=settings.worker_metrics_port) as wiring:
        seal = organisation_seal(settings)  # a seal that cannot be loaded stops the worker here, not at a signing
        worker = build_worker(wiring.temporal(), wiring.pool, settings.task_queue, settings, seal)
        log.info(
            "worker started",
            task_queue=settings.task_queue,
            temporal=settings.temporal_address,
            metrics_port=settings.worker_metrics_port,
            max_cached_workflows=settings.max_cached_workflows,
        )
        async with worker:
            sequencer = asyncio.create_task(run_sequencer(wiring.pool))  # the log follows the events
            await schedule_checkpoints(wiring.temporal(), settings)
            await stop.wait()
            sequencer.cancel()
            log.info("worker stopping: finishing running activities")
    log.info("worker stopped")


async def schedule_checkpoints(client: Client, settings: Settings) -> None:
    """Start the checkpoint workflow unless it runs, and give it the configured interval (signal-with-start)."""
    every = settings.checkpoint_every_minutes
    try:
        await client.start_workflow(
            CheckpointWorkflow.run,
            CheckpointSchedule(every_minutes=every),
            id=checkpoint_workflow_id(settings.task_queue),
            task_queue=settings.task_queue,
            start_signal="reschedule",
            start_signal_args=[Reschedule(every_minutes=every)],
        )
    except RPCError as error:  # the cases still work; the log says checkpoints do not
        log.error(
            "checkpoints not scheduled", error=str(error), workflow_id=checkpoint_workflow_id(settings.task_queue)
        )
        return
    log.info("checkpoints scheduled", every_minutes=every, witness=settings.checkpoint_witness_email)


def main() -> None:
    """Entry point: ``python worker.py``."""
    settings = load_settings()
    configure_logging(settings.log_format)

    async def _main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await run(settings, stop)

    asyncio.run(_main())


if __name__ == "__main__":
    main()
