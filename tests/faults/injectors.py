"""The faults: what is killed (always with SIGKILL), and when the part counts as back."""

from __future__ import annotations

import subprocess
import sys
import time

from tests.faults.processes import postmaster_pid
from tests.faults.scenario import Inject, Letters
from tests.faults.stack import ROOT, LocalStack


def kill_parts(*names: str) -> Inject:
    """Kill the parts ``names`` at once (``workers``: every worker); back when all serve again."""

    def inject(stack: LocalStack, _: Letters) -> tuple[float, float]:
        parts = [n for name in names for n in (stack.worker_names() if name == "workers" else [name])]
        stack.note_starts()
        pids = {part: stack.kill_part(part) for part in parts}
        killed = time.monotonic()
        return killed, max(stack.wait_back(part, pid) for part, pid in pids.items())

    return inject


def kill_postgres_as_a_letter_arrives() -> Inject:
    """Kill PostgreSQL the instant the mail sink creates a letter's file, before it answers "250": the
    delivery then holds a letter the server accepted that it cannot record yet (a watcher process of
    its own does the kill, so that nothing in this one delays it)."""

    def inject(stack: LocalStack, _: Letters) -> tuple[float, float]:
        pid = postmaster_pid(stack.data / "postgres")
        assert pid is not None, "PostgreSQL is not running"
        watcher = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.watch", str(stack.mail), str(pid)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert watcher.stdout is not None and watcher.stdout.readline().strip() == "watching"
        killed = float(watcher.stdout.readline())
        assert watcher.wait(10) == 0
        return killed, stack.wait_back("postgres", pid)

    return inject


def kill_everything(stack: LocalStack, _: Letters) -> tuple[float, float]:
    """Kill the supervisor, every part and PostgreSQL; start the stack again (as `make run` would be)."""
    stack.kill_everything()
    killed = time.monotonic()
    return killed, stack.start()
