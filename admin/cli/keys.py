"""``inspections keys generate|rotate``: the Temporal payload key file every process of an installation shares.

``make run`` makes the local stack's file by itself; a deployment makes one with ``generate`` and
mounts it into the worker, the web app, the delivery and the CLI (``INSPECTIONS_PAYLOAD_KEYS_FILE``).
``rotate`` adds a fresh current key and keeps the old ones, so running cases' histories still open;
restart every process afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from admin.cli.support import EXIT_USAGE, console, fail
from runtime.payload_keys import PayloadKeyError, generate_keyring, rotate_keyring, write_keyring

keys_app = typer.Typer(help="Temporal payload keys: generate a key file, rotate its current key.", no_args_is_help=True)


@keys_app.command("generate")
def generate(out: Annotated[Path, typer.Option("--out", help="The key file to write (0600).")]) -> None:
    """Write a new key file with one fresh AES-256 key; refuses to overwrite an existing one."""
    if out.exists():
        fail(f"{out} finns redan; lägg till en nyckel i den med `inspections keys rotate {out}`.", EXIT_USAGE)
    keyring = generate_keyring()
    write_keyring(out, keyring)
    console.print(
        f"Skrev {out} (aktuell nyckel {keyring.current}). Håll filen hemlig och gör den tillgänglig för varje process."
    )


@keys_app.command("rotate")
def rotate(path: Annotated[Path, typer.Argument(help="The key file to rotate.")]) -> None:
    """Make a fresh key current; the old keys stay, so payloads sealed with them still open."""
    try:
        keyring = rotate_keyring(path)
    except PayloadKeyError as error:
        fail(f"Nyckelfilen går inte att använda: {error}", EXIT_USAGE)
    console.print(
        f"{path}: aktuell nyckel är nu {keyring.current} ({len(keyring.keys)} nycklar). Starta om varje process."
    )
