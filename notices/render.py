"""Render a letter as a subject, a plain-text body and an HTML body (Swedish, autoescaped).

Each notice kind has its own plain-text template; the HTML body lays out the same text
(headings, paragraphs, bullet lists) through one autoescaped layout, so the two never say
different things.
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date
from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel, ConfigDict

from notices.letters import Letter

HEADINGS = {"Inledning", "Beslut", "Bakgrund"}


def sv_date(value: date | None) -> str:
    """A date as Swedish readers expect it: "2 januari 2026"."""
    return format_date(value, format="long", locale="sv_SE") if value else "(datum saknas)"


def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("notices", "templates"),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["sv_date"] = sv_date
    return env


_TEXT = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


class MailAttachment(BaseModel):
    """A file sent with a notice: the sealed decision PDF a decision's letter carries."""

    model_config = ConfigDict(frozen=True)

    filename: str
    media_type: str
    content: bytes


class RenderedNotice(BaseModel):
    """A notice ready to send."""

    model_config = ConfigDict(frozen=True)

    subject: str
    text: str
    html: str
    attachments: tuple[MailAttachment, ...] = ()


class _Block(BaseModel):
    kind: str
    text: str = ""
    level: int = 2
    items: list[str] = []
    """List items, or the lines of a paragraph."""


def render(letter: Letter, subject: str) -> RenderedNotice:
    """The notice for ``letter`` under ``subject`` (the outbox's): plain text and HTML."""
    text = _TEXT.get_template(f"{letter.kind}.txt.j2").render(letter=letter)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    html = _HTML.get_template("letter.html.j2").render(subject=subject, blocks=_blocks(text))
    return RenderedNotice(subject=subject, text=text, html=html)


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    for index, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        lines = paragraph.strip().split("\n")
        if all(line.startswith("• ") for line in lines):
            blocks.append(_Block(kind="list", items=[line[2:] for line in lines]))
        elif index == 0:
            blocks.append(_Block(kind="heading", level=1, text=lines[0]))
            blocks.append(_Block(kind="paragraph", items=lines[1:]))
        elif len(lines) == 1 and _looks_like_heading(lines[0]):
            blocks.append(_Block(kind="heading", level=2 if lines[0] in HEADINGS else 3, text=lines[0]))
        else:
            blocks.append(_Block(kind="paragraph", items=lines))
    return blocks


def _looks_like_heading(line: str) -> bool:
    return line in HEADINGS or (len(line) < 90 and not line.endswith((".", ":", ")")) and "§" not in line)
