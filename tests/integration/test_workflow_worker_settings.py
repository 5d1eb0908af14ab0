"""The worker's cache and concurrency come from INSPECTIONS_* settings."""

from __future__ import annotations

import asyncpg
from temporalio.testing import WorkflowEnvironment

from runtime.config import load_settings
from worker import build_worker


async def test_worker_cache_and_concurrency_are_configured(time_skipping_env: WorkflowEnvironment, pg_urls) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(
        {
            "INSPECTIONS_MAX_CACHED_WORKFLOWS": "7",
            "INSPECTIONS_MAX_CONCURRENT_WORKFLOW_TASKS": "3",
            "INSPECTIONS_MAX_CONCURRENT_ACTIVITIES": "5",
            "INSPECTIONS_DATA_DIR": "/nonexistent",
        }
    )
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=1)
    try:
        config = build_worker(time_skipping_env.client, pool, "settings", settings).config()
    finally:
        await pool.close()
    assert (
        config.get("max_cached_workflows"),
        config.get("max_concurrent_workflow_tasks"),
        config.get("max_concurrent_activities"),
    ) == (7, 3, 5)
    defaults = load_settings({"INSPECTIONS_DATA_DIR": "/nonexistent"})
    assert (defaults.max_cached_workflows, defaults.max_concurrent_activities) == (1000, 100)
