"""Typed refusals: every rule the domain enforces fails with one of these.

The codes are the error codes of the admin tool's contract (API.md), so the API, the
CLI and the workflow validators can pass a refusal on without translating it.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Error codes of API.md's error table that the domain can produce."""

    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    INVALID_STATE = "invalid_state"
    CONFLICT = "conflict"
    VALIDATION_ERROR = "validation_error"


class DomainError(Exception):
    """A command was refused. Nothing was recorded.

    ``field`` names the offending input (``"areas[1].code"``, ``"decided_on"``) or is
    ``None`` when the refusal concerns the command as a whole (a wrong state or role).
    """

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = ErrorCode(code)
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"DomainError({self.code.value!r}, {self.message!r}, field={self.field!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DomainError) and (self.code, self.message, self.field) == (
            other.code,
            other.message,
            other.field,
        )

    def __hash__(self) -> int:
        return hash((self.code, self.message, self.field))


def forbidden(message: str, field: str | None = None) -> DomainError:
    """The actor may not do this (wrong role, drafter signing, another organiser's case)."""
    return DomainError(ErrorCode.FORBIDDEN, message, field)


def invalid_state(message: str, field: str | None = None) -> DomainError:
    """The command means nothing in the case's current state."""
    return DomainError(ErrorCode.INVALID_STATE, message, field)


def invalid(field: str, message: str) -> DomainError:
    """A field of the command is missing or wrong."""
    return DomainError(ErrorCode.VALIDATION_ERROR, message, field)


def conflict(field: str, message: str) -> DomainError:
    """The command clashes with another record (the same Dnr opened twice)."""
    return DomainError(ErrorCode.CONFLICT, message, field)
