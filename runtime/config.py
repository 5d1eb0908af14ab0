"""Configuration from the environment, with defaults for the local stack of ``make run``.

Every setting is an ``INSPECTIONS_*`` environment variable. When the database URLs are not
set, the URLs the local stack wrote to ``<data dir>/stack.json`` are used, so the CLI works
against a running ``make run`` with no flags.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from domain.deadlines import DeadlinePolicy
from domain.disposal import DisposalRule, DisposalRuleError, parse_rules


class ConfigError(Exception):
    """A setting is missing or wrong; the message says which and what to do."""


class Settings(BaseModel):
    """All settings of one process."""

    model_config = ConfigDict(frozen=True)

    data_dir: Path = Path(".data")
    database_url: str | None = None
    """The application's role: may insert and read events, never change them."""
    database_owner_url: str | None = None
    """The role that owns the schema and runs migrations (defaults to database_url)."""
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = "inspections"
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    log_format: str = "console"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_security: str = "none"
    """none, starttls or tls."""
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_sender: str = "Skolinspektionen <noreply@skolinspektionen.example>"
    inspectorate_email: str = "arenden@skolinspektionen.example"
    """The inspectorate's case team: overdue notices and receipts go here."""
    notice_max_attempts: int = 8
    admin_password: str | None = None
    """The first administrator's password; generated into <data dir>/admin-password when unset."""
    secret_key: str | None = None
    worker_metrics_port: int | None = None
    """Where a worker serves the Temporal SDK's Prometheus metrics (none when unset)."""
    reminder_days: str = "30,7"
    """Days before the due date on which the organiser is reminded (comma-separated)."""
    overdue_every_days: int = 30
    """While an account is overdue, the inspectorate is reminded this often."""
    max_cached_workflows: int = 1000
    """Case workflows a worker keeps in memory (one per open case); an evicted case is replayed from history."""
    max_concurrent_workflow_tasks: int = 100
    """Workflow tasks a worker runs at once."""
    max_concurrent_activities: int = 100
    """Activities (event recording) a worker runs at once; keep at most the database pool's size times a few."""
    seal_p12: Path | None = None
    """The organisation seal (PKCS#12) that seals decision PDFs; unset: the development seal in <data dir>/secrets."""
    seal_p12_password_file: Path | None = None
    """The file holding the seal's PKCS#12 password (required with seal_p12)."""
    payload_keys_file: Path | None = None
    metrics_token: str | None = None
    """Lets a caller that is not on the loopback interface read /metrics (Authorization: Bearer <token>)."""
    temporal_ui_origins: str = "http://127.0.0.1:8233,http://localhost:8233"
    """The Temporal UI's origins (comma-separated), allowed to call the codec endpoint /codec/decode."""
    """The Temporal payload keys (JSON); default <data dir>/secrets/payload-keys.json, which `make run` generates."""
    checkpoint_key_file: Path | None = None
    """The Ed25519 key signing log checkpoints; default <data dir>/secrets/checkpoint-key (`make run` makes it)."""
    checkpoint_dir: Path | None = None
    """Where each signed checkpoint is also written, out of the database's reach; default <data dir>/checkpoints."""
    checkpoint_witness_email: str | None = None
    """Where each new signed checkpoint is mailed (the registry, a witness); unset: mailed nowhere."""
    checkpoint_every_minutes: float = 10.0
    """How often the worker makes a checkpoint (a new one is signed only when events came since)."""
    disposal_rules: str = "attachment=2y"
    """Disposal (gallring) rules: document type=retention after the case ended (y, m, d), by commas; "none": none."""

    @property
    def mail_dir(self) -> Path:
        """Where the local mail sink keeps the messages it receives."""
        return self.data_dir / "mail"

    @property
    def payload_keys_path(self) -> Path:
        """Where the keys that encrypt and authenticate Temporal payloads are kept."""
        return self.payload_keys_file or self.data_dir / "secrets" / "payload-keys.json"

    @property
    def checkpoint_key_path(self) -> Path:
        """Where the key that signs the log's checkpoints is kept."""
        return self.checkpoint_key_file or self.data_dir / "secrets" / "checkpoint-key"

    @property
    def checkpoint_out_dir(self) -> Path:
        """Where signed checkpoints are sent out to (a folder the database's owner cannot change)."""
        return self.checkpoint_dir or self.data_dir / "checkpoints"

    @property
    def stack_file(self) -> Path:
        """Where the local stack records the addresses it started."""
        return self.data_dir / "stack.json"

    @property
    def secrets_dir(self) -> Path:
        """Where generated secrets are kept (0700; files 0600), e.g. the development seal."""
        return self.data_dir / "secrets"

    def seal_p12_files(self) -> tuple[Path, Path] | None:
        """The configured seal's PKCS#12 file and password file; None: use the development seal."""
        if self.seal_p12 is None:
            return None
        if self.seal_p12_password_file is None:
            raise ConfigError(
                "INSPECTIONS_SEAL_P12 needs INSPECTIONS_SEAL_P12_PASSWORD_FILE: the file with its password."
            )
        return self.seal_p12, self.seal_p12_password_file

    def disposal(self) -> tuple[DisposalRule, ...]:
        """The configured disposal rules (``INSPECTIONS_DISPOSAL_RULES``); ConfigError naming a bad one."""
        if self.disposal_rules.strip().lower() == "none":
            return ()
        try:
            return parse_rules(self.disposal_rules)
        except DisposalRuleError as error:
            raise ConfigError(f"INSPECTIONS_DISPOSAL_RULES: {error}") from None

    def deadline_policy(self) -> DeadlinePolicy:
        """The reminder offsets and overdue interval new cases get."""
        try:
            offsets = tuple(int(d) for d in self.reminder_days.split(",") if d.strip())
        except ValueError:
            raise ConfigError(
                f"INSPECTIONS_REMINDER_DAYS must be days separated by commas, e.g. 30,7; not {self.reminder_days!r}."
            ) from None
        return DeadlinePolicy(reminder_offsets_days=offsets, overdue_every_days=self.overdue_every_days)

    def app_database_url(self) -> str:
        """The application's database URL, or a ConfigError telling how to get one."""
        if self.database_url:
            return self.database_url
        raise ConfigError(
            "No database is configured: start the local stack with `make run`, "
            "or set INSPECTIONS_DATABASE_URL to a PostgreSQL URL."
        )

    def owner_database_url(self) -> str:
        """The schema owner's URL (falls back to the application's)."""
        return self.database_owner_url or self.app_database_url()


