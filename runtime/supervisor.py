"""The local stack's supervision: a part that stops is started again; the others keep serving.

A part that exits is restarted after 0.2 s, then after twice the last pause for each quick exit in
a row (up to 5 s). A part gives up only on a crash loop: :data:`GIVE_UP_AFTER` exits in a row, each
within :data:`QUICK_EXIT` seconds of its start and while every part it needs was up; the supervisor
then says which part, how it ended and the end of its log, and keeps the rest running. An exit while
a part it needs is down (the worker while PostgreSQL restarts) never counts toward that, and such a
part is started again as soon as what it needs is back. The state of every part is written to
``<data dir>/stack-parts.json`` (pid, state, restarts, last exit) for operators and the fault suite.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

FIRST_PAUSE = 0.2
MAX_PAUSE = 5.0
QUICK_EXIT = 15.0
"""Seconds: a part that stops sooner than this after its start crashed while starting."""
GIVE_UP_AFTER = 8


def _die_with_parent() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def become_subreaper(adopt: bool = True) -> None:
    """Adopt orphaned descendants (PostgreSQL's server, once pg_ctl has left), so we can reap them.

    Without it a killed server can linger as a zombie where the init process is slow to reap, and
    PostgreSQL refuses to start while the pid in its lock file still exists. ``adopt=False`` ends it.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(36, int(adopt))  # PR_SET_CHILD_SUBREAPER


def reap_orphans(keep: set[int]) -> None:
    """Collect the exit status of adopted children that have ended (not those in ``keep``: Popen's own)."""
    me = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in keep:
            continue
        with contextlib.suppress(OSError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if fields[0] == "Z" and fields[1] == me:
                os.waitpid(int(entry.name), os.WNOHANG)


def process_alive(pid: int, name: str | None = None) -> bool:
    """Whether ``pid`` runs (a zombie does not), and is called ``name`` when one is given."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    comm, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 1 :].split()
    return rest[0] not in ("Z", "X") and (name is None or comm == name)


class Part:
    """One supervised part: how to start it, whether it runs, how to stop it. Subclasses say how."""

    def __init__(self, name: str, needs: tuple[str, ...] = ()) -> None:
        self.name = name
        self.needs = needs
        self.state = "new"  # new, running, waiting (to be restarted), gave-up, stopped
        self.restarts = 0
        self.quick_exits = 0
        self.started_at = 0.0
        self.restart_at = 0.0
        self.last_exit = ""
        self.log_path: Path | None = None

    def start(self) -> None:
        """Start the part (raise when it cannot)."""
        raise NotImplementedError

    def alive(self) -> bool:
        """Whether the part still runs."""
        raise NotImplementedError

    def pid(self) -> int | None:
        """Its process id, when it has one."""
        raise NotImplementedError

    def how_it_ended(self) -> str:
        """How the part last stopped (exit code, signal)."""
        return "stopped"

    def terminate(self) -> None:
        """Ask the part to stop."""

    def kill(self) -> None:
        """Stop the part at once."""


class ChildPart(Part):
    """A child process, its output appended to ``log_path``; it dies with the supervisor (PDEATHSIG)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_path: Path, needs: tuple[str, ...] = ()):
        super().__init__(name, needs)
        self.argv, self.env, self.log_path = argv, env, log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Spawn the process in its own session (a terminal's Ctrl-C reaches only the supervisor)."""
        assert self.log_path is not None
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
                start_new_session=True,
            )

    def alive(self) -> bool:
        """Whether the process has not exited."""
        return self.proc is not None and self.proc.poll() is None

    def pid(self) -> int | None:
        """The process id."""
        return self.proc.pid if self.proc else None

    def how_it_ended(self) -> str:
        """``exit 1`` or ``killed by SIGKILL``."""
        code = self.proc.returncode if self.proc else None
        if code is not None and code < 0:
            return f"killed by {signal.Signals(-code).name}"
        return f"exit {code}"

    def terminate(self) -> None:
        """SIGTERM."""
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)  # type: ignore[union-attr]

    def kill(self) -> None:
        """SIGKILL, and wait for it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Supervisor:
    """Starts parts, restarts them when they stop, and records their state in ``status_file``."""

    def __init__(
        self,
        status_file: Path,
        say: Callable[[str], None],
        first_pause: float = FIRST_PAUSE,
        max_pause: float = MAX_PAUSE,
    ) -> None:
        self.status_file = status_file
        self.say = say
        self.first_pause, self.max_pause = first_pause, max_pause
        self.parts: dict[str, Part] = {}

    def add(self, part: Part) -> None:
        """Start ``part`` and supervise it from now on."""
        self.parts[part.name] = part
        part.start()
        part.state, part.started_at = "running", time.monotonic()
        self.write_status()

    def up(self, name: str) -> bool:
        """Whether the part ``name`` runs (an unknown name is taken as up)."""
        part = self.parts.get(name)
        return part is None or (part.state == "running" and part.alive())

    def gave_up(self) -> list[Part]:
        """The parts the supervisor stopped restarting."""
        return [p for p in self.parts.values() if p.state == "gave-up"]

    def tick(self) -> None:
        """Notice parts that stopped and start again those whose pause is over."""
        now, changed = time.monotonic(), False
        reap_orphans({p.proc.pid for p in self.parts.values() if isinstance(p, ChildPart) and p.proc})
        for part in self.parts.values():
            if part.state == "running" and not part.alive():
                self._stopped(part, now, part.how_it_ended())
                changed = True
            elif part.state == "waiting" and now >= part.restart_at:
                if not all(self.up(n) for n in part.needs):
                    continue  # started the moment what it needs is back
                changed = True
                try:
                    part.start()
                except Exception as error:  # e.g. PostgreSQL's shared memory still held by its old sessions
                    part.started_at = now
                    self._stopped(part, now, f"could not start: {error}")
                    continue
                part.state, part.started_at, part.restarts = "running", time.monotonic(), part.restarts + 1
                self.say(f"{part.name} started again (pid {part.pid()}, restart {part.restarts}).")
        if changed:
            self.write_status()

    def _stopped(self, part: Part, now: float, how: str) -> None:
        part.last_exit = how
        needs_were_up = all(self.up(n) and self.parts[n].started_at <= part.started_at for n in part.needs)
        if now - part.started_at >= QUICK_EXIT:
            part.quick_exits = 0
        elif needs_were_up:
            part.quick_exits += 1
        if part.quick_exits >= GIVE_UP_AFTER:
            part.state = "gave-up"
            self.say(
                f"{part.name} keeps stopping ({part.quick_exits} times in a row within {QUICK_EXIT:.0f} s of "
                f"starting; last: {part.last_exit}); it is not started again. The other parts keep running. "
                f"End of {part.log_path}:\n{tail(part.log_path)}"
            )
            return
        pause = min(self.first_pause * 2**part.quick_exits, self.max_pause)
        part.state, part.restart_at = "waiting", now + pause
        self.say(f"{part.name} stopped ({part.last_exit}); starting it again in {pause:.1f} s.")

    def stop(self, groups: list[list[str]], timeout: float, hurry: Callable[[], bool]) -> None:
        """Stop the parts group by group (each given ``timeout`` s); when ``hurry()`` turns true, kill the rest."""
        for group in groups:
            parts = [self.parts[n] for n in group if n in self.parts]
            for part in parts:
                if part.state == "running" or part.alive():
                    part.terminate()
                part.state = "stopped"
            deadline = time.monotonic() + timeout
            while any(p.alive() for p in parts) and time.monotonic() < deadline and not hurry():
                time.sleep(0.05)
            for part in parts:
                part.kill()
        self.write_status()

    def write_status(self) -> None:
        """``stack-parts.json``: every part's pid, state, restarts and last exit (replaced atomically)."""
        parts = {
            p.name: {"pid": p.pid(), "state": p.state, "restarts": p.restarts, "last_exit": p.last_exit}
            for p in self.parts.values()
        }
        temporary = self.status_file.with_suffix(".tmp")
        temporary.write_text(json.dumps({"parts": parts}, indent=2))
        temporary.replace(self.status_file)


def tail(path: Path | None, lines: int = 12) -> str:
    """The last ``lines`` lines of a log file, indented."""
    if path is None:
        return "  (no log)"
    try:
        text = path.read_bytes()[-8000:].decode(errors="replace")
    except OSError:
        return f"  (no log at {path})"
    return "\n".join("  " + line for line in text.splitlines()[-lines:])
