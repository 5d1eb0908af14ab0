"""Field rules: the checks on a command's content, each refusing with the field it concerns."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from domain.errors import DomainError, ErrorCode, invalid
from domain.values import AreaStatus

DNR_MAX = 64
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 20_000
AREA_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def text(field: str, value: str, max_length: int = LONG_TEXT_MAX) -> str:
    """A non-empty text of at most ``max_length`` characters (surrounding blanks do not count)."""
    stripped = value.strip()
    if not stripped:
        raise invalid(field, f"{field} must not be empty.")
    if len(stripped) > max_length:
        raise invalid(field, f"{field} is {len(stripped)} characters long; at most {max_length} are allowed.")
    if any(not ch.isprintable() and ch not in "\n\r\t" for ch in stripped):
        raise invalid(field, f"{field} contains a control character; only printable text and line breaks are allowed.")
    return stripped


def dnr(value: str, field: str = "dnr") -> str:
    """A registration number, kept as given: non-empty, printable, at most 64 characters.

    ``field`` names the input when the Dnr is another case's, e.g. a referral's ``reference``.
    """
    stripped = value.strip()
    what = "The Dnr" if field == "dnr" else f"{field} (a Dnr)"
    if not stripped:
        raise invalid(field, f"{what} must not be empty.")
    if not stripped.isprintable():
        raise invalid(field, f"{what} may contain only printable characters (no line breaks or tabs).")
    if len(stripped) > DNR_MAX:
        raise invalid(field, f"{what} is {len(stripped)} characters long; at most {DNR_MAX} are allowed.")
    return stripped


def dnr_key(value: str) -> str:
    """The form under which two Dnr are the same: blanks collapsed, case ignored."""
    return " ".join(value.split()).casefold()


def area_code(field: str, value: str) -> str:
    """An area code: lower-case letters, digits, '-' or '_', at most 40 characters."""
    if not AREA_CODE.fullmatch(value):
        raise invalid(
            field,
            f"Area code {value!r} is not valid: use 1-40 lower-case letters a-z, digits, '-' or '_'.",
        )
    return value


def not_in_future(field: str, value: date, today: date) -> None:
    """A business date that has already happened."""
    if value > today:
        raise invalid(field, f"{field} {value.isoformat()} is in the future (today is {today.isoformat()}).")


def not_before(field: str, value: date, earlier: date, what: str) -> None:
    """A business date on or after an earlier fact of the case."""
    if value < earlier:
        raise invalid(field, f"{field} {value.isoformat()} is before {what} ({earlier.isoformat()}).")


def due_after(field: str, due: date, after: date, what: str) -> None:
    """A due date strictly after the date it is counted from."""
    if due <= after:
        raise invalid(field, f"{field} {due.isoformat()} must be after {what} ({after.isoformat()}).")


def draft_due_after_signing(due: date, decided_on: date, due_name: str) -> None:
    """At signing: the due date written in the draft must still lie after the signing date."""
    if due <= decided_on:
        raise invalid(
            "decided_on",
            f"The draft's {due_name} ({due.isoformat()}) must be after the date it is signed "
            f"({decided_on.isoformat()}); sign with an earlier date, or reject the draft so it can be "
            "drafted again with a later due date.",
        )


def cover_areas(
    codes: Sequence[str],
    statuses: dict[str, AreaStatus],
    required: Iterable[str],
    *,
    open_only: bool,
) -> None:
    """The command's areas name each ``required`` area exactly once and nothing else.

    ``statuses`` maps every area code of the case to its status; with ``open_only`` an
    area that is already closed is refused as a wrong-state request.
    """
    seen: set[str] = set()
    for index, code in enumerate(codes):
        field = f"areas[{index}].code"
        if code not in statuses:
            known = ", ".join(sorted(statuses))
            raise invalid(field, f"The case has no area with code {code!r} (its areas are: {known}).")
        if code in seen:
            raise invalid(field, f"Area {code!r} is listed more than once.")
        if open_only and statuses[code] is not AreaStatus.OPEN:
            raise DomainError(
                ErrorCode.INVALID_STATE,
                f"Area {code!r} is already closed ({statuses[code].value}); only open areas can be covered.",
                field,
            )
        seen.add(code)
    missing = [c for c in required if c not in seen]
    if missing:
        raise invalid(
            "areas", f"Every {'open ' if open_only else ''}area must be covered; missing: " + ", ".join(missing) + "."
        )
