"""The notice delivery process: ``python -m runtime.deliver`` (what ``make run`` starts) or
``inspections notices deliver``.

It connects through ``runtime.bootstrap`` and runs ``notices.delivery`` until SIGTERM or SIGINT. It
outlives the database and the mail server: when either is down it tries again within seconds — also
when the database is not up yet at its start (connecting again after 0.5 s, doubling to 5 s).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal

import structlog

from runtime.bootstrap import Unreachable, bootstrap, notice_delivery
from runtime.config import Settings, load_settings
from runtime.logging import configure_logging

log = structlog.get_logger(__name__)


async def serve(settings: Settings, stop: asyncio.Event) -> None:
    """Deliver until ``stop`` is set, connecting again whenever the database cannot be reached."""
    pause = 0.5
    while not stop.is_set():
        try:
            async with bootstrap(settings, temporal=False, pool_size=4) as wiring:
                pause = 0.5
                log.info("delivery started", smtp=f"{settings.smtp_host}:{settings.smtp_port}")
                await notice_delivery(wiring).run(stop)
        except Unreachable as error:  # not up yet, or gone while connecting: wait a little, try again
            log.warning("delivery cannot connect; trying again", error=str(error), pause_seconds=pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
            pause = min(pause * 2, 5.0)


def main() -> None:
    """Entry point: configuration from the environment, structlog, signals, then :func:`serve`."""
    settings = load_settings()
    configure_logging(settings.log_format)

    async def _main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)

    asyncio.run(_main())


if __name__ == "__main__":
    main()
