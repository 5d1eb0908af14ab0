"""The faults: what is killed (always with SIGKILL), and when the part counts as back."""

from __future__ import annotations

import threading
import time

from tests.faults.processes import postmaster_pid
from tests.faults.scenario import Inject, Letters
from tests.faults.stack import LocalStack


def kill_parts(*names: str) -> Inject:
    """Kill the parts ``names`` at once (``workers``: every worker); back when all serve again."""

    def inject(stack: LocalStack, _: Letters) -> tuple[float, float]:
        parts = [n for name in names for n in (stack.worker_names() if name == "workers" else [name])]
        stack.note_worker_starts()
        pids = {part: stack.kill_part(part) for part in parts}
        killed = time.monotonic()
        return killed, max(stack.wait_back(part, pid) for part, pid in pids.items())

    return inject


def kill_postgres_as_a_letter_arrives() -> Inject:
    """Kill PostgreSQL the instant the mail sink creates a letter's file, before it answers "250": the
    delivery then holds a letter the server accepted that it cannot record yet."""

    def inject(stack: LocalStack, letters: Letters) -> tuple[float, float]:
        killed: list[tuple[float, int]] = []
        fired = threading.Event()

        def now() -> None:
            pid = postmaster_pid(stack.data / "postgres")
            if pid is not None:
                killed.append((time.monotonic(), stack.kill_part("postgres")))
            fired.set()

        letters.on_letter = now
        assert fired.wait(120), "no letter was sent"
        assert killed, "PostgreSQL was not running when the letter came"
        at, pid = killed[0]
        return at, stack.wait_back("postgres", pid)

    return inject


def kill_everything(stack: LocalStack, _: Letters) -> tuple[float, float]:
    """Kill the supervisor, every part and PostgreSQL; start the stack again (as `make run` would be)."""
    stack.kill_everything()
    killed = time.monotonic()
    return killed, stack.start()
