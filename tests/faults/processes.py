"""Processes of the fault suite: find a part's pid, kill it, wait until it is gone."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from runtime.supervisor import process_alive


def postmaster_pid(data_dir: Path) -> int | None:
    """The pid of the PostgreSQL server of ``data_dir`` (its postmaster.pid), when it runs."""
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if process_alive(pid, "postgres") else None


def gone(pid: int, timeout: float) -> None:
    """Wait until ``pid`` has ended (a zombie counts as ended)."""
    deadline = time.monotonic() + timeout
    while process_alive(pid):
        if time.monotonic() > deadline:
            raise TimeoutError(f"process {pid} still runs after {timeout} s")
        time.sleep(0.01)


def kill(pid: int, timeout: float = 10) -> None:
    """SIGKILL ``pid`` and wait until it is gone, reaping it when it is our child (or adopted: see
    ``runtime.supervisor.become_subreaper``) — a zombie postmaster would keep PostgreSQL from starting."""
    os.kill(pid, signal.SIGKILL)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        gone(pid, timeout)
