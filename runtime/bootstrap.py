"""The one composition root: configuration → PostgreSQL pool → Temporal client, for every process.

The worker (``worker.py``), the web app (``admin.app``), the ``inspections`` CLI and the notice
delivery (``inspections notices deliver``) all connect here, so each connection is made one way:
the Temporal client speaks pydantic models sealed with the installation's payload keys
(``runtime.codec``: AES-256-GCM, so only a process holding the key file can command a case, and
histories hold no plain text) and, when asked for a metrics port, serves the SDK's Prometheus
metrics; the pool is the application role's, or the schema owner's for the few operations that
need it (rebuilding the read model). Nothing connects
at import time; a part that does not answer is reported by name (:class:`Unreachable`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import asyncpg
from temporalio.client import Client
from temporalio.converter import DataConverter
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from activities.checkpoints import CheckpointActivities, Witness
from activities.documents import DocumentActivities
from documents.dev_seal import ensure_dev_seal
from documents.seal import Seal, SealError, SealFiles, load_seal
from notices.delivery import DeliverySettings, NoticeDelivery
from notices.mail import SmtpMailer, SmtpSettings
from runtime.checkpoint_key import load_signer
from runtime.codec import encrypted_data_converter
from runtime.config import ConfigError, Settings
from runtime.payload_keys import PayloadKeyError, PayloadKeyring, load_keyring
from store.migrate import migrate

CONNECT_TIMEOUT = 10.0


class Unreachable(Exception):
    """The database or Temporal did not answer; the message names the part and what to do.

    ``part`` (``"database"`` or ``"temporal"``), ``where`` and ``detail`` let an edge say it in its own words.
    """

    def __init__(self, message: str, part: str = "", where: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.part, self.where, self.detail = part, where, detail


@dataclass(frozen=True)
class Wiring:
    """One process's connections: its settings, a pool and (unless it needs none) a Temporal client."""

    settings: Settings
    pool: asyncpg.Pool
    client: Client | None = None

    def temporal(self) -> Client:
        """The Temporal client; a process that asked for none has a bug, not a configuration problem."""
        if self.client is None:
            raise RuntimeError("this process was bootstrapped without Temporal (bootstrap(..., temporal=True))")
        return self.client


def load_payload_keys(settings: Settings) -> PayloadKeyring:
    """The configured Temporal payload keys; a missing or malformed key file is a :class:`ConfigError`."""
    try:
        return load_keyring(settings.payload_keys_path)
    except PayloadKeyError as error:
        raise ConfigError(str(error)) from None


def data_converter(settings: Settings) -> DataConverter:
    """The converter of every client and worker: pydantic models sealed with the configured payload keys.

    A missing or malformed key file is a configuration problem (:class:`ConfigError`, exit 2 in the CLI).
    """
    return encrypted_data_converter(load_payload_keys(settings))


async def connect_temporal(settings: Settings, metrics_port: int | None = None) -> Client:
    """A Temporal client that speaks sealed pydantic models; with ``metrics_port``, the SDK's Prometheus metrics."""
    converter = data_converter(settings)
    runtime = None
    if metrics_port:
        runtime = Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=f"127.0.0.1:{metrics_port}")))
    try:
        return await Client.connect(
            settings.temporal_address,
            namespace=settings.temporal_namespace,
            data_converter=converter,
            runtime=runtime,
        )
    except RuntimeError as error:  # the SDK's core reports a refused or failed connection so
        raise Unreachable(
            f"Cannot connect to Temporal at {settings.temporal_address} ({error}). Is the stack running (`make run`)?",
            "temporal",
            settings.temporal_address,
            str(error),
        ) from None


_CANNOT_CONNECT = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InvalidAuthorizationSpecificationError,
    asyncpg.InvalidCatalogNameError,
    asyncpg.CannotConnectNowError,
)


def _database_unreachable(url: str, error: BaseException) -> Unreachable:
    where = safe_url(url)
    message = f"Cannot connect to the database at {where}: {error}. Is the stack running (`make run`)?"
    return Unreachable(message, "database", where, str(error))


async def _no_session_state_to_reset(conn: asyncpg.Connection) -> None:
    """The pool's reset after asyncpg's own (which rolls back an open transaction): nothing more.

    asyncpg's default sends ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`` on every
    release, a round trip per use. The application keeps no session state on pooled connections: its
    locks are transaction-level, it declares no cursors outside transactions, it never LISTENs or SETs.
    (Migrations hold a session lock, on a connection of their own.)
    """


