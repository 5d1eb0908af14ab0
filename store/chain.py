"""The audit trail's hash chain: the canonical form of an event and its SHA-256 (pure, no database).

Each event's ``hash`` is the SHA-256 (hex) of the canonical JSON of its fields and the
previous event's hash (64 zeros for seq 1), so changing, removing or reordering any stored
event breaks every later link of its case. The canonical form, also documented in the
README under "Verifying the audit chain" for auditors without this code, is

    json.dumps({"case_id", "seq", "event_id", "type", "occurred_on": "YYYY-MM-DD",
                "recorded_at": "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC), "actor": {"username", "role"},
                "data", "prev_hash"}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

encoded as UTF-8. :func:`canonical_bytes` is that definition, word for word;
:func:`canonical_json` builds the same text several times faster (the verifier hashes every
stored event), and the tests hold the two equal.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from json.scanner import make_scanner
from typing import Any

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of a case's first event."""

CHAIN_FIELDS = ("case_id", "seq", "event_id", "type", "occurred_on", "recorded_at", "actor", "data", "prev_hash")
"""The keys of the canonical form, i.e. of one exported event line without its ``hash``."""

_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
"""``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, built once."""
# The C encoder and scanner json.dumps and json.loads use inside, built once instead of per call.
# (No circular-reference check: values here come from parsing JSON or from model_dump.)
_C_ENCODE = (
    c_make_encoder(None, _ENCODER.default, encode_basestring, None, ":", ",", True, False, True)
    if c_make_encoder is not None
    else None
)
_SCAN = make_scanner(json.JSONDecoder())


def encode_json(value: Any) -> str:
    """``json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, faster."""
    return "".join(_C_ENCODE(value, 0)) if _C_ENCODE is not None else _ENCODER.encode(value)


def parse_json(text: str) -> Any:
    """``json.loads(text)``, faster for a JSON text with no surrounding blanks (as PostgreSQL writes them)."""
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        return json.loads(text)  # raises json's own error
    return value if end == len(text) else json.loads(text)


def format_timestamp(moment: datetime) -> str:
    """``recorded_at`` as hashed and exported: UTC with microseconds, e.g. ``2025-06-26T08:15:00.000000Z``."""
    if moment.tzinfo is None:
        raise ValueError("recorded_at must carry a time zone")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def chain_record(
    *,
    case_id: str,
    seq: int,
    event_id: str,
    type: str,
    occurred_on: date | str,
    recorded_at: datetime | str,
    actor_username: str,
    actor_role: str,
    data: Mapping[str, Any],
    prev_hash: str,
) -> dict[str, Any]:
    """The event's chained fields in their JSON form (the keys of :data:`CHAIN_FIELDS`).

    Dates may be given already formatted (``YYYY-MM-DD`` and :func:`format_timestamp`'s form).
    """
    return {
        "case_id": case_id,
        "seq": seq,
        "event_id": event_id,
        "type": type,
        "occurred_on": occurred_on if isinstance(occurred_on, str) else occurred_on.isoformat(),
        "recorded_at": recorded_at if isinstance(recorded_at, str) else format_timestamp(recorded_at),
        "actor": {"username": actor_username, "role": actor_role},
        "data": data,
        "prev_hash": prev_hash,
    }


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    """The canonical form of ``record``'s chained fields (other keys, such as ``hash``, are left out)."""
    body = {key: record[key] for key in CHAIN_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def chain_hash(record: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of ``record``'s canonical form: what its ``hash`` must be."""
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def canonical_json(
    case_id: str,
    seq: int,
    event_id: str,
    type: str,
    occurred_on: str,
    recorded_at: str,
    actor_username: str,
    actor_role: str,
    data_json: str,
    prev_hash: str,
) -> str:
    """The same text as :func:`canonical_bytes` (before UTF-8), from formatted dates and
    ``data_json = encode_json(data)``.

    The keys are written in sorted order and every value is encoded by the same functions
    ``json.dumps`` uses, so the result is identical, only without building the outer object.
    """
    esc = encode_basestring
    return (
        '{"actor":{"role":'
        + esc(actor_role)
        + ',"username":'
        + esc(actor_username)
        + '},"case_id":'
        + esc(case_id)
        + ',"data":'
        + data_json
        + ',"event_id":'
        + esc(event_id)
        + ',"occurred_on":'
        + esc(occurred_on)
        + ',"prev_hash":'
        + esc(prev_hash)
        + ',"recorded_at":'
        + esc(recorded_at)
        + ',"seq":'
        + int.__repr__(seq)
        + ',"type":'
        + esc(type)
        + "}"
    )


def event_hash(
    case_id: str,
    seq: int,
    event_id: str,
    type: str,
    occurred_on: str,
    recorded_at: str,
    actor_username: str,
    actor_role: str,
    data_json: str,
    prev_hash: str,
) -> str:
    """The SHA-256 (hex) of the event's canonical form (arguments as for :func:`canonical_json`)."""
    text = canonical_json(
        case_id, seq, event_id, type, occurred_on, recorded_at, actor_username, actor_role, data_json, prev_hash
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
