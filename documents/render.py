"""Render a decision document as PDF/A-2b with Typst (the ``typst`` wheel: no system library, no network).

The case's texts travel as JSON in ``sys.inputs`` and the template prints them as plain
text, so nothing a user typed is evaluated as Typst markup. Only the fonts compiled into
Typst are used (Libertinus Serif: every Swedish letter, §, the bullet and dashes) and they
are embedded in the PDF; system fonts are ignored so every machine renders the same bytes.
The creation date comes from the input (``issued_at``), so the same input gives the same PDF.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import typst

from documents.layout import Layout
from documents.models import DocumentInput
from documents.wording import layout_for

TEMPLATE = Path(__file__).parent / "templates" / "decision.typ"
PDF_STANDARD = "a-2b"


_COMPILERS = threading.local()
"""One Typst compiler per thread: it keeps the template and the fonts parsed between documents (a fresh
compile costs 2–3 times the CPU), and one compiler may not be used by two threads at once."""


def _compiler() -> typst.Compiler:
    compiler: typst.Compiler | None = getattr(_COMPILERS, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(TEMPLATE, root=TEMPLATE.parent, ignore_system_fonts=True)
        _COMPILERS.compiler = compiler
    return compiler


class RenderError(Exception):
    """Typst could not lay out the document (a bug in the template or the layout, never the user's text)."""


def render_pdf(document: DocumentInput) -> bytes:
    """The document as PDF/A-2b bytes; the same input always gives the same bytes."""
    # typst takes whole seconds only; a workflow's clock has microseconds
    return render_layout(layout_for(document), document.issued_at.astimezone(UTC).replace(microsecond=0))


def render_layout(layout: Layout, created_at: datetime) -> bytes:
    """Compile ``layout`` with the template; ``created_at`` (an aware datetime) is the PDF's creation date."""
    try:
        pdf, warnings = _compiler().compile_with_warnings(
            sys_inputs={"layout": layout.model_dump_json()},
            pdf_standards=PDF_STANDARD,
            timestamp=created_at,
        )
    except typst.TypstError as error:
        raise RenderError(f"typst: {error.message} {error.diagnostic}".strip()) from error
    if warnings:  # e.g. a glyph missing from the font: fail loudly rather than print a blank box
        raise RenderError("typst warned: " + "; ".join(w.message for w in warnings))
    assert isinstance(pdf, bytes)
    return pdf
