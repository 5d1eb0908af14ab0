"""The keys that encrypt and authenticate Temporal payloads, kept in one JSON secret file.

The file names the current key (new payloads are encrypted with it) and every key still known
(payloads are decrypted with whichever one they name), so keys can be rotated without losing
the histories of running cases::

    {"current": "k20260501-3f9a1c2e", "keys": {"k20260501-3f9a1c2e": "<32 bytes, base64>", "k20250101-…": "…"}}

``make run`` generates it (0600, in a 0700 folder); a deployment mounts the same file into the
worker, the web app, the delivery and the CLI (``INSPECTIONS_PAYLOAD_KEYS_FILE``).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

KEY_BYTES = 32
"""AES-256."""
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class PayloadKeyError(Exception):
    """The key file is missing or wrong; the message says which and what to do."""


@dataclass(frozen=True)
class PayloadKeyring:
    """The current key's id and every known key (id → 32 raw bytes)."""

    current: str
    keys: Mapping[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise PayloadKeyError(f"the current payload key {self.current!r} is not among the known keys")
        for key_id, key in self.keys.items():
            if not _KEY_ID.match(key_id):
                raise PayloadKeyError(f"payload key id {key_id!r} must be 1-64 letters, digits, '.', '_' or '-'")
            if len(key) != KEY_BYTES:
                raise PayloadKeyError(f"payload key {key_id!r} must be {KEY_BYTES} bytes (AES-256), not {len(key)}")

    @property
    def current_key(self) -> bytes:
        """The key new payloads are encrypted with."""
        return self.keys[self.current]

    def rotated(self) -> PayloadKeyring:
        """A keyring with a fresh current key; the old keys stay known so old payloads still decrypt."""
        key_id = new_key_id()
        return PayloadKeyring(current=key_id, keys={**self.keys, key_id: secrets.token_bytes(KEY_BYTES)})

    def to_json(self) -> str:
        """The file's text."""
        keys = {k: base64.b64encode(v).decode("ascii") for k, v in self.keys.items()}
        return json.dumps({"current": self.current, "keys": keys}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "the payload key file") -> PayloadKeyring:
        """Parse the file's text; PayloadKeyError naming what is wrong."""
        try:
            data = json.loads(text)
            keys = {str(k): base64.b64decode(v, validate=True) for k, v in data["keys"].items()}
            return cls(current=str(data["current"]), keys=keys)
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
            raise PayloadKeyError(
                f'{source} must be JSON {{"current": "<key id>", "keys": {{"<key id>": "<base64 of 32 bytes>"}}}} '
                f"({type(error).__name__}: {error})"
            ) from None


def new_key_id() -> str:
    """A readable, unique key id: the creation date and random hex."""
    return f"k{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"


def generate_keyring() -> PayloadKeyring:
    """A keyring with one fresh random key."""
    key_id = new_key_id()
    return PayloadKeyring(current=key_id, keys={key_id: secrets.token_bytes(KEY_BYTES)})


def load_keyring(path: Path) -> PayloadKeyring:
    """The keyring in ``path``; PayloadKeyError telling how to get one when it is missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PayloadKeyError(
            f"No Temporal payload keys at {path}. Start the local stack with `make run` (it generates them), "
            "or set INSPECTIONS_PAYLOAD_KEYS_FILE to the key file every process of this installation shares."
        ) from None
    return PayloadKeyring.from_json(text, str(path))


def write_keyring(path: Path, keyring: PayloadKeyring) -> None:
    """Write the file atomically, readable by its owner only (0600, its folder 0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.chmod(0o700)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(keyring.to_json())
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def ensure_keyring(path: Path) -> PayloadKeyring:
    """The keyring in ``path``, generated there first when there is none (the local stack)."""
    if not path.exists():
        write_keyring(path, generate_keyring())
    return load_keyring(path)


def rotate_keyring(path: Path) -> PayloadKeyring:
    """Add a fresh key to the file and make it current (restart the processes to use it)."""
    rotated = load_keyring(path).rotated()
    write_keyring(path, rotated)
    return rotated
