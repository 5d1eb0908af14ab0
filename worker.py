"""The composition root of the background processes: configuration → connections → worker.

``python worker.py`` (or ``inspections worker``) connects to PostgreSQL and Temporal,
applies pending migrations, and runs the case workflows and their activities until
SIGTERM or SIGINT. On a stop signal the worker stops polling, lets running activities
finish (up to the graceful timeout) and exits; anything unfinished is retried by another
worker, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

import asyncpg
import structlog
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from activities.audit import AuditActivities
from runtime.config import Settings, load_settings
from runtime.logging import configure_logging
from store.events import EventStore
from store.migrate import migrate
from workflows.case import InspectionCaseWorkflow
from workflows.round import ResponseRoundWorkflow

log = structlog.get_logger(__name__)

WORKFLOWS = [InspectionCaseWorkflow, ResponseRoundWorkflow]


async def connect_temporal(settings: Settings, metrics_port: int | None = None) -> Client:
    """A Temporal client that speaks pydantic models; with ``metrics_port``, the SDK's Prometheus metrics."""
    runtime = None
    if metrics_port:
        runtime = Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=f"127.0.0.1:{metrics_port}")))
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        runtime=runtime,
    )


def build_worker(client: Client, pool: asyncpg.Pool, task_queue: str) -> Worker:
    """The worker with every workflow and activity of the system."""
    audit = AuditActivities(EventStore(pool))
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[audit.record_events],
        graceful_shutdown_timeout=timedelta(seconds=30),
    )


async def run(settings: Settings, stop: asyncio.Event) -> None:
    """Run a worker until ``stop`` is set."""
    await migrate(settings.owner_database_url(), settings.app_database_url())
    pool = await asyncpg.create_pool(settings.app_database_url(), min_size=1, max_size=10)
    try:
        client = await connect_temporal(settings, settings.worker_metrics_port)
        worker = build_worker(client, pool, settings.task_queue)
        log.info(
            "worker started",
            task_queue=settings.task_queue,
            temporal=settings.temporal_address,
            metrics_port=settings.worker_metrics_port,
        )
        async with worker:
            await stop.wait()
            log.info("worker stopping: finishing running activities")
    finally:
        await pool.close()
    log.info("worker stopped")


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
