"""Typed refusals: every rule the domain enforces fails with one of these.

A refusal is a stable ``code`` (the error codes of the admin tool's contract, docs/api.md), the
``field`` it concerns, and a message ``key`` with ``params`` — never a finished sentence. The
words are rendered at the edge from the catalogue in ``domain.messages`` (Swedish on the pages
and by default in the API, English on request and in logs), so the API, the CLI, the pages and
the workflow validators pass a refusal on without translating it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any

Param = str | int | None | list[str]
"""A parameter of a message: JSON-safe, so a refusal crosses Temporal and HTTP unchanged (dates as ISO text)."""


class ErrorCode(StrEnum):
    """Error codes of docs/api.md's error table that the domain can produce."""

    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    INVALID_STATE = "invalid_state"
    CONFLICT = "conflict"
    VALIDATION_ERROR = "validation_error"


def _json_safe(value: Any) -> Param:
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Iterable):
        return [str(_json_safe(v)) for v in value]
    return str(value)


class DomainError(Exception):
    """A command was refused. Nothing was recorded.

    ``field`` names the offending input (``"areas[1].code"``, ``"decided_on"``) or is ``None``
    when the refusal concerns the command as a whole (a wrong state or role). ``key`` and
    ``params`` name the message in ``domain.messages``; ``more`` holds further refusals of the
    same command found in the same pass (every wrong field at once), this one being the first.
    """

    def __init__(
        self,
        code: ErrorCode,
        key: str,
        field: str | None = None,
        params: Mapping[str, Any] | None = None,
        more: Sequence[DomainError] = (),
    ) -> None:
        self.code = ErrorCode(code)
        self.key = key
        self.field = field
        self.params: dict[str, Param] = {k: _json_safe(v) for k, v in (params or {}).items()}
        self.more = tuple(more)
        super().__init__(key)

    @property
    def message(self) -> str:
        """The refusal in English with ISO dates: for logs, the CLI and ``Accept-Language: en``."""
        from domain.messages import render  # the catalogue names commands and forms, which import this module

        return render(self.key, self.params, "en", field=self.field)

    @property
    def all(self) -> tuple[DomainError, ...]:
        """This refusal and the further ones found with it, in the order they were found."""
        return (self, *self.more)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"DomainError({self.code.value!r}, {self.key!r}, field={self.field!r}, params={self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DomainError) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash((self.code, self.key, self.field))

    def _identity(self) -> tuple[object, ...]:
        return (self.code, self.key, self.field, self.params, tuple(e._identity() for e in self.more))

    def detail(self) -> dict[str, Any]:
        """The refusal as JSON-safe data (code, field, key, params, more): how it crosses Temporal."""
        return {
            "code": self.code.value,
            "field": self.field,
            "key": self.key,
            "params": self.params,
            "more": [e.detail() for e in self.more],
        }

    @classmethod
    def from_detail(cls, detail: Mapping[str, Any], fallback_code: str = "invalid_state") -> DomainError:
        """The refusal :meth:`detail` described (a detail without a key gets its code's general message)."""
        code = ErrorCode(detail.get("code") or fallback_code)
        more = [cls.from_detail(d, code.value) for d in detail.get("more") or () if isinstance(d, Mapping)]
        params = detail.get("params")
        return cls(
            code,
            str(detail.get("key") or f"refused.{code.value}"),
            detail.get("field"),
            params if isinstance(params, Mapping) else None,
            more,
        )


def forbidden(key: str, field: str | None = None, **params: Any) -> DomainError:
    """The actor may not do this (wrong role, drafter signing, another organiser's case)."""
    return DomainError(ErrorCode.FORBIDDEN, key, field, params)


def invalid_state(key: str, field: str | None = None, **params: Any) -> DomainError:
    """The command means nothing in the case's current state."""
    return DomainError(ErrorCode.INVALID_STATE, key, field, params)


def invalid(field: str, key: str, **params: Any) -> DomainError:
    """A field of the command is missing or wrong."""
    return DomainError(ErrorCode.VALIDATION_ERROR, key, field, params)


def conflict(field: str, key: str, **params: Any) -> DomainError:
    """The command clashes with another record (the same Dnr opened twice)."""
    return DomainError(ErrorCode.CONFLICT, key, field, params)


def not_found(key: str, field: str | None = None, **params: Any) -> DomainError:
    """The case, command or record named does not exist."""
    return DomainError(ErrorCode.NOT_FOUND, key, field, params)


class Refusals:
    """Collects the wrong fields of one command so that all are told at once.

    ``check(rule, ...)`` runs a rule and returns its result, or records its validation refusal and
    returns None. A refusal of another kind (wrong state) is raised at once — after the fields
    already found wrong, so the first refusal is the one a first-failure check would have raised.
    """

    def __init__(self) -> None:
        self.found: list[DomainError] = []

    def check(self, rule: Any, *args: Any, **kwargs: Any) -> Any:
        """``rule(*args, **kwargs)``, or None when it refused a field (the refusal is kept)."""
        try:
            return rule(*args, **kwargs)
        except DomainError as error:
            self.add(error)
            return None

    def ok(self, rule: Any, *args: Any, **kwargs: Any) -> bool:
        """Whether ``rule(*args, **kwargs)`` passed (its refusal, if any, is kept)."""
        before = len(self.found)
        self.check(rule, *args, **kwargs)
        return len(self.found) == before

    def add(self, error: DomainError) -> None:
        """Keep ``error`` (a field refusal); any other refusal ends the checks."""
        if error.code is not ErrorCode.VALIDATION_ERROR:
            self.done()
            raise error
        self.found.extend(error.all)

    def done(self) -> None:
        """Raise the refusals found (the first with the others in ``more``), if any."""
        if self.found:
            first, *rest = self.found
            raise DomainError(first.code, first.key, first.field, first.params, rest)


_PYDANTIC_KEYS = {
    "missing": "field.missing",
    "date_from_datetime_parsing": "field.date",
    "date_from_datetime_inexact": "field.date",
    "date_parsing": "field.date",
    "date_type": "field.date",
    "literal_error": "field.choice",
    "enum": "field.choice",
    "string_type": "field.text",
    "int_type": "field.number",
    "int_parsing": "field.number",
    "int_from_float": "field.number",
    "list_type": "field.list",
    "tuple_type": "field.list",
    "extra_forbidden": "field.unknown",
}


def field_path(loc: Sequence[int | str]) -> str:
    """pydantic's error location as the path a form names its input by (``areas[0].code``)."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def from_validation(errors: Sequence[Mapping[str, Any]]) -> DomainError:
    """pydantic's errors (``ValidationError.errors()``) as one refusal naming every wrong field."""
    refusals = [
        invalid(field_path(tuple(e.get("loc", ()))), _PYDANTIC_KEYS.get(str(e.get("type")), "field.invalid"))
        for e in errors
    ] or [invalid("body", "field.invalid")]
    first, *rest = refusals
    return DomainError(first.code, first.key, first.field, first.params, rest)
