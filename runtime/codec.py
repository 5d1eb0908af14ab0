"""Temporal payloads encrypted and authenticated with AES-256-GCM: only holders of the key can command a case.

Every payload a client or worker sends is sealed with the current key of the
:class:`~runtime.payload_keys.PayloadKeyring`; its metadata names the key, and the id of the
workflow it belongs to. Both are bound into the authentication tag, so a payload copied from one
case's history into another case, or altered in any byte, does not open.

Decoding refuses, rather than passes through, anything it cannot open: a plain payload (the
samples' codec would let it in), an unknown key, a broken tag, another workflow's payload. A
codec that *raised* would fail the whole workflow task, and the Python SDK retries such a task
for ever, so a single forged Update would wedge a case. Instead the refused payload is replaced
by a marker (encoding ``binary/refused``) that :class:`EncryptedPayloadConverter` will not turn
into a value: the SDK then rejects just that Update before its validator (nothing enters the
history), drops just that signal, fails just that query, and the client gets
:class:`PayloadRefused` for a refused result.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import PydanticPayloadConverter, pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    EncodingPayloadConverter,
    PayloadCodec,
    SerializationContext,
    WithSerializationContext,
)

from runtime.payload_keys import PayloadKeyring

ENCRYPTED = b"binary/encrypted"
REFUSED = b"binary/refused"
CIPHER = b"AES-256-GCM"
KEY_ID = "encryption-key-id"
WORKFLOW_ID = "encryption-workflow-id"
REASON = "refused-reason"
NONCE_BYTES = 12
_AAD_PREFIX = b"inspections-payload-v1\x00"


class PayloadRefused(Exception):
    """A payload was not sealed by a holder of the system's key for this workflow; nothing was done with it."""


def _aad(key_id: str, workflow_id: str | None) -> bytes:
    return _AAD_PREFIX + key_id.encode() + b"\x00" + (workflow_id or "").encode()


class EncryptionCodec(PayloadCodec, WithSerializationContext):
    """Seals payloads with the keyring's current key; opens those sealed with any known key.

    With a serialization context (the SDK gives one for every workflow, update, query, signal,
    activity and child), payloads are bound to that workflow id and must name it to open.
    """

    def __init__(self, keyring: PayloadKeyring, workflow_id: str | None = None) -> None:
        super().__init__()
        self.keyring = keyring
        self.workflow_id = workflow_id
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keyring.keys.items()}

    def with_context(self, context: SerializationContext) -> EncryptionCodec:
        """This codec bound to the context's workflow (Nexus contexts have none)."""
        workflow_id = getattr(context, "workflow_id", None)
        if workflow_id == self.workflow_id:
            return self
        return EncryptionCodec(self.keyring, workflow_id)

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Seal every payload with the current key."""
        return [self.seal(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Open every payload; one that does not open becomes a refusal marker (see the module's doc)."""
        opened = []
        for payload in payloads:
            try:
                opened.append(self.open(payload))
            except PayloadRefused as refused:
                opened.append(Payload(metadata={"encoding": REFUSED, REASON: str(refused).encode()}))
        return opened

    def seal(self, payload: Payload) -> Payload:
        """The payload encrypted and authenticated (key id and workflow id in its metadata)."""
        key_id = self.keyring.current
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[key_id].encrypt(nonce, payload.SerializeToString(), _aad(key_id, self.workflow_id))
        metadata = {"encoding": ENCRYPTED, "encryption-cipher": CIPHER, KEY_ID: key_id.encode()}
        if self.workflow_id is not None:
            metadata[WORKFLOW_ID] = self.workflow_id.encode()
        return Payload(metadata=metadata, data=nonce + sealed)

    def open(self, payload: Payload) -> Payload:
        """The original payload; PayloadRefused saying why it cannot be trusted."""
        if payload.metadata.get("encoding") != ENCRYPTED:
            encoding = payload.metadata.get("encoding", b"none").decode(errors="replace")
            raise PayloadRefused(f"payload refused: not encrypted with the system's key (encoding {encoding})")
        key_id = payload.metadata.get(KEY_ID, b"").decode(errors="replace")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise PayloadRefused(f"payload refused: unknown key id {key_id[:64]!r}")
        bound = payload.metadata[WORKFLOW_ID].decode(errors="replace") if WORKFLOW_ID in payload.metadata else None
        if self.workflow_id is not None and bound != self.workflow_id:
            raise PayloadRefused(f"payload refused: made for workflow {bound!r}, not {self.workflow_id!r}")
        data = payload.data
        try:
            plain = cipher.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], _aad(key_id, bound))
            return Payload.FromString(plain)
        except (InvalidTag, DecodeError, ValueError):
            raise PayloadRefused("payload refused: altered, or not sealed with the key it names") from None


class RefusedPayloadConverter(EncodingPayloadConverter):
    """Turns a refusal marker into :class:`PayloadRefused` instead of a value; never encodes anything."""

    @property
    def encoding(self) -> str:
        """The marker's encoding."""
        return REFUSED.decode()

    def to_payload(self, value: Any) -> Payload | None:
        """Never used for encoding."""
        return None

    def from_payload(self, payload: Payload, type_hint: type | None = None) -> Any:
        """Always refuses, with the codec's reason."""
        raise PayloadRefused(payload.metadata.get(REASON, b"payload refused").decode(errors="replace"))


class EncryptedPayloadConverter(PydanticPayloadConverter):
    """The pydantic payload converter that also knows the refusal marker (and refuses it)."""

    def __init__(self) -> None:
        super().__init__()
        self._set_converters(*self.converters.values(), RefusedPayloadConverter())


def encrypted_data_converter(keyring: PayloadKeyring) -> DataConverter:
    """The data converter of every client and worker: pydantic models, sealed with ``keyring``.

    Failure messages and stack traces are sealed too (they may quote what a person typed).
    """
    return dataclasses.replace(
        pydantic_data_converter,
        payload_converter_class=EncryptedPayloadConverter,
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
        payload_codec=EncryptionCodec(keyring),
    )
