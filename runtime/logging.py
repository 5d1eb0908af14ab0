"""structlog for every process: JSON lines in production, readable lines in a terminal.

The standard library's loggers (the Temporal SDK's workflow and activity loggers among
them) go through the same processors, so their lines carry the same fields; the SDK's
``temporal_workflow`` / ``temporal_activity`` context is lifted into ``workflow_id``,
``run_id`` and ``case_id`` keys.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog
from temporalio import activity as temporal_activity
from temporalio import workflow as temporal_workflow


def _lift_temporal_context(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    record = event.get("_record")
    for attr in ("temporal_workflow", "temporal_activity"):
        context = getattr(record, attr, None) if record is not None else event.get(attr)
        if isinstance(context, dict):
            event.setdefault("workflow_id", context.get("workflow_id"))
            event.setdefault("run_id", context.get("run_id") or context.get("workflow_run_id"))
            event.pop(attr, None)
    case_id = getattr(record, "case_id", None) if record is not None else None
    if case_id:
        event.setdefault("case_id", case_id)
    return event


def configure_logging(log_format: str = "console", level: int = logging.INFO) -> None:
    """Configure structlog and the standard library's logging once, at process start."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    # plain tracebacks: rich's, with every frame's locals, take seconds to render in the event loop, stalling a
    # worker's running workflow tasks while the database is down and every failed attempt logs one (issue 19)
    console = structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
    renderer: Any = structlog.processors.JSONRenderer() if log_format == "json" else console
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, _lift_temporal_context],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # the SDK's loggers put workflow/activity info into the record; it becomes fields, not message text
    temporal_activity.logger.activity_info_on_message = False
    temporal_workflow.logger.workflow_info_on_message = False
