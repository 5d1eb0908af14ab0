"""How a command appears to a person: its form, declared with the command (``form = CommandForm(...)``).

Pure data: the web layer renders these and turns the submitted form back into the command's body.
An input is named by the same path a refusal names it with (``decided_on``, ``areas[1].measures``),
so an error finds its field without a translation table. Every text a person reads is Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "textarea", "date", "lines", "outcome", "select", "password", "checkbox", "files"]
"""How an input is shown: a line, a text box, a date, one line per item, the follow-up verdict, a list, a
yes/no box, or PDF files to attach (the page uploads them and sends their SHA-256 as the field's list)."""


@dataclass(frozen=True)
class Input:
    """One input of a form: its name (the field path), Swedish label and kind."""

    name: str
    label: str
    kind: Kind = "text"
    required: bool = True
    hint: str = ""
    today: bool = False
    """Pre-fill with today's date (dates of things that happen now: signing, submitting)."""
    when: str = ""
    """For an input not always required: when it is ("krävs om …"), shown instead of "valfritt"."""
    choices: tuple[tuple[str, str], ...] = ()
    """A ``select``'s choices: (value, Swedish text); empty when the page supplies them (users, organisers)."""


@dataclass(frozen=True)
class CommandForm:
    """The form of one command: heading, button, inputs and (for area texts) one row per area.

    ``areas`` says which of the case's areas get a row of ``area_fields``: ``"all"`` of them,
    the ``"open"`` ones, or ``"new"`` rows the person fills in (opening a case). ``done`` is the
    message shown once the command has taken effect; ``danger`` marks a step that ends or
    undoes something (shown folded, with a warning colour). ``command`` is the command's name,
    filled in from the command class (see ``domain.commands.FORMS``).
    """

    title: str
    button: str
    done: str
    fields: tuple[Input, ...] = ()
    area_fields: tuple[Input, ...] = ()
    areas: Literal["", "all", "open", "new"] = ""
    danger: bool = False
    command: str = ""


DECIDED_ON = Input("decided_on", "Beslutsdatum", "date", today=True)
"""The date a decision was made, shared by every command that records one."""
