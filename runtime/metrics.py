"""Prometheus metrics of the system: commands by outcome, notices by status, open and overdue cases.

The web app serves them on ``/metrics``; gauges read from the database are refreshed at each
scrape. The worker serves the Temporal SDK's own runtime metrics on its own port (see worker.py).
"""

from __future__ import annotations

import asyncpg
from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

REGISTRY = CollectorRegistry()
COMMANDS = Counter(
    "inspections_commands_total",
    "Commands received, by command and outcome (accepted, refused code)",
    ["command", "outcome"],
    registry=REGISTRY,
)
NOTICES = Gauge("inspections_notices", "Notices in the outbox, by status", ["status"], registry=REGISTRY)
CASES = Gauge("inspections_cases", "Cases by kind: open, overdue, ended", ["kind"], registry=REGISTRY)


async def render(pool: asyncpg.Pool) -> bytes:
    """The metrics in Prometheus' text format, with the database gauges refreshed."""
    from store import cases, notices

    for kind, count in (await cases.counts(pool)).items():
        CASES.labels(kind).set(count)
    counts = await notices.count_by_status(pool)
    for status in ("pending", "sent", "failed"):
        NOTICES.labels(status).set(counts.get(status, 0))
    return generate_latest(REGISTRY)
