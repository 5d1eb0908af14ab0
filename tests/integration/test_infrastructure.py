"""The test infrastructure itself: embedded PostgreSQL with its two roles, a database per test,
and Temporal's time-skipping test server."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    import asyncpg
    import pytest
    from temporalio.testing import WorkflowEnvironment
    from temporalio.worker import Worker

    from store.embedded import EmbeddedPostgres, EmbeddedPostgresError, PostgresUrls

pytestmark = pytest.mark.integration


@workflow.defn
class SleepHalfAYearWorkflow:
    """Sleeps 180 days and reports how much workflow time passed."""

    @workflow.run
    async def run(self) -> float:
        before = workflow.now()
        await workflow.sleep(timedelta(days=180))
        return (workflow.now() - before).total_seconds()


async def test_server_accepts_both_roles(pg_urls: PostgresUrls) -> None:
    owner = await asyncpg.connect(pg_urls.owner_url)
    app = await asyncpg.connect(pg_urls.app_url)
    try:
        assert await owner.fetchval("SELECT current_user") == "postgres"
        assert await app.fetchval("SELECT current_user") == "inspections"
        assert await app.fetchval("SELECT current_database()") == await owner.fetchval("SELECT current_database()")
        assert await app.fetchval("SELECT current_setting('server_version_num')::int") >= 180000
    finally:
        await owner.close()
        await app.close()


async def test_app_role_has_no_power_over_the_cluster(pg_urls: PostgresUrls) -> None:
    app = await asyncpg.connect(pg_urls.app_url)
    try:
        attributes = await app.fetchrow(
            "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
        assert tuple(attributes) == (False, False, False)
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app.execute(f"CREATE DATABASE x_{uuid.uuid4().hex[:8]}")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app.execute("CREATE TABLE public.sneaky (id int)")  # only the owner creates tables
        assert await app.fetchval("SELECT has_schema_privilege('public', 'USAGE')") is True
    finally:
        await app.close()


async def test_each_test_database_is_isolated(embedded_pg: EmbeddedPostgres, pg_urls: PostgresUrls) -> None:
    other_name = f"t_{uuid.uuid4().hex[:12]}"
    other = embedded_pg.ensure_database(other_name)
    try:
        assert other.app_url != pg_urls.app_url
        first = await asyncpg.connect(pg_urls.owner_url)
        second = await asyncpg.connect(other.owner_url)
        try:
            assert await first.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0
            await first.execute("CREATE TABLE marker (id int)")
            assert await second.fetchval("SELECT to_regclass('public.marker')") is None
            assert await first.fetchval("SELECT to_regclass('public.marker')::text") == "marker"
        finally:
            await first.close()
            await second.close()
    finally:
        embedded_pg.drop_database(other_name)
    assert embedded_pg.ensure_database(other_name) == other  # re-creatable, and ensure is idempotent
    embedded_pg.ensure_database(other_name)
    embedded_pg.drop_database(other_name)


def test_start_is_idempotent_and_a_taken_port_is_named(embedded_pg: EmbeddedPostgres, tmp_path: Path) -> None:
    embedded_pg.start()  # already running: reused
    with pytest.raises(EmbeddedPostgresError, match=str(embedded_pg.port)):
        EmbeddedPostgres(tmp_path / "data", embedded_pg.port).start()
    assert not (tmp_path / "data" / "PG_VERSION").exists()


async def test_time_skipping_server_skips_half_a_year(time_skipping_env: WorkflowEnvironment) -> None:
    queue = f"infra-{uuid.uuid4().hex[:8]}"
    async with Worker(time_skipping_env.client, task_queue=queue, workflows=[SleepHalfAYearWorkflow]):
        elapsed = await time_skipping_env.client.execute_workflow(
            SleepHalfAYearWorkflow.run, id=f"sleep-{uuid.uuid4().hex[:8]}", task_queue=queue
        )
    assert elapsed >= timedelta(days=180).total_seconds()
