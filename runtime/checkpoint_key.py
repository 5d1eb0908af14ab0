"""The Ed25519 key that signs the log's checkpoints: a secret file outside the database.

The file holds one line in the format of Go's ``golang.org/x/mod/sumdb/note``
(``PRIVATE+KEY+<name>+<key id>+<base64>``), readable by its owner only (0600, in a 0700 folder).
``make run`` generates it (:func:`ensure_signer`); a deployment mounts the same file into every
process that makes checkpoints (``INSPECTIONS_CHECKPOINT_KEY_FILE``) and publishes the public key
(:func:`public_key`), which auditors and ``tools/verify_export.py`` check checkpoints against.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from store.signed_note import NoteError, NoteSigner

DEFAULT_KEY_NAME = "skolinspektionen.example/inspections/log"
"""The key's name, which is also the checkpoints' origin line."""


class CheckpointKeyError(Exception):
    """The key file is missing, unsafe or malformed; the message says which and what to do."""


def load_signer(path: Path) -> NoteSigner:
    """The signer in ``path``; CheckpointKeyError telling how to get one when it is missing or unsafe."""
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise CheckpointKeyError(
            f"No checkpoint signing key at {path}. Start the local stack with `make run` (it generates one), "
            "or set INSPECTIONS_CHECKPOINT_KEY_FILE to the installation's key file."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointKeyError(f"The checkpoint signing key {path} cannot be read: {error}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CheckpointKeyError(f"The checkpoint signing key {path} is open to others: run `chmod 600 {path}`.")
    try:
        return NoteSigner.parse(text)
    except NoteError as error:
        raise CheckpointKeyError(f"The checkpoint signing key {path} is malformed: {error}") from None


def write_signer(path: Path, signer: NoteSigner) -> None:
    """Write a new key file (0600, its folder 0700); never replaces an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.chmod(0o700)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(signer.encode() + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.link(partial, path)  # fails when another process made the key first: theirs is kept
    finally:
        partial.unlink(missing_ok=True)


def ensure_signer(path: Path, name: str = DEFAULT_KEY_NAME) -> NoteSigner:
    """The signer in ``path``, generated there first when there is none (the local stack)."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # made by another process meanwhile: theirs is kept
            write_signer(path, NoteSigner.generate(name))
    return load_signer(path)


def public_key(signer: NoteSigner) -> str:
    """The public (verifier) key to publish: ``<name>+<key id>+<base64 key>``."""
    return signer.verifier.encode()
