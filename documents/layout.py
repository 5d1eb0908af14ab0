"""The shape a decision document is laid out in: header, parties, sections of blocks, signatories.

:mod:`documents.wording` turns an input model into a :class:`Layout` (all Swedish text is
written there); :mod:`documents.render` hands the layout to the Typst template as JSON data,
so no text of a case is ever read as Typst markup.
"""

from __future__ import annotations

from typing import Literal

from domain.values import Frozen


class Block(Frozen):
    """One piece of a section: a paragraph, a sub-heading, a bold label, or a bullet list."""

    kind: Literal["paragraph", "subheading", "label", "list"]
    text: str = ""
    items: tuple[str, ...] = ()


class Section(Frozen):
    """A headed part of the document (Inledning, Beslut, Bakgrund …)."""

    heading: str
    blocks: tuple[Block, ...]


class Party(Frozen):
    """A line of the parties block: a label and its value (Huvudman, Organisationsnummer …)."""

    label: str
    value: str


class Signatory(Frozen):
    """A person named under "På Skolinspektionens vägnar"."""

    name: str
    role: str


class Layout(Frozen):
    """Everything the Typst template prints, in order."""

    kind_label: str
    """The document type in the header, e.g. "Uppföljningsbeslut"."""
    title: str
    """The main heading."""
    pdf_title: str
    """The PDF's metadata title (unique per document: kind, Dnr and date)."""
    dnr: str
    date: str
    """The decision date as printed in the header (ISO, as Swedish authorities write it)."""
    parties: tuple[Party, ...]
    sections: tuple[Section, ...]
    signatories: tuple[Signatory, ...]


def paragraphs(text: str) -> tuple[Block, ...]:
    """A free text as paragraph blocks: blank lines separate paragraphs, single newlines are spaces."""
    parts = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(Block(kind="paragraph", text=p) for p in parts if p)


def paragraph(text: str) -> Block:
    """One paragraph."""
    return Block(kind="paragraph", text=text)


def subheading(text: str) -> Block:
    """A sub-heading (an area's title)."""
    return Block(kind="subheading", text=text)


def label(text: str) -> Block:
    """A bold label on its own line (e.g. "Författningsstöd")."""
    return Block(kind="label", text=text)


def bullets(items: tuple[str, ...]) -> Block:
    """A bullet list."""
    return Block(kind="list", items=items)
