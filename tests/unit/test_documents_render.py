"""Decision documents render as PDF/A-2b with embedded fonts, in seed 003's wording, the same bytes every time."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pypdf
import pytest

from documents.models import DecisionDocument, DocumentInput, FollowUpDecisionDocument
from documents.render import render_pdf
from domain.values import Outcome
from tests.unit.documents_support import SEED_003, ludvika_decision, ludvika_follow_up, ludvika_referral

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "documents"
FOOTER = re.compile(r"Skolinspektionen Dnr .+ Sida \d+ \(\d+\)")
DOCUMENTS = {"decision": ludvika_decision, "follow_up_decision": ludvika_follow_up, "referral": ludvika_referral}


def text_lines(pdf: bytes) -> list[str]:
    """The PDF's text as pypdf extracts it, line by line, without the page footers."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    return [line for line in lines if line and not FOOTER.fullmatch(line)]


def flat(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_the_text_of_each_document_is_the_golden_text(kind: str) -> None:
    golden = (GOLDEN / f"ludvika_{kind}.txt").read_text(encoding="utf-8").splitlines()
    assert text_lines(render_pdf(DOCUMENTS[kind]())) == golden


def test_the_follow_up_decision_says_every_paragraph_of_seed_003_in_order() -> None:
    text = flat(text_lines(render_pdf(ludvika_follow_up())))
    seed = (ROOT / SEED_003).read_text(encoding="utf-8")
    # The seed's paragraphs; "X Name" lines are the e-signature's marks, and the seed writes "Beslut:".
    chunks = [" ".join(c.split()) for c in re.split(r"\n\s*\n", seed)]
    chunks = [re.sub(r"^Beslut: ", "Beslut ", c) for c in chunks if c and not c.startswith("X ")]
    assert len(chunks) > 20
    position = 0
    for chunk in chunks:
        found = text.find(chunk, position)
        assert found >= 0, f"seed 003 says, the PDF does not (after position {position}): {chunk}"
        position = found + len(chunk)


def test_the_decision_carries_the_parties_the_requirements_and_both_signatories() -> None:
    decision = ludvika_decision()
    text = flat(text_lines(render_pdf(decision)))
    for expected in (
        "Beslut 2025-06-26 Dnr 2025:1234",
        "Huvudman Ludvika kommun Organisationsnummer 212000-2270",
        "Skolinspektionen begär att huvudmannen senast den 2 januari 2026 redovisar",
        *(f"Författningsstöd {a.legal_basis}" for a in decision.areas),
        *(f"• {r}" for a in decision.areas for r in a.requirements),
        "Malin Jern Beslutsfattare Signerat av: Malin Jern Marta Rivelis Föredragande Signerat av: Marta Rivelis",
    ):
        assert " ".join(expected.split()) in text


def test_a_second_round_cites_the_follow_up_decision_that_started_it_and_asks_again() -> None:
    first = ludvika_follow_up()
    areas = (
        first.areas[0],
        first.areas[1].model_copy(update={"outcome": Outcome.FURTHER_MEASURES_REQUIRED}),
    )
    second = FollowUpDecisionDocument.model_validate(
        {
            **first.model_dump(),
            "round": 2,
            "previous_follow_up_on": first.decided_on,
            "areas": [a.model_dump() for a in areas],
            "next_response_due": "2026-09-30",
        }
    )
    text = flat(text_lines(render_pdf(second)))
    assert "I uppföljningsbeslut den 5 mars 2026 bedömde Skolinspektionen att ytterligare" in text
    assert "vilka ytterligare åtgärder som vidtagits utifrån identifierade utvecklingsbehov" in text
    assert "Ytterligare kvalitetshöjande åtgärder behövs för att höja kvaliteten i huvudmannens arbete." in text
    assert "senast den 30 september 2026 redovisar vilka ytterligare åtgärder som vidtagits inom bedömningsområdet" in (
        text
    )
    assert "Skolinspektionen avslutar granskningen." not in text


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_each_document_is_identified_as_pdf_a_2b_and_embeds_every_font(kind: str) -> None:
    with pikepdf.open(io.BytesIO(render_pdf(DOCUMENTS[kind]()))) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        assert "/OutputIntents" in pdf.Root
        fonts = [font for page in pdf.pages for font in page.Resources.Font.values()]
        assert fonts
        for font in fonts:
            descriptor = (font.DescendantFonts[0] if font.Subtype == "/Type0" else font).FontDescriptor
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font.BaseFont


def test_the_same_input_renders_the_same_bytes_and_another_date_other_bytes() -> None:
    decision = ludvika_decision()
    assert render_pdf(decision) == render_pdf(ludvika_decision())
    later = decision.model_copy(update={"issued_at": decision.issued_at.replace(hour=10)})
    assert render_pdf(later) != render_pdf(decision)


MARKUP = '#set page(width: 2cm) *fet* _kursiv_ $x^2$ <etikett> @ref `kod` ] [ \\ // /* = Rubrik - punkt "citat"'


def test_typst_markup_in_a_text_is_printed_as_written_never_evaluated() -> None:
    decision = ludvika_decision()
    area = decision.areas[0].model_copy(update={"assessment": f"Bedömning {MARKUP}", "requirements": (MARKUP,)})
    tricky: DocumentInput = DecisionDocument.model_validate(
        {**decision.model_dump(), "areas": [area.model_dump(), decision.areas[1].model_dump()]}
    )
    pdf = render_pdf(tricky)
    text = flat(text_lines(pdf))
    assert f"Bedömning {' '.join(MARKUP.split())}" in text
    assert f"• {' '.join(MARKUP.split())}" in text
    with pikepdf.open(io.BytesIO(pdf)) as document:  # the page is still A4: "#set page" did nothing
        assert [round(float(v)) for v in document.pages[0].MediaBox] == [0, 0, 595, 842]
