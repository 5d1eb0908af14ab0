"""The message catalogue: every refusal key the code uses has Swedish and English words, both render
with every parameter filled in, Swedish has no English in it, and fields are named by their labels."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from domain.errors import DomainError, ErrorCode, from_validation
from domain.messages import DATE_PARAMS, KNOWN_PARAMS, MESSAGES, field_label, placeholders, render
from tests.support.language import english_in

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for folder in ("domain", "admin", "workflows", "store") for p in (ROOT / folder).rglob("*.py")]
SAMPLE = {
    "date": "2026-01-15",
    "today": "2026-01-10",
    "earlier": "2025-06-26",
    "due": "2026-03-31",
    "field": "response_due",
    "fields": ["response_due", "areas[0].assessment"],
    "what": "case_opened",
    "state": "awaiting_response",
    "status": "in_line",
    "roles": ["decision_maker"],
    "command": "sign-decision",
    "codes": ["analys", "kompensatoriskt"],
    "value": "Analys",
    "user": "marta.rivelis",
    "dnr": "2025:1234",
    "name": "sign-everything",
    "case_id": "c-1",
    "length": 301,
    "max": 300,
    "min": 10,
    "round": 2,
    "seconds": 30,
    "seq": 12,
    "expected": "'2026-01-15'",
    "index": 41,
    "first": 10,
    "last": 19,
    "count": 3,
    "size": 20,
    "at": "2025-01-01T00:00:00.000000Z",
    "prior_at": "2026-01-15T09:30:00.000000Z",
    "cases": ["c-1", "c-2"],
    "column": "organiser_id",
    "stored": "'212000-1355'",
    "number": 4,
}
KEY_TAKERS = {
    "forbidden": 0,
    "invalid_state": 0,
    "not_found": 0,
    "invalid": 1,
    "conflict": 1,
    "DomainError": 1,
    "finding": 0,
}
"""Functions that make a refusal, and which positional argument is its message key."""
KEY_LIKE = re.compile(r"^[a-z_]+\.[a-z_]+$")
PREFIXES = {key.split(".")[0] for key in MESSAGES}
FILE_TYPES = {"html", "txt", "json", "jsonl", "py", "sql", "css", "js", "md", "zip", "pdf"}


def keys_used_in_the_code() -> set[tuple[str, str]]:
    """(file, key) for every literal message key passed to a refusal, or written as a key-like string."""
    used = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                index = KEY_TAKERS.get(name or "")
                if index is not None and len(node.args) > index and isinstance(node.args[index], ast.Constant):
                    used.add((path.name, str(node.args[index].value)))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY_LIKE.match(node.value):
                prefix, suffix = node.value.split(".")
                if prefix in PREFIXES and suffix not in FILE_TYPES:
                    used.add((path.name, node.value))
    return used


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    used = keys_used_in_the_code()
    assert len(used) > 60, "the scan found too few keys: is it still looking at the refusals?"
    missing = sorted((f, k) for f, k in used if k not in MESSAGES)
    assert not missing, f"message keys without words: {missing}"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_renders_in_both_languages(key: str) -> None:
    swedish, english = MESSAGES[key]
    assert swedish.strip() and english.strip() and swedish != english
    assert placeholders(swedish) <= KNOWN_PARAMS and placeholders(english) <= KNOWN_PARAMS
    assert placeholders(swedish) == placeholders(english), "both languages tell the same facts"
    sv = render(key, SAMPLE, "sv", field="response_due", command="draft-decision")
    en = render(key, SAMPLE, "en", field="response_due", command="draft-decision")
    assert "{" not in sv and "{" not in en
    assert not english_in(sv, allowed=frozenset({"marta.rivelis", "sign-everything"})), sv
    if "field" in placeholders(swedish):
        assert "Redovisning senast" in sv and "response_due" in en
    for name in placeholders(swedish) & DATE_PARAMS:
        assert SAMPLE[name] in en  # English (and logs) write ISO dates; the edge gives Swedish long dates


def test_every_error_code_has_general_words() -> None:
    for code in [*ErrorCode, "unavailable"]:
        assert f"refused.{code}" in MESSAGES


def test_fields_are_named_by_their_form_s_swedish_label() -> None:
    assert field_label("response_due", "draft-decision") == "Redovisning senast"
    assert field_label("response_due", "request-supplement") == "Komplettering senast"
    assert field_label("areas[1].assessment", "draft-decision") == "Bedömning (område 2)"
    assert field_label("areas[0].measures", "draft-response", ["Analys"]) == "Vidtagna åtgärder (Analys)"
    assert field_label("areas[2].code", "open-case") == "Kod (område 3)"
    assert field_label("areas[0].code", "draft-response") == "Område 1"
    assert field_label("dnr", "open-case") == "Diarienummer (Dnr)"
    assert field_label("decided_on") == "Beslutsdatum"  # another command's label when none is named
    assert field_label("request_id") == "Begärans id"


def test_a_refusal_is_rendered_with_swedish_words_for_codes_and_dates() -> None:
    error = DomainError(ErrorCode.INVALID_STATE, "state.wrong", None, {"command": "sign-decision", "state": "closed"})
    assert render(error.key, error.params, "sv") == "”Signera beslut” går inte när ärendet har status ”Avslutat”."
    assert error.message == "sign-decision is not possible while the case is closed."
    roles = render("role.missing", {"command": "assign", "roles": ["inspector", "decision_maker"], "user": "ua"}, "sv")
    assert roles == "Byt handläggare kräver rollen föredragande eller beslutsfattare; ua har den inte."


def test_a_refusal_crosses_temporal_as_data_and_comes_back_the_same() -> None:
    error = DomainError(
        ErrorCode.VALIDATION_ERROR,
        "date.not_after",
        "response_due",
        {"date": __import__("datetime").date(2025, 1, 1), "earlier": "2025-01-20", "what": "case_opened"},
        [DomainError(ErrorCode.VALIDATION_ERROR, "text.empty", "areas[0].assessment")],
    )
    assert error.params["date"] == "2025-01-01"
    assert DomainError.from_detail(error.detail()) == error
    assert DomainError.from_detail({"code": "forbidden", "field": None}).key == "refused.forbidden"


def test_pydantic_s_errors_become_one_refusal_naming_every_field() -> None:
    errors = [
        {"loc": ("decided_on",), "type": "date_from_datetime_parsing", "msg": "Input should be a valid date"},
        {"loc": ("areas", 0, "code"), "type": "missing", "msg": "Field required"},
    ]
    refusal = from_validation(errors)
    assert [(e.field, e.key) for e in refusal.all] == [("decided_on", "field.date"), ("areas[0].code", "field.missing")]


def test_a_verification_s_finding_is_english_in_its_reason_and_swedish_by_its_key() -> None:
    from store.proof_scan import finding

    cut = finding("log.cut", log_index=10, first=10, last=19)
    assert cut.reason == "log indexes 10 to 19 missing: the log was cut" and cut.params == {
        "index": 10,
        "first": 10,
        "last": 19,
    }
    assert render(cut.key or "", cut.params, "sv") == "Loggens platser 10–19 saknas: loggen har klippts."
    given = finding("checkpoint.unusable", detail="the note has no signature line")
    assert given.reason == "the checkpoint given cannot be used: the note has no signature line"
    assert "signature" not in render(given.key or "", given.params, "sv")  # an English detail stays out of Swedish
    differs = finding("read_model.differs", case_id="c-1", column="organiser_id", stored="'a'", expected="'b'")
    assert differs.reason == "organiser_id is 'a' in the read model but 'b' from the events"
    assert (
        render(differs.key or "", differs.params, "sv")
        == "”Huvudman” är 'a' i ärendeförteckningen men 'b' enligt händelserna."
    )


def test_a_new_user_or_organiser_is_refused_with_every_wrong_field_at_once() -> None:
    from domain.accounts import new_account
    from domain.organisers import register

    with pytest.raises(DomainError) as user:
        new_account("A B", "kort", ["boss"], "212000-1173", "Anna\u202eB")
    assert [e.field for e in user.value.all] == ["username", "password", "roles[0]", "full_name"]
    with pytest.raises(DomainError) as organiser:
        register("2120001173", "", "nej")
    assert [e.field for e in organiser.value.all] == ["organiser_id", "name", "email"]
