"""The local stack of ``make run`` (``inspections run``) as the fault suite drives it: start it, find and
kill its parts, see them back, kill all of it and start it again."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from store.embedded import free_port
from tests.faults.processes import gone, kill, postmaster_pid

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "admin-password-1"


def port_open(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:``port``."""
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class LocalStack:
    """One ``inspections run --no-demo`` on free ports, its state in ``data``."""

    data: Path
    workers: int = 1
    ports: dict[str, int] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    starts: dict[str, int] = field(default_factory=dict)
    """Lines "worker started" / "delivery started" per log, counted before a fault (see :meth:`note_starts`)."""

    def __post_init__(self) -> None:
        names = ("HTTP", "TEMPORAL", "TEMPORAL_UI", "POSTGRES", "SMTP", "WORKER_METRICS")
        self.ports = self.ports or {name: free_port() for name in names}

    @property
    def url(self) -> str:
        """The web app's address."""
        return f"http://127.0.0.1:{self.ports['HTTP']}"

    @property
    def mail(self) -> Path:
        """The mail sink's folder."""
        return self.data / "mail"

    def env(self) -> dict[str, str]:
        """The environment of ``inspections`` commands against this stack."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTIONS_")}
        return {
            **env,
            "INSPECTIONS_DATA_DIR": str(self.data),
            "INSPECTIONS_ADMIN_PASSWORD": PASSWORD,
            "INSPECTIONS_WORKERS": str(self.workers),
            **{f"INSPECTIONS_{name}_PORT": str(port) for name, port in self.ports.items()},
        }

    def start(self, timeout: float = 180) -> float:
        """Start the stack and wait until /healthz is ok; when it became healthy (monotonic)."""
        self.data.mkdir(parents=True, exist_ok=True)
        log = (self.data.parent / "stack.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "admin.cli", "run", "--no-demo"],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # like a terminal's foreground job: our signals are ours to send
        )
        return self.wait_healthy(timeout)

    def wait_healthy(self, timeout: float = 120) -> float:
        """Wait until /healthz answers ok; the moment it did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None and self.proc.poll() is None, "the stack stopped; see stack.log"
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if json.load(answer).get("status") == "ok":
                        return time.monotonic()
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the stack did not become healthy within {timeout} s; see {self.data.parent}/stack.log")

    def parts(self) -> dict[str, dict[str, object]]:
        """stack-parts.json: each part's pid, state, restarts and last exit."""
        for _ in range(50):  # replaced atomically, but it may be missing for an instant at the start
            try:
                return json.loads((self.data / "stack-parts.json").read_text())["parts"]
            except (OSError, ValueError):
                time.sleep(0.02)
        raise AssertionError("no stack-parts.json")

    def pid(self, part: str) -> int:
        """The pid of ``part`` as the supervisor knows it."""
        pid = self.parts()[part]["pid"]
        assert isinstance(pid, int), f"{part} has no pid"
        return pid

    def worker_names(self) -> list[str]:
        """The workers' part names."""
        return [name for name in self.parts() if name.startswith("worker")]

    def kill_part(self, part: str) -> int:
        """SIGKILL ``part``; its pid."""
        pid = postmaster_pid(self.data / "postgres") if part == "postgres" else self.pid(part)
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        return pid

    def wait_back(self, part: str, old_pid: int, timeout: float = 60) -> float:
        """Wait until the supervisor has ``part`` running again and it serves; the moment it did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self.parts().get(part, {})
            if info.get("state") == "running" and info.get("pid") not in (None, old_pid) and self._serves(part):
                return time.monotonic()
            assert info.get("state") != "gave-up", f"the supervisor gave up on {part}: {info}"
            time.sleep(0.02)
        raise AssertionError(f"{part} was not back within {timeout} s: {self.parts().get(part)}")

    def _serves(self, part: str) -> bool:
        if part == "web":
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):
                    return True
            except urllib.error.HTTPError:
                return True  # it answers (503 while it is still connecting is an answer)
            except OSError:
                return False
        port = {"temporal": "TEMPORAL", "mail-sink": "SMTP"}.get(part)
        if port is not None:
            return port_open(self.ports[port])
        if part.startswith(("worker", "delivery")):
            return self._started_lines(part) > self.starts.get(part, 0)
        return True

    def _started_lines(self, part: str) -> int:
        line = "delivery started" if part == "delivery" else "worker started"
        return (self.data / "logs" / f"{part}.log").read_text(errors="replace").count(line)

    def note_starts(self) -> None:
        """Count the "… started" lines of the workers and the delivery so far (a restarted one adds one
        once it is connected)."""
        for name in [*self.worker_names(), "delivery"]:
            self.starts[name] = self._started_lines(name)

    def kill_everything(self) -> None:
        """SIGKILL the supervisor, every part and PostgreSQL, and wait until all are gone."""
        assert self.proc is not None
        pids = [int(p["pid"]) for p in self.parts().values() if isinstance(p.get("pid"), int)]
        self.proc.kill()
        self.proc.wait()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
        for pid in pids:
            try:  # our child now (the supervisor's orphans come to this process when it adopts them)
                os.waitpid(pid, 0)
            except ChildProcessError:
                gone(pid, timeout=30)

    def stop(self) -> int:
        """Ctrl-C (SIGINT) and wait; the supervisor's exit code."""
        if self.proc is None or self.proc.poll() is not None:
            pid = postmaster_pid(self.data / "postgres")
            if pid is not None:
                kill(pid)
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(90)

    def inspections(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run an ``inspections`` command against this stack."""
        command = [sys.executable, "-m", "admin.cli", *args]
        return subprocess.run(command, cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=timeout)
