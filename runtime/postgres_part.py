"""The embedded PostgreSQL server as a part of the local stack that the supervisor watches and restarts."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from runtime.supervisor import Part, process_alive
from store.embedded import EmbeddedPostgres, EmbeddedPostgresError


class PostgresPart(Part):
    """The embedded PostgreSQL server as a supervised part (a daemon: watched through its pid file)."""

    def __init__(self, server: EmbeddedPostgres) -> None:
        super().__init__("postgres")
        self.server = server
        self.log_path = server.log_file

    def start(self) -> None:
        """Start the server (crash recovery included) and wait until it accepts connections.

        After a kill the old server may linger a moment as a zombie (until its parent reaps it), and its
        sessions may hold its shared memory until they notice: PostgreSQL refuses to start until both
        are gone, so this waits for that, up to 30 s.
        """
        deadline = time.monotonic() + 30
        while (pid := self.pid()) is not None and not process_alive(pid) and Path(f"/proc/{pid}").exists():
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)  # a zombie: reaped within a second or two
        while True:
            try:
                self.server.start()
                return
            except EmbeddedPostgresError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def pid(self) -> int | None:
        """The postmaster's pid, from ``postmaster.pid``."""
        try:
            return int((self.server.data_dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def alive(self) -> bool:
        """Whether the postmaster runs."""
        pid = self.pid()
        return pid is not None and process_alive(pid, "postgres")

    def how_it_ended(self) -> str:
        """The server's end is not ours to see: its log says more."""
        return "the server process is gone"

    def terminate(self) -> None:
        """Fast shutdown (open sessions are ended), with a second Ctrl-C unable to interrupt pg_ctl."""
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by pg_ctl
        try:
            self.server.stop()
        finally:
            signal.signal(signal.SIGINT, previous)