_ENV = {
    "INSPECTIONS_DATA_DIR": "data_dir",
    "INSPECTIONS_DATABASE_URL": "database_url",
    "INSPECTIONS_DATABASE_OWNER_URL": "database_owner_url",
    "INSPECTIONS_TEMPORAL_ADDRESS": "temporal_address",
    "INSPECTIONS_TEMPORAL_NAMESPACE": "temporal_namespace",
    "INSPECTIONS_TASK_QUEUE": "task_queue",
    "INSPECTIONS_HTTP_HOST": "http_host",
    "INSPECTIONS_HTTP_PORT": "http_port",
    "INSPECTIONS_LOG_FORMAT": "log_format",
    "INSPECTIONS_SMTP_HOST": "smtp_host",
    "INSPECTIONS_SMTP_PORT": "smtp_port",
    "INSPECTIONS_SMTP_SECURITY": "smtp_security",
    "INSPECTIONS_SMTP_USERNAME": "smtp_username",
    "INSPECTIONS_SMTP_PASSWORD": "smtp_password",
    "INSPECTIONS_MAIL_SENDER": "mail_sender",
    "INSPECTIONS_INSPECTORATE_EMAIL": "inspectorate_email",
    "INSPECTIONS_NOTICE_MAX_ATTEMPTS": "notice_max_attempts",
    "INSPECTIONS_ADMIN_PASSWORD": "admin_password",
    "INSPECTIONS_SECRET_KEY": "secret_key",
    "INSPECTIONS_WORKER_METRICS_PORT": "worker_metrics_port",
    "INSPECTIONS_REMINDER_DAYS": "reminder_days",
    "INSPECTIONS_OVERDUE_EVERY_DAYS": "overdue_every_days",
    "INSPECTIONS_MAX_CACHED_WORKFLOWS": "max_cached_workflows",
    "INSPECTIONS_MAX_CONCURRENT_WORKFLOW_TASKS": "max_concurrent_workflow_tasks",
    "INSPECTIONS_MAX_CONCURRENT_ACTIVITIES": "max_concurrent_activities",
    "INSPECTIONS_SEAL_P12": "seal_p12",
    "INSPECTIONS_SEAL_P12_PASSWORD_FILE": "seal_p12_password_file",
    "INSPECTIONS_PAYLOAD_KEYS_FILE": "payload_keys_file",
    "INSPECTIONS_METRICS_TOKEN": "metrics_token",
    "INSPECTIONS_TEMPORAL_UI_ORIGINS": "temporal_ui_origins",
    "INSPECTIONS_CHECKPOINT_KEY_FILE": "checkpoint_key_file",
    "INSPECTIONS_CHECKPOINT_DIR": "checkpoint_dir",
    "INSPECTIONS_CHECKPOINT_WITNESS_EMAIL": "checkpoint_witness_email",
    "INSPECTIONS_CHECKPOINT_EVERY_MINUTES": "checkpoint_every_minutes",
    "INSPECTIONS_DISPOSAL_RULES": "disposal_rules",
}


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``env`` (default: the process environment) and the local stack file."""
    env = os.environ if env is None else env
    values: dict[str, object] = {field: env[name] for name, field in _ENV.items() if env.get(name)}
    settings = Settings.model_validate(values)
    if settings.database_url is None and settings.stack_file.exists():
        stack = json.loads(settings.stack_file.read_text())
        settings = settings.model_copy(
            update={
                "database_url": stack.get("database_url"),
                "database_owner_url": settings.database_owner_url or stack.get("database_owner_url"),
                "temporal_address": env.get("INSPECTIONS_TEMPORAL_ADDRESS")
                or stack.get("temporal_address", settings.temporal_address),
            }
        )
    return settings
