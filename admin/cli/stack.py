"""``inspections run`` (the local stack), ``worker`` and ``mail-sink``."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from datetime import UTC, datetime

import typer
from rich.console import Console

from admin.cli.support import connect
from admin.services.demo import DemoUser, load_demo
from documents.dev_seal import CA_FILE
from domain.deadlines import business_date
from notices.sink import serve
from runtime.checkpoint_key import CheckpointKeyError, load_signer, public_key
from runtime.config import Settings, load_settings
from runtime.devstack import Ports, Stack, StackError, workers_from_env

console = Console()


def register(app: typer.Typer) -> None:
    """Add the stack commands to the CLI."""
    app.command("run")(run)
    app.command("worker")(worker)
    app.command("mail-sink")(mail_sink)


def worker() -> None:
    """Run a worker: the case workflows and their activities, until SIGTERM or Ctrl-C."""
    import worker as worker_module

    worker_module.main()


def mail_sink(
    port: int = typer.Option(8025, help="SMTP port to listen on."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
) -> None:
    """Run the local mail sink: every message received is kept as a file under .data/mail/."""
    serve(load_settings().mail_dir, host=host, port=port)


def run(
    demo: bool = typer.Option(True, help="Load demo data into an empty store."),
    workers: int = typer.Option(
        0, min=0, help="Workers sharing the task queue (default: INSPECTIONS_WORKERS, else 1)."
    ),
) -> None:
    """Start the whole system on this machine (PostgreSQL, Temporal, worker, mail, web) until Ctrl-C.

    A part that stops is started again; the others keep serving. Ctrl-C stops everything (a second
    Ctrl-C kills what is still stopping; PostgreSQL is stopped either way).
    """
    kept = ("INSPECTIONS_DATA_DIR", "INSPECTIONS_ADMIN_PASSWORD", "INSPECTIONS_SECRET_KEY", "INSPECTIONS_TASK_QUEUE")
    settings = load_settings({k: os.environ[k] for k in kept if k in os.environ})  # the stack's own addresses
    ports = Ports.from_env()
    try:
        count = workers or workers_from_env()
    except StackError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    stack = Stack(settings, ports, count, say=lambda message: console.print(message, markup=False, highlight=False))
    # Ctrl-C and SIGTERM stop the stack, also when it was started in the background: a shell starts a
    # background job with SIGINT ignored, and Python then leaves it ignored (so `kill -INT` did nothing).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    console.print("Startar den lokala stacken (första gången tar det lite längre) …")
    try:
        env = stack.start()
        logins = asyncio.run(_demo(settings, env)) if demo else []
        _print_addresses(settings, ports, count, logins)
        while True:
            stack.supervise()
            time.sleep(0.2)
    except KeyboardInterrupt:
        console.print("\nStoppar … (Ctrl-C igen dödar det som fortfarande körs)")
    except StackError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    finally:
        _stop(stack)
        console.print("Stoppad. Data finns kvar i " + str(settings.data_dir.resolve()) + "/")


def _stop(stack: Stack) -> None:
    """Stop the stack; another Ctrl-C or SIGTERM meanwhile hurries it on, never cuts it short."""

    def hurry(signum: int, frame: object) -> None:
        if not stack.hurry:
            console.print("Stoppar nu: dödar det som fortfarande körs, sedan PostgreSQL.")
        stack.hurry = True

    signal.signal(signal.SIGINT, hurry)
    signal.signal(signal.SIGTERM, hurry)
    stack.stop()


async def _demo(settings: Settings, env: dict[str, str]) -> list[DemoUser]:
    stack_settings = settings.model_copy(
        update={
            "database_url": env["INSPECTIONS_DATABASE_URL"],
            "temporal_address": env["INSPECTIONS_TEMPORAL_ADDRESS"],
        }
    )
    async with connect(stack_settings, temporal=True) as services:
        return await load_demo(services, settings.data_dir, business_date(datetime.now(UTC)))


def _print_addresses(settings: Settings, ports: Ports, workers: int, logins: list[DemoUser]) -> None:
    data = settings.data_dir.resolve()
    last = ports.worker_metrics + workers - 1
    worker_ports = f"{ports.worker_metrics}" if workers == 1 else f"{{{ports.worker_metrics}..{last}}}"
    console.print(
        f"\n[bold green]Stacken är igång.[/bold green]\n"
        f"  Webbappen       http://127.0.0.1:{ports.http}\n"
        f"  JSON-API        http://127.0.0.1:{ports.http}/docs\n"
        f"  Temporal UI     http://127.0.0.1:{ports.temporal_ui}\n"
        f"  PostgreSQL      127.0.0.1:{ports.postgres}  (inspections db url)\n"
        f"  E-post (lokal)  smtp://127.0.0.1:{ports.smtp}  → {data}/mail/\n"
        f"  Mätvärden       http://127.0.0.1:{ports.http}/metrics, "
        f"http://127.0.0.1:{worker_ports}/metrics (worker{'s' if workers > 1 else ''})\n"
        f"  Loggar          {data}/logs/"
    )
    password_file = data / "admin-password"
    if password_file.exists():
        console.print(f"\n  Administratör   admin / {password_file.read_text().strip()}")
    else:
        console.print("\n  Administratör   admin / (INSPECTIONS_ADMIN_PASSWORD)")
    if logins:
        console.print("  Demoanvändare (finns också i .data/demo-users.txt):")
        for login in logins:
            console.print(f"    {login.username:<22} {login.password:<16} {', '.join(login.roles)}")
    try:
        key = public_key(load_signer(settings.checkpoint_key_path))
        console.print(  # on one line, so that it can be copied whole
            f"\n  Kontrollpunktsnyckel  {key}\n  (publicera den; `inspections audit public-key` skriver ut den igen)",
            soft_wrap=True,
        )
    except CheckpointKeyError as error:
        console.print(f"\n  Kontrollpunktsnyckel  [red]{error}[/red]")
    if settings.seal_p12 is None:
        ca = settings.secrets_dir / CA_FILE
        console.print(f"  Beslutens sigill  utvecklings-CA {ca} (besluts-PDF:erna valideras mot den)", soft_wrap=True)
    console.print("\nCtrl-C stoppar allt; `make run` igen behåller alla ärenden.")