async def create_pool(url: str, size: int = 10) -> asyncpg.Pool:
    """A pool on ``url``; :class:`Unreachable` (without the password) when the database does not answer."""
    try:
        return await asyncpg.create_pool(
            url, min_size=1, max_size=size, timeout=CONNECT_TIMEOUT, reset=_no_session_state_to_reset
        )
    except _CANNOT_CONNECT as error:
        raise _database_unreachable(url, error) from None


async def migrate_schema(settings: Settings) -> list[str]:
    """Apply pending migrations as the schema owner and grant the application role its rights."""
    owner_url = settings.owner_database_url()
    try:
        return await migrate(owner_url, settings.app_database_url())
    except _CANNOT_CONNECT as error:
        raise _database_unreachable(owner_url, error) from None


@asynccontextmanager
async def bootstrap(
    settings: Settings,
    *,
    temporal: bool = True,
    migrate_first: bool = False,
    owner: bool = False,
    pool_size: int = 10,
    metrics_port: int | None = None,
) -> AsyncIterator[Wiring]:
    """Connect a process as ``settings`` say; the pool is closed when the block ends.

    ``temporal``: also connect a Temporal client (``metrics_port``: with the SDK's metrics there);
    ``migrate_first``: apply pending migrations before anything else (the worker and the web app);
    ``owner``: the pool is the schema owner's, not the application role's.
    """
    if migrate_first:
        await migrate_schema(settings)
    pool = await create_pool(settings.owner_database_url() if owner else settings.app_database_url(), pool_size)
    try:
        client = await connect_temporal(settings, metrics_port) if temporal else None
        yield Wiring(settings, pool, client)
    finally:
        await pool.close()


def smtp_mailer(settings: Settings) -> SmtpMailer:
    """The SMTP client of the configured mail server (notices and the checkpoints' witness mail)."""
    smtp = SmtpSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,  # type: ignore[arg-type]
        username=settings.smtp_username,
        password=settings.smtp_password,
        sender=settings.mail_sender,
    )
    return SmtpMailer(smtp)


def checkpoint_activities(pool: asyncpg.Pool, settings: Settings) -> CheckpointActivities:
    """The checkpoint activities: the key file (read at each checkpoint), the checkpoint folder, the witness."""
    return CheckpointActivities(
        pool,
        lambda: load_signer(settings.checkpoint_key_path),
        settings.checkpoint_out_dir,
        smtp_mailer(settings),
        Witness(recipient=settings.checkpoint_witness_email, sender=settings.mail_sender),
    )


def seal_files(settings: Settings) -> SealFiles:
    """The organisation seal's files: the configured PKCS#12 (production), else the development seal in the
    secrets folder (made on first use: a development CA, ``dev-seal-ca.pem``, and a seal it issued)."""
    configured = settings.seal_p12_files()
    if configured is not None:
        return SealFiles(*configured)
    return ensure_dev_seal(settings.secrets_dir)


def organisation_seal(settings: Settings) -> Seal:
    """The loaded organisation seal; a missing file or a wrong password is a :class:`ConfigError`."""
    try:
        return load_seal(seal_files(settings))
    except SealError as error:
        raise ConfigError(f"{error}. Check INSPECTIONS_SEAL_P12 and INSPECTIONS_SEAL_P12_PASSWORD_FILE.") from None


def document_activities(pool: asyncpg.Pool, settings: Settings, seal: Seal | None = None) -> DocumentActivities:
    """The document activity (decision PDFs sealed at signing): with ``seal``, or the configured one, loaded
    when the first document is issued."""
    return DocumentActivities(pool, seal if seal is not None else lambda: organisation_seal(settings))


def notice_delivery(wiring: Wiring) -> NoticeDelivery:
    """The outbox delivery process over ``wiring``'s pool, sending by the configured SMTP server."""
    settings = wiring.settings
    return NoticeDelivery(
        wiring.pool,
        smtp_mailer(settings),
        DeliverySettings(
            inspectorate_email=settings.inspectorate_email,
            sender=settings.mail_sender,
            max_attempts=settings.notice_max_attempts,
        ),
    )


def safe_url(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"
