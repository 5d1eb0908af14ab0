"""Field rules: the checks on a command's content, each refusing with the field it concerns."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from domain.errors import invalid, invalid_state
from domain.values import AreaStatus

DNR_MAX = 64
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 20_000
NAME_MAX = 200
REQUEST_ID_MAX = 100
"""A request id is part of the Update id and the seed of the event ids: short and printable."""
AREA_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_ATTACHMENTS = 10
"""Documents one account may carry (issue 17)."""


def text(field: str, value: str, max_length: int = LONG_TEXT_MAX) -> str:
    """A non-empty text of at most ``max_length`` characters (surrounding blanks do not count)."""
    stripped = value.strip()
    if not stripped:
        raise invalid(field, "text.empty")
    if len(stripped) > max_length:
        raise invalid(field, "text.too_long", length=len(stripped), max=max_length)
    if any(not ch.isprintable() and ch not in "\n\r\t" for ch in stripped):
        raise invalid(field, "text.control")
    return stripped


def dnr(value: str, field: str = "dnr") -> str:
    """A registration number, kept as given: non-empty, printable, at most 64 characters.

    ``field`` names the input when the Dnr is another case's, e.g. a referral's ``reference``.
    """
    stripped = value.strip()
    if not stripped:
        raise invalid(field, "text.empty")
    if not stripped.isprintable():
        raise invalid(field, "dnr.unprintable")
    if len(stripped) > DNR_MAX:
        raise invalid(field, "text.too_long", length=len(stripped), max=DNR_MAX)
    return stripped


def dnr_key(value: str) -> str:
    """The form under which two Dnr are the same: blanks collapsed, case ignored."""
    return " ".join(value.split()).casefold()


def area_code(field: str, value: str) -> str:
    """An area code: lower-case letters, digits, '-' or '_', at most 40 characters."""
    if not AREA_CODE.fullmatch(value):
        raise invalid(field, "area_code.invalid", value=value)
    return value


def not_in_future(field: str, value: date, today: date) -> None:
    """A business date that has already happened."""
    if value > today:
        raise invalid(field, "date.in_future", date=value, today=today)


def not_before(field: str, value: date, earlier: date, what: str) -> None:
    """A business date on or after an earlier fact of the case (``what``: its key in ``messages.REFERENCES``)."""
    if value < earlier:
        raise invalid(field, "date.before", date=value, earlier=earlier, what=what)


def due_after(field: str, due: date, after: date, what: str) -> None:
    """A due date strictly after the date it is counted from (``what``: its key in ``messages.REFERENCES``)."""
    if due <= after:
        raise invalid(field, "date.not_after", date=due, earlier=after, what=what)


def draft_due_after_signing(due: date, decided_on: date, due_name: str) -> None:
    """At signing: the due date written in the draft must still lie after the signing date.

    ``due_name`` names that due date (its key in ``messages.REFERENCES``).
    """
    if due <= decided_on:
        raise invalid("decided_on", "signing.after_draft_due", due=due, date=decided_on, what=due_name)


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
            raise invalid(field, "areas.unknown", value=code, codes=sorted(statuses))
        if code in seen:
            raise invalid(field, "areas.twice", value=code)
        if open_only and statuses[code] is not AreaStatus.OPEN:
            raise invalid_state("areas.closed", field, value=code, status=statuses[code])
        seen.add(code)
    missing = [c for c in required if c not in seen]
    if missing:
        raise invalid("areas", "areas.open_missing" if open_only else "areas.missing", codes=missing)


def one_line(field: str, value: str, max_length: int = SHORT_TEXT_MAX) -> str:
    """A non-empty text on one line (a title, a heading): no line breaks or tabs (issue 14)."""
    stripped = text(field, value, max_length)
    if any(ch in "\r\n\t\v\f\x85\u2028\u2029" for ch in stripped):
        raise invalid(field, "text.one_line")
    return stripped


def name(field: str, value: str, max_length: int = NAME_MAX) -> str:
    """A person's or an organisation's name: one line of visible characters and ordinary spaces.

    Control characters, and the invisible format characters that reorder or hide text (the
    bidirectional overrides U+202A-U+202E and U+2066-U+2069, zero-width characters), are refused:
    a name is shown in letters and signatures, and must read as it is stored.
    """
    stripped = value.strip()
    if not stripped:
        raise invalid(field, "text.empty")
    if len(stripped) > max_length:
        raise invalid(field, "text.too_long", length=len(stripped), max=max_length)
    if not all(ch.isprintable() for ch in stripped):  # Cc, Cf (bidi, zero-width), line and paragraph separators
        raise invalid(field, "name.invalid_char")
    return stripped


def request_id(value: str) -> str:
    """A client's request id: 1-100 printable characters, no spaces around it."""
    if not value or len(value) > REQUEST_ID_MAX or not value.isprintable() or value != value.strip():
        raise invalid("request_id", "request.id_invalid", max=REQUEST_ID_MAX)
    return value


def attachments(field: str, values: Sequence[str], at_most: int = MAX_ATTACHMENTS) -> tuple[str, ...]:
    """Documents named by their SHA-256 (64 lower-case hex digits), each once, at most ``at_most`` of them.

    Whether each is a stored document of the case only the store can tell: the admin service checks that.
    """
    seen: set[str] = set()
    for index, value in enumerate(values):
        if not SHA256.fullmatch(value):
            raise invalid(f"{field}[{index}]", "attachments.invalid", value=value[:80])
        if value in seen:
            raise invalid(f"{field}[{index}]", "attachments.twice", value=value)
        seen.add(value)
    if len(values) > at_most:
        raise invalid(field, "attachments.too_many", max=at_most, length=len(values))
    return tuple(values)
