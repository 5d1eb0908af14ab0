"""The forms of the web pages: the fields of each command (docs/api.md's table), form data → command
body, and refusals → messages beside the field they concern.

An input is named by the same path a refusal names it with (``decided_on``, ``areas[1].measures``),
so an error finds its field without a translation table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from admin.texts import tell
from domain import DomainError
from domain import commands as domain_commands
from domain.commands import OpenCase
from domain.errors import from_validation
from domain.forms import CommandForm, Input

__all__ = ["FORMS", "NEW_AREA_FIELDS", "NEW_CASE_FIELDS", "NOT_KEPT", "CommandForm", "Input"]

MAX_ROWS = 60
NOT_KEPT = frozenset({"csrf_token", "password"})
"""Fields a page never sends back to the browser: a password is typed again, a CSRF token is the session's."""
FORMS = domain_commands.FORMS
NEW_CASE_FIELDS = OpenCase.form.fields
NEW_AREA_FIELDS = OpenCase.form.area_fields


def _value(field: Input, raw: str) -> tuple[bool, Any]:
    """(keep, value): an empty required date or choice is left out so the model names it as missing; an
    empty text is sent as it is, so the rules tell it with every other wrong field of the form at once."""
    if field.kind == "checkbox":  # an unticked box is not sent at all
        return True, bool(raw)
    if field.kind == "lines":
        return True, [line.strip() for line in raw.splitlines() if line.strip()]
    if not raw.strip():
        if field.kind in ("text", "textarea"):
            return True, raw
        return (False, None) if field.required else (True, None)
    return True, raw if field.kind == "textarea" else raw.strip()


def _fill(target: dict[str, Any], fields: tuple[Input, ...], form: Mapping[str, str], prefix: str = "") -> None:
    for field in fields:
        if field.kind == "files":  # uploaded and named by the page (admin.web.documents.with_attachments)
            continue
        keep, value = _value(field, form.get(prefix + field.name, ""))
        if keep:
            target[field.name] = value


def command_body(spec: CommandForm, form: Mapping[str, str]) -> dict[str, Any]:
    """The JSON body of docs/api.md's command from the submitted form."""
    body: dict[str, Any] = {"request_id": form.get("request_id", "")}
    _fill(body, spec.fields, form)
    if spec.areas:
        rows = []
        for i in range(MAX_ROWS):
            if f"areas[{i}].code" not in form:
                break
            row: dict[str, Any] = {"code": form[f"areas[{i}].code"]}
            _fill(row, spec.area_fields, form, f"areas[{i}].")
            rows.append(row)
        body["areas"] = rows
    return body


def new_case_body(form: Mapping[str, str]) -> tuple[dict[str, Any], list[int]]:
    """The open-case body from the new-case form, and the form row of each area sent.

    Rows left entirely empty are not areas; the list maps the body's area index to its row.
    """
    body: dict[str, Any] = {"request_id": form.get("request_id", "")}
    _fill(body, NEW_CASE_FIELDS, form)
    areas, rows = [], []
    for i in range(MAX_ROWS):
        prefix = f"areas[{i}]."
        if not any(form.get(prefix + f.name, "").strip() for f in NEW_AREA_FIELDS):
            continue
        area: dict[str, Any] = {}
        _fill(area, NEW_AREA_FIELDS, form, prefix)
        areas.append(area)
        rows.append(i)
    body["areas"] = areas
    return body, rows


def refusal_messages(
    error: DomainError | ValidationError, command: str | None = None, areas: list[str] | None = None
) -> dict[str, str]:
    """Field path → Swedish message ("" for a refusal of the whole form), every refused field at once.

    ``command`` names the form whose labels name the fields; ``areas`` the titles of its area rows.
    """
    refusal = error if isinstance(error, DomainError) else from_validation(error.errors())
    messages: dict[str, str] = {}
    for e in refusal.all:
        text = tell(e, "sv", command=command, areas=areas or ())
        key = e.field or ""
        messages[key] = f"{messages[key]} {text}" if key in messages else text
    return messages


def input_id(form_id: str, path: str) -> str:
    """The id of the input (or row) ``path`` of the form ``form_id``, as the templates write it."""
    return form_id + "--" + path.replace("[", "-").replace("]", "").replace(".", "-")


def summary_links(form_id: str, errors: dict[str, str], hidden_codes: bool = True) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary: each refused field's message, linking to its input.

    ``hidden_codes``: the form's area codes are hidden inputs, so a code's refusal links to its row.
    """
    links = []
    for path, text in errors.items():
        target = re.sub(r"\.code$", "", path) if hidden_codes and path.startswith("areas[") else path
        links.append((input_id(form_id, target), text))
    return links


def refused_form(
    form_id: str, error: DomainError, known: set[str], values: Mapping[str, str], **extra: Any
) -> dict[str, Any]:
    """A refused form of the admin pages as the page shows it again: what was typed (never a password),
    each field's message beside it, the rest above, and the error summary's links (``summary_links``)."""
    errors, general = place(refusal_messages(error), known)
    links = summary_links(form_id, errors, hidden_codes=False)
    return typed_form(form_id, values, errors=errors, general=general, links=links, **extra)


def typed_form(form_id: str, values: Mapping[str, str], **extra: Any) -> dict[str, Any]:
    """A form of the admin pages filled in with ``values`` (never a password), as the templates read it;
    ``extra`` adds (or replaces) ``errors``, ``general``, ``links`` or the form's own keys (``roles``)."""
    kept = {k: v for k, v in values.items() if k not in NOT_KEPT}
    return {"id": form_id, "values": kept, "errors": {}, "general": [], "links": [], **extra}


def renumber(messages: dict[str, str], rows: list[int]) -> dict[str, str]:
    """Messages about ``areas[i]`` of a body moved to the form row that area came from."""

    def move(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return f"areas[{rows[index]}]" if index < len(rows) else match.group(0)

    return {re.sub(r"^areas\[(\d+)\]", move, key): text for key, text in messages.items()}


def place(messages: dict[str, str], known: set[str]) -> tuple[dict[str, str], list[str]]:
    """Split messages into those shown beside a known input and those shown above the form.

    A path deeper than any input (``areas[0].requirements[2]``) goes to the nearest input above it.
    """
    beside: dict[str, str] = {}
    above: list[str] = []
    for key, text in messages.items():
        path = key
        while path and path not in known:
            path = re.sub(r"(\[\d+\]|\.?[^.\[]+)$", "", path)
        if path:
            beside[path] = f"{beside[path]} {text}" if path in beside else text
        else:
            above.append(text)
    return beside, above


def known_paths(spec: CommandForm, rows: int) -> set[str]:
    """Every path a refusal of ``spec`` may name that the form shows an input (or row) for."""
    known = {f.name for f in spec.fields}
    if spec.areas:
        known.add("areas")
        for i in range(rows):
            known.add(f"areas[{i}].code")
            known.update(f"areas[{i}].{f.name}" for f in spec.area_fields)
    return known


def prefill(rows: list[Any], areas: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, str]:
    """Form values for ``rows`` (areas with a ``code``) from an earlier draft's areas, matched by code."""
    earlier = {a.get("code"): a for a in areas if isinstance(a, dict)}
    values: dict[str, str] = {}
    for i, row in enumerate(rows):
        for name in names:
            text = earlier.get(row.code, {}).get(name)
            if isinstance(text, str):
                values[f"areas[{i}].{name}"] = text
    return values
