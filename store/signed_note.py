"""C2SP signed notes with Ed25519 (c2sp.org/signed-note) and the checkpoint note text (c2sp.org/tlog-checkpoint).

A checkpoint is the note text ``<origin>\\n<tree size>\\n<base64 root hash>\\n``, a blank line, and one
signature line ``— <key name> base64(key ID || Ed25519 signature of the text)``, where the key ID is
``SHA-256(key name || 0x0A || 0x01 || public key)[:4]``. Keys are written as Go's
``golang.org/x/mod/sumdb/note`` writes them, so its tools and the transparency-dev witnesses read them:
``PRIVATE+KEY+<name>+<key ID hex>+base64(0x01 || seed)`` and the public (verifier) key
``<name>+<key ID hex>+base64(0x01 || public key)``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
"""The signature type byte of Ed25519 note signatures."""
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space
_NAME = re.compile(r"^[^\s+]+$")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
_DECIMAL = re.compile(r"^(0|[1-9][0-9]*)$")


class NoteError(ValueError):
    """A note, key or checkpoint is malformed or its signature does not verify; the message says which."""


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 key called ``name``."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519 + public_key).digest()[:4]


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise NoteError(f"a key name must be non-empty, without spaces or '+': {name!r}")
    return name


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what} is not valid base64") from None


@dataclass(frozen=True)
class NoteVerifier:
    """A public key that checks signed notes."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        """The key's 4-byte ID."""
        return key_id(self.name, self.public_key)

    def encode(self) -> str:
        """The verifier key text: ``<name>+<key ID hex>+base64(0x01 || public key)``."""
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(ED25519 + self.public_key).decode()}"

    @classmethod
    def parse(cls, vkey: str) -> NoteVerifier:
        """The verifier of a verifier key text (as :meth:`encode` writes it)."""
        parts = vkey.strip().split("+", 2)  # base64 may contain "+"
        if len(parts) != 3:
            raise NoteError("a verifier key reads <name>+<key id>+<base64 key>")
        name, hex_id, encoded = _check_name(parts[0]), parts[1], parts[2]
        key = _b64decode(encoded, "the verifier key")
        if len(key) != 33 or key[:1] != ED25519:
            raise NoteError("the verifier key is not an Ed25519 key (0x01 and 32 bytes)")
        verifier = cls(name, key[1:])
        if hex_id.lower() != verifier.key_id.hex():
            raise NoteError(f"the verifier key's ID {hex_id} does not belong to its name and key")
        return verifier

    def open(self, note: str) -> str:
        """The text of ``note`` when it carries a valid signature of this key; NoteError otherwise.

        Signatures of other keys are ignored; a signature of this key that does not verify rejects the note.
        """
        text, signatures = split_note(note)
        ours = [sig for name, sig in signatures if name == self.name and sig[:4] == self.key_id]
        if not ours:
            raise NoteError(f"the note is not signed by key {self.name}+{self.key_id.hex()}")
        public = Ed25519PublicKey.from_public_bytes(self.public_key)
        for sig in ours:
            try:
                public.verify(sig[4:], text.encode("utf-8"))
            except InvalidSignature:
                raise NoteError(f"the signature of key {self.name} does not verify: the note was changed") from None
        return text


class NoteSigner:
    """An Ed25519 private key with its name, signing notes."""

    def __init__(self, name: str, seed: bytes) -> None:
        if len(seed) != 32:
            raise NoteError("an Ed25519 seed is 32 bytes")
        self.name = _check_name(name)
        self._seed = seed
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        public = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.verifier = NoteVerifier(name, public)

    @classmethod
    def generate(cls, name: str) -> NoteSigner:
        """A new random key called ``name``."""
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls(name, seed)

    @classmethod
    def parse(cls, skey: str) -> NoteSigner:
        """The signer of a private key text (as :meth:`encode` writes it)."""
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a private key reads PRIVATE+KEY+<name>+<key id>+<base64 key>")
        key = _b64decode(parts[4], "the private key")
        if len(key) != 33 or key[:1] != ED25519:
            raise NoteError("the private key is not an Ed25519 key (0x01 and a 32-byte seed)")
        signer = cls(parts[2], key[1:])
        if parts[3].lower() != signer.verifier.key_id.hex():
            raise NoteError(f"the private key's ID {parts[3]} does not belong to its name and key")
        return signer

    def encode(self) -> str:
        """The private key text: ``PRIVATE+KEY+<name>+<key ID hex>+base64(0x01 || seed)``."""
        seed = base64.b64encode(ED25519 + self._seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id.hex()}+{seed}"

    def sign(self, text: str) -> str:
        """The signed note of ``text`` (which must end in a newline)."""
        check_text(text)
        signature = self.verifier.key_id + self._key.sign(text.encode("utf-8"))
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {base64.b64encode(signature).decode()}\n"


def check_text(text: str) -> None:
    """NoteError unless ``text`` can be a note's text: non-empty, ending in a newline, no control characters."""
    if not text.endswith("\n") or _CONTROL.search(text):
        raise NoteError("a note's text ends with a newline and has no control characters but newlines")


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """A signed note's text and its signatures as (key name, key ID + signature bytes)."""
    if _CONTROL.search(note):
        raise NoteError("a signed note has no control characters but newlines")
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise NoteError("a signed note is its text, a blank line and signature lines, each ending in a newline")
    text, lines = note[: cut + 1], note[cut + 2 :].splitlines()
    signatures = []
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX) or line.count(" ") != 2:
            raise NoteError(f"not a signature line: {line!r}")
        name, encoded = line[len(SIGNATURE_PREFIX) :].split(" ")
        signature = _b64decode(encoded, "a signature")
        if len(signature) < 5:
            raise NoteError("a signature is a 4-byte key ID and the signature bytes")
        signatures.append((_check_name(name), signature))
    if not signatures:
        raise NoteError("the note has no signature line")
    return text, signatures


@dataclass(frozen=True)
class CheckpointText:
    """The note text of a checkpoint: the log's origin, its size and its RFC 6962 root hash."""

    origin: str
    tree_size: int
    root_hash: bytes

    def text(self) -> str:
        """The note text, three lines."""
        return f"{self.origin}\n{self.tree_size}\n{base64.b64encode(self.root_hash).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> CheckpointText:
        """The checkpoint in a note text (extension lines are ignored, as the format allows)."""
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
            raise NoteError("a checkpoint's text is origin, tree size and root hash, one a line")
        if not _DECIMAL.match(lines[1]):
            raise NoteError(f"a checkpoint's tree size is a decimal number, not {lines[1]!r}")
        root = _b64decode(lines[2], "the checkpoint's root hash")
        if len(root) != 32:
            raise NoteError("a checkpoint's root hash is 32 bytes")
        return cls(lines[0], int(lines[1]), root)


def open_checkpoint(note: str, verifier: NoteVerifier) -> CheckpointText:
    """The checkpoint of a signed note, checked against ``verifier``; NoteError when it is not signed by it."""
    checkpoint = CheckpointText.parse(verifier.open(note))
    if checkpoint.origin != verifier.name:
        raise NoteError(f"the checkpoint is of log {checkpoint.origin!r}, not {verifier.name!r}")
    return checkpoint
