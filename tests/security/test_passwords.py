"""Issue 14, row 7 (passwords): argon2 gets at most 1024 bytes; an account that never logs in cannot be logged into."""

from __future__ import annotations

import time

import pytest

from admin.services.auth import hash_password, verify_password
from domain import DomainError
from domain.accounts import PASSWORD_MAX_BYTES, new_account, new_password


def test_a_password_over_the_cap_is_refused_when_set_and_wrong_when_tried() -> None:
    with pytest.raises(DomainError) as refused:
        new_account("anna", "å" * (PASSWORD_MAX_BYTES // 2 + 1), ["inspector"], None)  # 2 bytes each in UTF-8
    assert refused.value.field == "password"
    with pytest.raises(DomainError):
        new_password("p" * (PASSWORD_MAX_BYTES + 1))
    assert new_password("p" * PASSWORD_MAX_BYTES)
    stored = hash_password("p" * 20)
    began = time.monotonic()
    assert verify_password("p" * 1_000_000, stored) is False
    assert time.monotonic() - began < 0.05  # refused without hashing: no argon2 run at all


def test_an_account_without_a_usable_hash_never_matches() -> None:
    assert verify_password("!", "!") is False
    assert verify_password("anything", None) is False
