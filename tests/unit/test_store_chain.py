"""The hash chain's canonical form (store.chain): pure, no database."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.chain import (
    GENESIS_HASH,
    canonical_bytes,
    canonical_json,
    chain_hash,
    chain_record,
    encode_json,
    format_timestamp,
    parse_json,
)

STOCKHOLM_SUMMER = timezone(timedelta(hours=2))


def record(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = dict(
        case_id="ludvika-2025",
        seq=1,
        event_id="e-1",
        type="CaseOpened",
        occurred_on=date(2025, 1, 20),
        recorded_at=datetime(2025, 6, 26, 10, 15, tzinfo=STOCKHOLM_SUMMER),
        actor_username="marta.rivelis",
        actor_role="inspector",
        data={"title": "Kvalitetsgranskning", "dnr": "2025:1234"},
        prev_hash=GENESIS_HASH,
    )
    fields.update(changes)
    return chain_record(**fields)  # type: ignore[arg-type]


def test_the_canonical_form_is_sorted_compact_utf8_json() -> None:
    expected = (
        '{"actor":{"role":"inspector","username":"marta.rivelis"},"case_id":"ludvika-2025",'
        '"data":{"dnr":"2025:1234","title":"Kvalitetsgranskning"},"event_id":"e-1","occurred_on":"2025-01-20",'
        f'"prev_hash":"{"0" * 64}","recorded_at":"2025-06-26T08:15:00.000000Z","seq":1,"type":"CaseOpened"}}'
    )
    assert canonical_bytes(record()) == expected.encode("utf-8")
    assert chain_hash(record()) == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_non_ascii_text_is_hashed_as_utf8_not_escaped() -> None:
    body = canonical_bytes(record(data={"body": "Bildningsnämnden", "paragraph": "§ 122"}))
    assert "Bildningsnämnden".encode() in body and b"\\u" not in body


def test_every_field_and_the_previous_hash_count() -> None:
    base = chain_hash(record())
    changes = [
        {"seq": 2},
        {"event_id": "e-2"},
        {"type": "DecisionDrafted"},
        {"occurred_on": date(2025, 1, 21)},
        {"recorded_at": datetime(2025, 6, 26, 8, 15, 0, 1, tzinfo=UTC)},
        {"actor_role": "admin"},
        {"data": {"title": "Kvalitetsgranskning", "dnr": "2025:1235"}},
        {"prev_hash": "f" * 64},
    ]
    assert len({chain_hash(record(**c)) for c in changes} | {base}) == len(changes) + 1
    assert chain_hash({**record(), "hash": "ignored", "extra": 1}) == base


def test_timestamps_are_utc_with_microseconds() -> None:
    assert format_timestamp(datetime(2026, 1, 2, 0, 0, tzinfo=STOCKHOLM_SUMMER)) == "2026-01-01T22:00:00.000000Z"
    assert format_timestamp(datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=UTC)) == "2026-01-02T03:04:05.000060Z"
    with pytest.raises(ValueError, match="time zone"):
        format_timestamp(datetime(2026, 1, 2))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    data=st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=5),
    names=st.lists(st.text(), min_size=5, max_size=5),
    seq=st.integers(min_value=1, max_value=2**31),
)
def test_the_fast_canonical_form_equals_the_definition(data: dict[str, object], names: list[str], seq: int) -> None:
    case_id, event_id, type_, username, role = names
    recorded = datetime(2025, 6, 26, 8, 15, 0, 123, tzinfo=UTC)
    fast = canonical_json(
        case_id,
        seq,
        event_id,
        type_,
        "2025-01-20",
        format_timestamp(recorded),
        username,
        role,
        encode_json(data),
        GENESIS_HASH,
    )
    reference = canonical_bytes(
        record(
            case_id=case_id,
            seq=seq,
            event_id=event_id,
            type=type_,
            data=data,
            actor_username=username,
            actor_role=role,
            recorded_at=recorded,
        )
    )
    assert fast.encode("utf-8") == reference
    text = json.dumps(data, ensure_ascii=False)
    assert parse_json(text) == json.loads(text) == parse_json(" " + text + "\n")
    assert encode_json(data) == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_parse_json_refuses_what_json_refuses() -> None:
    for bad in ("", "{", '{"a": 1} x', "nope"):
        with pytest.raises(json.JSONDecodeError):
            parse_json(bad)
