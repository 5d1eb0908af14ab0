"""A refusal's message in words: the catalogue's template with its parameters told as people read them.

Pure: the caller passes how dates are written (``date_text``); by default ISO (``2026-01-15``),
which is what logs and English answers use. The admin edge passes babel's Swedish long dates
("15 januari 2026").
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from domain.messages.catalogue import COLUMNS, FIELD_LABELS, MESSAGES, REFERENCES

Lang = Literal["sv", "en"]
DATE_PARAMS = frozenset({"date", "today", "earlier", "due"})
"""Parameters that are dates (ISO text in the refusal)."""
KNOWN_PARAMS = DATE_PARAMS | {
    "field",
    "what",
    "state",
    "status",
    "roles",
    "command",
    "fields",
    "codes",
    "value",
    "user",
    "dnr",
    "name",
    "case_id",
    "length",
    "max",
    "min",
    "round",
    "seconds",
    # a verification's findings (domain.messages.findings)
    "seq",
    "expected",
    "index",
    "first",
    "last",
    "count",
    "size",
    "at",
    "prior_at",
    "cases",
    "column",
    "stored",
    "number",
}
"""Every parameter name a template may use; its name says how it is told."""
_AREA_PATH = re.compile(r"^areas\[(\d+)\](?:\.(\w+))?")


def iso(day: date, lang: Lang) -> str:
    """A date as ÅÅÅÅ-MM-DD (the default of :func:`render`)."""
    return day.isoformat()


def language(accept: str | None) -> Lang:
    """The language an ``Accept-Language`` header asks for: English when it prefers ``en``, else Swedish."""
    for part in (accept or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("sv") or tag == "*":
            return "sv"
        if tag.startswith("en"):
            return "en"
    return "sv"


def field_label(path: str | None, command: str | None = None, areas: Sequence[str] = ()) -> str:
    """The Swedish name of the input ``path`` on ``command``'s form (its label), e.g. "Bedömning (område 2)".

    ``areas`` names the form's area rows (their titles), when the caller knows them.
    """
    from domain.commands import COMMAND_TYPES  # the forms are declared with the commands, which raise refusals

    if not path:
        return ""
    cls = COMMAND_TYPES.get(command or "")
    form = cls.form if cls is not None else None
    match = _AREA_PATH.match(path)
    if match:
        index, name = int(match.group(1)), match.group(2)
        row = areas[index] if index < len(areas) else f"område {index + 1}"
        inputs = form.area_fields if form else ()
        label = next((i.label for i in inputs if i.name == name), None)
        if label is None or name == "code" and form is not None and form.areas != "new":
            return row[0].upper() + row[1:]
        return f"{label} ({row})"
    if form is not None:
        label = next((i.label for i in form.fields if i.name == path), None)
        if label:
            return label
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    for other in COMMAND_TYPES.values():  # a field of another command (the caller did not say which)
        label = next((i.label for i in (other.form.fields if other.form else ()) if i.name == path), None)
        if label:
            return label
    return path


def _words(
    name: str,
    value: Any,
    lang: Lang,
    command: str | None,
    areas: Sequence[str],
    date_text: Callable[[date, Lang], str],
) -> str:
    from domain.labels import AREA_STATUSES, ROLES, STATES  # the labels gather the commands' forms

    if value is None:
        return "–"
    if name in DATE_PARAMS:
        try:
            return date_text(date.fromisoformat(str(value)), lang)
        except ValueError:
            return str(value)
    values = value if isinstance(value, list) else [value]
    if name in ("field", "fields"):
        told = [field_label(str(v), command, areas) if lang == "sv" else str(v) for v in values]
    elif name == "what":
        told = [REFERENCES[str(v)][0 if lang == "sv" else 1] if str(v) in REFERENCES else str(v) for v in values]
    elif lang == "en":
        told = [str(v) for v in values]
    elif name == "state":
        told = [STATES.get(str(v), str(v)) for v in values]
    elif name == "status":
        told = [AREA_STATUSES.get(str(v), str(v)).lower() for v in values]
    elif name == "roles":
        told = [ROLES.get(str(v), str(v)).lower() for v in values]
    elif name == "command":
        told = [_command_title(str(v)) for v in values]
    elif name == "column":
        told = [COLUMNS.get(str(v), str(v)) for v in values]
    else:
        told = [str(v) for v in values]
    if name == "roles":  # "registrator, arkivarie eller administratör"
        word = " eller " if lang == "sv" else " or "
        return told[0] if len(told) == 1 else ", ".join(told[:-1]) + word + told[-1]
    return ", ".join(told)


def _command_title(name: str) -> str:
    from domain.commands import COMMAND_TYPES

    cls = COMMAND_TYPES.get(name)
    return cls.form.title if cls is not None and cls.form is not None else name


def placeholders(template: str) -> set[str]:
    """The parameter names ``template`` uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(
    key: str,
    params: Mapping[str, Any] | None = None,
    lang: Lang = "sv",
    *,
    field: str | None = None,
    command: str | None = None,
    areas: Sequence[str] = (),
    date_text: Callable[[date, Lang], str] = iso,
) -> str:
    """The message ``key`` in ``lang`` with ``params`` (and the refused ``field``) told in words.

    ``command`` is the command whose form names the field; an unknown key is told with the general
    words of a refusal (never the key itself, never English on a Swedish page).
    """
    texts = MESSAGES.get(key) or MESSAGES["refused.invalid_state"]
    template = texts[0 if lang == "sv" else 1]
    given = {**(params or {}), "field": field if field is not None else (params or {}).get("field")}
    words = {name: _words(name, given.get(name), lang, command, areas, date_text) for name in placeholders(template)}
    return template.format(**words)
