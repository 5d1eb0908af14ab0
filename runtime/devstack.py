"""``make run``: the whole system on this machine, supervised in one foreground command.

Starts, in order: embedded PostgreSQL (data in ``<data dir>/postgres``), the Temporal dev
server (``<data dir>/temporal.db``, UI on :8233), the mail sink (``<data dir>/mail``), the
worker, the notice delivery and the admin web app; writes ``<data dir>/stack.json`` so the
``inspections`` CLI finds them; waits until ``/healthz`` is ok; loads demo data into an empty
store; and stops everything on Ctrl-C. Child processes die with the supervisor, even if it
is killed (PR_SET_PDEATHSIG), so nothing is left running.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pydantic import BaseModel

from runtime.checkpoint_key import ensure_signer
from runtime.config import Settings
from runtime.payload_keys import ensure_keyring
from runtime.private_dir import make_private
from store.embedded import EmbeddedPostgres, PostgresUrls

BIN = Path(sys.executable).parent


class Ports(BaseModel):
    """The ports the stack listens on (all on 127.0.0.1)."""

    http: int = 8080
    temporal: int = 7233
    temporal_ui: int = 8233
    postgres: int = 5433
    smtp: int = 8025
    worker_metrics: int = 9464

    @classmethod
    def from_env(cls) -> Ports:
        """Ports from INSPECTIONS_*_PORT variables, defaults otherwise."""
        names = {
            "http": "HTTP",
            "temporal": "TEMPORAL",
            "temporal_ui": "TEMPORAL_UI",
            "postgres": "POSTGRES",
            "smtp": "SMTP",
            "worker_metrics": "WORKER_METRICS",
        }
        values = {
            k: int(os.environ[f"INSPECTIONS_{v}_PORT"])
            for k, v in names.items()
            if os.environ.get(f"INSPECTIONS_{v}_PORT")
        }
        return cls(**values)


class StackError(Exception):
    """The stack could not start; the message says what to do."""


def _die_with_parent() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    """True when something already listens on ``host:port``."""
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


class Stack:
    """The supervised processes of the local stack."""

    def __init__(self, settings: Settings, ports: Ports) -> None:
        self.settings = settings
        self.ports = ports
        self.data = settings.data_dir.resolve()
        self.logs = self.data / "logs"
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.postgres = EmbeddedPostgres(self.data / "postgres", ports.postgres)
        self.urls: PostgresUrls | None = None

    def check_ports(self) -> None:
        """Refuse to start when a port is taken, naming it and the variable that moves it."""
        names = {
            "http": "HTTP",
            "temporal": "TEMPORAL",
            "temporal_ui": "TEMPORAL_UI",
            "smtp": "SMTP",
            "worker_metrics": "WORKER_METRICS",
        }
        for field, env in names.items():
            port = getattr(self.ports, field)
            if port_taken(port):
                raise StackError(
                    f"Port {port} ({field}) is already in use. Stop what uses it, or choose another "
                    f"port: INSPECTIONS_{env}_PORT=<port> make run"
                )

    def start(self) -> dict[str, str]:
        """Start every part; the environment the children and the CLI use."""
        make_private(self.data)  # .data/ 0700, its files 0600, and a umask the children inherit
        ensure_keyring(self.settings.payload_keys_path.resolve())
        ensure_signer(self.settings.checkpoint_key_path.resolve())  # signs the log's checkpoints (0600)
        self.logs.mkdir(parents=True, exist_ok=True)
        self.check_ports()
        self.postgres.start()
        self.urls = self.postgres.ensure_database("inspections")
        temporal = f"127.0.0.1:{self.ports.temporal}"
        self._spawn(
            "temporal",
            [
                str(BIN / "temporal"),
                "server",
                "start-dev",
                "--db-filename",
                str(self.data / "temporal.db"),
                "--ip",
                "127.0.0.1",
                "--port",
                str(self.ports.temporal),
                "--ui-port",
                str(self.ports.temporal_ui),
                "--ui-codec-endpoint",
                f"http://127.0.0.1:{self.ports.http}/codec",
                "--ui-disable-news-fetch",
                "--log-level",
                "warn",
            ],
            os.environ.copy(),
        )
        self._wait_port("temporal", self.ports.temporal, 60)
        env = {
            **os.environ,
            "INSPECTIONS_DATA_DIR": str(self.data),
            "INSPECTIONS_DATABASE_URL": self.urls.app_url,
            "INSPECTIONS_DATABASE_OWNER_URL": self.urls.owner_url,
            "INSPECTIONS_TEMPORAL_ADDRESS": temporal,
            "INSPECTIONS_SMTP_HOST": "127.0.0.1",
            "INSPECTIONS_SMTP_PORT": str(self.ports.smtp),
            "INSPECTIONS_HTTP_PORT": str(self.ports.http),
            # the log's checkpoints are mailed to "the registry" too, which locally is the mail sink
            "INSPECTIONS_CHECKPOINT_WITNESS_EMAIL": os.environ.get(
                "INSPECTIONS_CHECKPOINT_WITNESS_EMAIL", "registrator@skolinspektionen.example"
            ),
            "INSPECTIONS_WORKER_METRICS_PORT": str(self.ports.worker_metrics),
        }
        (self.data / "stack.json").write_text(
            json.dumps(
                {
                    "database_url": self.urls.app_url,
                    "database_owner_url": self.urls.owner_url,
                    "temporal_address": temporal,
                    "http": f"http://127.0.0.1:{self.ports.http}",
                },
                indent=2,
            )
        )
        (self.data / "stack.json").chmod(0o600)
        inspections = str(BIN / "inspections")
        self._spawn("mail-sink", [inspections, "mail-sink", "--port", str(self.ports.smtp)], env)
        self._spawn("worker", [sys.executable, "-m", "worker"], env)
        self._spawn("delivery", [inspections, "notices", "deliver"], env)
        self._spawn(
            "web",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "admin.app:app_from_env",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.ports.http),
                "--log-level",
                "warning",
            ],
            env,
        )
        self.wait_healthy(90)
        return env

    def wait_healthy(self, timeout: float) -> None:
        """Wait until the web app's /healthz answers ok, or raise naming what failed."""
        deadline, last = time.monotonic() + timeout, "no answer"
        url = f"http://127.0.0.1:{self.ports.http}/healthz"
        while time.monotonic() < deadline:
            self.check_children()
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError as error:
                last = str(error)
            time.sleep(0.5)
        raise StackError(f"The stack did not become healthy within {timeout:.0f} s ({last}); see {self.logs}/.")

    def check_children(self) -> None:
        """Raise when a part has died, naming it and its log."""
        for name, proc in self.children:
            if proc.poll() is not None:
                raise StackError(f"{name} stopped (exit {proc.returncode}); see {self.logs / (name + '.log')}")

    def stop(self) -> None:
        """Stop every part, newest first; kill what does not stop within 20 s."""
        for _, proc in reversed(self.children):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _, proc in reversed(self.children):
            try:
                proc.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.children.clear()
        self.postgres.stop()

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            argv,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
            start_new_session=True,
        )
        self.children.append((name, proc))

    def _wait_port(self, name: str, port: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not port_taken(port):
            self.check_children()
            if time.monotonic() > deadline:
                raise StackError(f"{name} did not open port {port} within {timeout:.0f} s; see {self.logs}/{name}.log")
            time.sleep(0.2)
