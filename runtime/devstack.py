"""``make run``: the whole system on this machine, supervised in one foreground command.

Starts, in order: embedded PostgreSQL (data in ``<data dir>/postgres``), the Temporal dev
server (``<data dir>/temporal.db``, UI on :8233), the mail sink (``<data dir>/mail``), the
worker(s) (``INSPECTIONS_WORKERS``, default 1), the notice delivery and the admin web app;
writes ``<data dir>/stack.json`` so the ``inspections`` CLI finds them; waits until ``/healthz``
is ok; and stops everything on Ctrl-C (a second Ctrl-C kills what is still stopping; PostgreSQL
is stopped either way). While it runs, a part that stops is started again (``runtime.supervisor``);
the others keep serving. Child processes die with the supervisor, even if it is killed
(PR_SET_PDEATHSIG); PostgreSQL, a daemon, is taken over again by the next start.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from documents.dev_seal import ensure_dev_seal
from runtime.checkpoint_key import ensure_signer
from runtime.config import Settings
from runtime.payload_keys import ensure_keyring
from runtime.postgres_part import PostgresPart
from runtime.private_dir import make_private
from runtime.supervisor import ChildPart, Supervisor, become_subreaper, tail
from store.embedded import EmbeddedPostgres, EmbeddedPostgresError, PostgresUrls

BIN = Path(sys.executable).parent
PORT_NAMES = {
    "http": "HTTP",
    "temporal": "TEMPORAL",
    "temporal_ui": "TEMPORAL_UI",
    "postgres": "POSTGRES",
    "smtp": "SMTP",
    "worker_metrics": "WORKER_METRICS",
}
STOP_ORDER = [["web"], ["delivery", "mail-sink", "worker*"], ["temporal"], ["postgres"]]
"""The web app first (it drains its requests), PostgreSQL last."""


class Ports(BaseModel):
    """The ports the stack listens on (all on 127.0.0.1); worker n serves its metrics on ``worker_metrics + n - 1``."""

    http: int = 8080
    temporal: int = 7233
    temporal_ui: int = 8233
    postgres: int = 5433
    smtp: int = 8025
    worker_metrics: int = 9464

    @classmethod
    def from_env(cls) -> Ports:
        """Ports from INSPECTIONS_*_PORT variables, defaults otherwise."""
        values = {
            k: int(os.environ[f"INSPECTIONS_{v}_PORT"])
            for k, v in PORT_NAMES.items()
            if os.environ.get(f"INSPECTIONS_{v}_PORT")
        }
        return cls(**values)


class StackError(Exception):
    """The stack could not start; the message says what to do."""


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    """True when something already listens on ``host:port``."""
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def workers_from_env() -> int:
    """How many workers ``make run`` starts: ``INSPECTIONS_WORKERS`` (default 1)."""
    value = os.environ.get("INSPECTIONS_WORKERS", "1")
    if not value.isdigit() or int(value) < 1:
        raise StackError(f"INSPECTIONS_WORKERS must be a whole number of at least 1, not {value!r}.")
    return int(value)


class Stack:
    """The supervised processes of the local stack."""

    def __init__(self, settings: Settings, ports: Ports, workers: int = 1, say: Callable[[str], None] = print) -> None:
        self.settings = settings
        self.ports = ports
        self.workers = workers
        self.data = settings.data_dir.resolve()
        self.logs = self.data / "logs"
        self.postgres = EmbeddedPostgres(self.data / "postgres", ports.postgres)
        self.urls: PostgresUrls | None = None
        self.supervisor = Supervisor(self.data / "stack-parts.json", say)
        self.hurry = False

    def check_ports(self, wait: float = 15.0) -> None:
        """Refuse to start when a port stays taken, naming it and the variable that moves it.

        A port held by the parts of a stack that was just killed frees itself within seconds: waited for.
        """
        fields = [f for f in PORT_NAMES if f not in ("postgres", "worker_metrics")]  # those two cope themselves
        deadline = time.monotonic() + wait
        for field in fields:
            port = getattr(self.ports, field)
            while port_taken(port):
                if time.monotonic() > deadline:
                    raise StackError(
                        f"Port {port} ({field}) is already in use. Stop what uses it, or choose another "
                        f"port: INSPECTIONS_{PORT_NAMES[field]}_PORT=<port> make run"
                    )
                time.sleep(0.2)

    def start(self) -> dict[str, str]:
        """Start every part; the environment the children and the CLI use."""
        make_private(self.data)  # .data/ 0700, its files 0600, and a umask the children inherit
        ensure_keyring(self.settings.payload_keys_path.resolve())
        ensure_signer(self.settings.checkpoint_key_path.resolve())  # signs the log's checkpoints (0600)
        if self.settings.seal_p12 is None:  # the development CA and the seal of decision PDFs (0600), made once
            ensure_dev_seal(self.settings.secrets_dir.resolve())
        self.logs.mkdir(parents=True, exist_ok=True)
        become_subreaper()
        self.check_ports()
        temporal = f"127.0.0.1:{self.ports.temporal}"
        self._child("temporal", [str(BIN / "temporal"), *self._temporal_args()], os.environ.copy(), ())
        try:  # while Temporal starts up
            self.supervisor.add(PostgresPart(self.postgres))
        except EmbeddedPostgresError as error:
            raise StackError(f"PostgreSQL did not start: {error}") from None
        self.urls = self.postgres.ensure_database("inspections")
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
            # the UI (its own origin) calls the web app's codec endpoint: allow its origin, wherever its port is
            "INSPECTIONS_TEMPORAL_UI_ORIGINS": (
                f"http://127.0.0.1:{self.ports.temporal_ui},http://localhost:{self.ports.temporal_ui}"
            ),
            # the log's checkpoints are mailed to "the registry" too, which locally is the mail sink
            "INSPECTIONS_CHECKPOINT_WITNESS_EMAIL": os.environ.get(
                "INSPECTIONS_CHECKPOINT_WITNESS_EMAIL", "registrator@skolinspektionen.example"
            ),
        }
        stack = {
            "database_url": self.urls.app_url,
            "database_owner_url": self.urls.owner_url,
            "temporal_address": temporal,
            "http": f"http://127.0.0.1:{self.ports.http}",
        }
        (self.data / "stack.json").write_text(json.dumps(stack, indent=2))
        (self.data / "stack.json").chmod(0o600)
        both = ("postgres", "temporal")
        sink = [
            sys.executable,
            "-m",
            "notices.sink",
            "--port",
            str(self.ports.smtp),
            "--folder",
            str(self.data / "mail"),
        ]
        self._child("mail-sink", sink, env, ())
        for n in range(1, self.workers + 1):
            metrics = {"INSPECTIONS_WORKER_METRICS_PORT": str(self.ports.worker_metrics + n - 1)}
            self._child(self.worker_name(n), [sys.executable, "-m", "worker"], {**env, **metrics}, both)
        self._child("delivery", [sys.executable, "-m", "runtime.deliver"], env, ("postgres",))
        self._child("web", [sys.executable, "-m", "uvicorn", *self._web_args()], env, both)
        self.wait_healthy(90)
        return env

    def worker_name(self, n: int) -> str:
        """``worker`` for the first worker, ``worker-2`` … for the others (their log files too)."""
        return "worker" if n == 1 else f"worker-{n}"

    def supervise(self) -> None:
        """One round of supervision: restart what stopped (call a few times a second)."""
        self.supervisor.tick()

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
            time.sleep(0.2)
        raise StackError(f"The stack did not become healthy within {timeout:.0f} s ({last}); see {self.logs}/.")

    def check_children(self) -> None:
        """Supervise once; raise when a part gave up while the stack is starting, naming it and its log."""
        self.supervise()
        for part in self.supervisor.gave_up():
            raise StackError(f"{part.name} keeps stopping ({part.last_exit}); {part.log_path}:\n{tail(part.log_path)}")

    def stop(self) -> None:
        """Stop every part, the web app first and PostgreSQL last; after ``hurry`` is set, kill what is left."""
        order = [[n for n in self.supervisor.parts if _matches(n, group)] for group in STOP_ORDER]
        self.supervisor.stop(order, timeout=20, hurry=lambda: self.hurry)
        leftover = PostgresPart(self.postgres)  # e.g. when the start failed after PostgreSQL was up
        if leftover.alive():
            leftover.terminate()

    def _child(self, name: str, argv: list[str], env: dict[str, str], needs: tuple[str, ...]) -> None:
        self.supervisor.add(ChildPart(name, argv, env, self.logs / f"{name}.log", needs))

    def _temporal_args(self) -> list[str]:
        return [
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
        ]

    def _web_args(self) -> list[str]:
        port = str(self.ports.http)
        return ["admin.app:app_from_env", "--factory", "--host", "127.0.0.1", "--port", port, "--log-level", "warning"]

    def _wait_port(self, name: str, port: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not port_taken(port):
            self.check_children()
            if time.monotonic() > deadline:
                raise StackError(f"{name} did not open port {port} within {timeout:.0f} s; see {self.logs}/{name}.log")
            time.sleep(0.2)


def _matches(name: str, group: list[str]) -> bool:
    return any(name == g or (g.endswith("*") and name.startswith(g[:-1])) for g in group)
