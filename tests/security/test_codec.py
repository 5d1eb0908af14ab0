"""The payload codec alone: what it seals opens only with a known key, for the same workflow, unaltered."""

from __future__ import annotations

import json
import stat

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import ActivitySerializationContext, WorkflowSerializationContext

from runtime.codec import (
    ENCRYPTED,
    KEY_ID,
    REFUSED,
    WORKFLOW_ID,
    EncryptionCodec,
    PayloadRefused,
    encrypted_data_converter,
)
from runtime.payload_keys import (
    PayloadKeyError,
    PayloadKeyring,
    ensure_keyring,
    generate_keyring,
    load_keyring,
    rotate_keyring,
)

SECRET = {"title": "Kvalitetsgranskning av Ludvika kommun", "assessment": "Brister i analysen"}


def plain(value: object = SECRET) -> Payload:
    return pydantic_data_converter.payload_converter.to_payloads([value])[0]


def bound(keyring: PayloadKeyring, workflow_id: str | None = "case-1") -> EncryptionCodec:
    codec = EncryptionCodec(keyring)
    return codec if workflow_id is None else codec.with_context(WorkflowSerializationContext("default", workflow_id))


async def test_a_sealed_payload_hides_the_text_names_its_key_and_opens_again() -> None:
    keyring = generate_keyring()
    [sealed] = await bound(keyring).encode([plain()])
    assert sealed.metadata["encoding"] == ENCRYPTED
    assert sealed.metadata[KEY_ID] == keyring.current.encode()
    assert sealed.metadata[WORKFLOW_ID] == b"case-1"
    assert b"Ludvika" not in sealed.data and b"analysen" not in sealed.data
    assert await bound(keyring).decode([sealed]) == [plain()]


async def test_the_same_payload_sealed_twice_differs() -> None:
    keyring = generate_keyring()
    first, second = await bound(keyring).encode([plain(), plain()])
    assert first.data != second.data


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        (lambda sealed, keyring: plain(), "not encrypted"),
        (lambda sealed, keyring: _flip(sealed, -1), "altered"),
        (lambda sealed, keyring: _flip(sealed, 0), "altered"),
        (lambda sealed, keyring: _with(sealed, KEY_ID, b"k-unknown"), "unknown key id"),
        (lambda sealed, keyring: _with(sealed, WORKFLOW_ID, b"case-2"), "made for workflow 'case-2'"),
        (lambda sealed, keyring: bound(generate_keyring()).seal(plain()), "unknown key id"),
        (lambda sealed, keyring: _forged_with_same_id(keyring), "altered"),
    ],
    ids=["plain", "last byte", "nonce", "key id", "workflow id", "attacker's key", "attacker's key, same id"],
)
async def test_what_was_not_sealed_by_a_key_holder_for_this_workflow_is_refused(forge, reason) -> None:  # type: ignore[no-untyped-def]
    keyring = generate_keyring()
    sealed = bound(keyring).seal(plain())
    forged = forge(sealed, keyring)
    with pytest.raises(PayloadRefused, match=reason):
        bound(keyring).open(forged)
    [marker] = await bound(keyring).decode([forged])
    assert marker.metadata["encoding"] == REFUSED and marker.data == b""


async def test_a_payload_for_another_workflow_is_refused_even_when_untouched() -> None:
    keyring = generate_keyring()
    sealed = bound(keyring, "case-1").seal(plain())
    with pytest.raises(PayloadRefused, match="made for workflow 'case-1', not 'case-2'"):
        bound(keyring, "case-2").open(sealed)
    assert bound(keyring, None).open(sealed) == plain()  # the codec server, which knows no workflow, can read it


async def test_an_activity_context_binds_to_its_workflow() -> None:
    keyring = generate_keyring()
    context = ActivitySerializationContext("default", "a1", "record_events", "q", "case-1", "Case", False)
    sealed = EncryptionCodec(keyring).with_context(context).seal(plain())
    assert bound(keyring, "case-1").open(sealed) == plain()


async def test_a_retired_key_still_opens_after_rotation_and_new_payloads_use_the_new_key() -> None:
    old = generate_keyring()
    rotated = old.rotated()
    assert rotated.current != old.current and set(rotated.keys) == {old.current, rotated.current}
    sealed_before = bound(old).seal(plain())
    assert bound(rotated).open(sealed_before) == plain()
    assert bound(rotated).seal(plain()).metadata[KEY_ID] == rotated.current.encode()
    with pytest.raises(PayloadRefused, match="unknown key id"):
        bound(old).open(bound(rotated).seal(plain()))


def test_the_converter_refuses_a_refused_payload_with_the_codecs_reason() -> None:
    converter = encrypted_data_converter(generate_keyring()).payload_converter
    marker = Payload(metadata={"encoding": REFUSED, "refused-reason": b"payload refused: unknown key id 'x'"})
    with pytest.raises(PayloadRefused, match="unknown key id 'x'"):
        converter.from_payloads([marker], [dict])
    assert converter.from_payloads(converter.to_payloads([SECRET]), [dict]) == [SECRET]


def test_the_key_file_is_generated_private_and_rotates_keeping_old_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "secrets" / "payload-keys.json"
    first = ensure_keyring(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert ensure_keyring(path) == first  # generated once, then kept
    rotated = rotate_keyring(path)
    assert load_keyring(path) == rotated and first.current in rotated.keys
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["payload-keys.json"]  # no temporary file left behind


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "must be JSON"),
        (json.dumps({"current": "a", "keys": {"b": "AAAA"}}), "not among the known keys"),
        (json.dumps({"current": "a", "keys": {"a": "AAAA"}}), "must be 32 bytes"),
        (json.dumps({"current": "a b", "keys": {"a b": "A" * 44}}), "must be 1-64 letters"),
    ],
)
def test_a_wrong_key_file_is_named(tmp_path, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "keys.json"
    path.write_text(text)
    with pytest.raises(PayloadKeyError, match=message):
        load_keyring(path)


def test_a_missing_key_file_says_how_to_get_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PayloadKeyError, match="INSPECTIONS_PAYLOAD_KEYS_FILE"):
        load_keyring(tmp_path / "none.json")


def _flip(payload: Payload, index: int) -> Payload:
    data = bytearray(payload.data)
    data[index] ^= 0x01
    return Payload(metadata=dict(payload.metadata), data=bytes(data))


def _with(payload: Payload, key: str, value: bytes) -> Payload:
    return Payload(metadata={**payload.metadata, key: value}, data=payload.data)


def _forged_with_same_id(keyring: PayloadKeyring) -> Payload:
    """Someone who knows the key id (it is in every history) but not the key."""
    attacker = PayloadKeyring(current=keyring.current, keys={keyring.current: b"\x00" * 32})
    return bound(attacker).seal(plain())
