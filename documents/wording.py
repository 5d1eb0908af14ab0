"""The Swedish wording of the decision documents, laid out like Skolinspektionen's decisions (seed 003).

The sentences are the letters' (``notices`` templates) and the seed's: the introduction, the
outcome sentences, the closing sentence and the request for the next account. Each function
takes one input model and returns the :class:`~documents.layout.Layout` to print.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from documents.layout import Block, Layout, Party, Section, Signatory, bullets, label, paragraph, paragraphs, subheading
from documents.models import (
    DecisionDocument,
    DocumentArea,
    DocumentBase,
    DocumentInput,
    FollowUpDecisionDocument,
    ReferralDocument,
)
from domain.values import Outcome

IN_LINE = (
    "Huvudmannen har påbörjat ett arbete som ligger i linje med Skolinspektionens bedömning av vad som behövs "
    "för att höja kvaliteten i huvudmannens arbete."
)
FURTHER_MEASURES = "Ytterligare kvalitetshöjande åtgärder behövs för att höja kvaliteten i huvudmannens arbete."
CLOSES = "Skolinspektionen avslutar granskningen."
DECISION_MAKER = "Beslutsfattare"
DRAFTER = "Föredragande"


def sv_date(value: date) -> str:
    """A date as Swedish readers expect it in running text: "2 januari 2026"."""
    return format_date(value, format="long", locale="sv_SE")


def layout_for(document: DocumentInput) -> Layout:
    """The layout of any decision document."""
    match document:
        case DecisionDocument():
            return decision_layout(document)
        case FollowUpDecisionDocument():
            return follow_up_layout(document)
        case ReferralDocument():
            return referral_layout(document)


def decision_layout(doc: DecisionDocument) -> Layout:
    """The decision after the review: what must be developed, by when, and the assessment per area."""
    required = [a for a in doc.areas if a.requirements]
    if required:
        verdict: list[Block] = [
            paragraph(
                "Skolinspektionen bedömer att huvudmannen behöver inleda ett utvecklingsarbete inom "
                f"{_areas_phrase(required)}:"
            ),
            bullets(tuple(a.title for a in required)),
            *(
                paragraph(f"Inom bedömningsområdet {_lower_first(a.title)} har inga utvecklingsbehov identifierats.")
                for a in doc.areas
                if not a.requirements
            ),
            paragraph(
                f"Skolinspektionen begär att huvudmannen senast den {_due(doc.response_due)} redovisar vilka "
                "åtgärder som vidtagits utifrån identifierade utvecklingsbehov. Redovisningen ska ha behandlats av "
                "huvudmannens nämnd eller av den som nämnden delegerat till."
            ),
        ]
    else:
        verdict = [paragraph("Inget bedömningsområde har utvecklingsbehov. " + CLOSES)]
    assessments: list[Block] = []
    for area in doc.areas:
        assessments += [*_area_basis(area), *paragraphs(area.assessment)]
        if area.requirements:
            assessments += [paragraph(_requirements_intro(area, "behöver")), bullets(area.requirements)]
        else:
            assessments.append(paragraph("Inom området har inga utvecklingsbehov identifierats."))
    return _layout(
        doc,
        kind_label="Beslut",
        title=f"Beslut efter {doc.review_type} av {doc.organiser.name}",
        sections=(
            Section(heading="Inledning", blocks=_introduction(doc)),
            Section(heading="Beslut", blocks=tuple(verdict)),
            Section(heading="Skolinspektionens bedömning", blocks=tuple(assessments)),
        ),
        signatories=(
            Signatory(name=doc.decision_maker, role=DECISION_MAKER),
            Signatory(name=doc.drafter, role=DRAFTER),
        ),
    )


def follow_up_layout(doc: FollowUpDecisionDocument) -> Layout:
    """The follow-up decision: the outcome per area, closing or asking for more, and the background (seed 003)."""
    intro = [
        *_introduction(doc),
        paragraph(
            "Vid granskningen identifierade Skolinspektionen ett antal utvecklingsområden för huvudmannen som angetts "
            f"i beslut den {sv_date(doc.first_decided_on)}."
        ),
    ]
    further = "" if doc.round == 1 else "ytterligare "
    if doc.previous_follow_up_on is not None:
        intro.append(
            paragraph(
                f"I uppföljningsbeslut den {sv_date(doc.previous_follow_up_on)} bedömde Skolinspektionen att "
                f"ytterligare kvalitetshöjande åtgärder behövdes inom {_areas_phrase(list(doc.areas), definite=True)} "
                f"{_titles(list(doc.areas))}."
            )
        )
    intro.append(
        paragraph(
            f"Skolinspektionen har begärt att huvudmannen senast den {sv_date(doc.response_due)} ska redovisa till "
            f"Skolinspektionen vilka {further}åtgärder som vidtagits utifrån identifierade utvecklingsbehov. "
            f"Huvudmannen har inkommit med en sådan redovisning den {sv_date(doc.received_on)}."
        )
    )
    verdict: list[Block] = [paragraph("Skolinspektionen bedömer redovisade åtgärder på följande sätt:")]
    for area in doc.areas:
        verdict += [subheading(area.title), paragraph(IN_LINE if area.outcome is Outcome.IN_LINE else FURTHER_MEASURES)]
    if doc.closes_case:
        verdict.append(paragraph(CLOSES))
    else:
        open_areas = [a for a in doc.areas if a.outcome is not Outcome.IN_LINE]
        verdict.append(
            paragraph(
                f"Skolinspektionen begär att huvudmannen senast den {_due(doc.next_response_due)} redovisar vilka "
                f"ytterligare åtgärder som vidtagits inom {_areas_phrase(open_areas, definite=True)} "
                f"{_titles(open_areas)}."
            )
        )
    background: list[Block] = []
    for area in doc.areas:
        background += _area_basis(area)
        text = f"Bedömningen var: {' '.join(area.assessment.split())}"
        if area.requirements:
            text += " " + _requirements_intro(area, "behövde")
        background.append(paragraph(text))
        if area.requirements:
            background.append(bullets(area.requirements))
        background += paragraphs(area.motivation)
    return _layout(
        doc,
        kind_label="Uppföljningsbeslut",
        title=f"Uppföljningsbeslut efter {doc.review_type} av {doc.organiser.name}",
        sections=(
            Section(heading="Inledning", blocks=tuple(intro)),
            Section(heading="Beslut", blocks=tuple(verdict)),
            Section(heading="Bakgrund", blocks=tuple(background)),
        ),
        signatories=(
            Signatory(name=doc.decision_maker, role=DECISION_MAKER),
            Signatory(name=doc.drafter, role=DRAFTER),
        ),
    )


def referral_layout(doc: ReferralDocument) -> Layout:
    """The decision to refer the case to supervision: the decision, its reasons and the areas still open."""
    history: list[Block] = []
    if doc.first_decided_on is not None:
        history.append(
            paragraph(
                "Vid granskningen identifierade Skolinspektionen ett antal utvecklingsområden för huvudmannen som "
                f"angetts i beslut den {sv_date(doc.first_decided_on)}."
            )
        )
    if doc.response_due is not None:
        history.append(
            paragraph(
                f"Huvudmannen skulle senast den {sv_date(doc.response_due)} redovisa till Skolinspektionen vilka "
                "åtgärder som vidtagits utifrån identifierade utvecklingsbehov."
            )
        )
    still_open = (
        "Följande bedömningsområde är inte avslutat:"
        if len(doc.areas) == 1
        else ("Följande bedömningsområden är inte avslutade:")
    )
    history.append(paragraph(still_open))
    for area in doc.areas:
        history += _area_basis(area)
        history.append(paragraph(f"Bedömningen var: {' '.join(area.assessment.split())}"))
        if area.requirements:
            history.append(bullets(area.requirements))
    return _layout(
        doc,
        kind_label="Beslut",
        title="Beslut om överlämnande till tillsyn",
        sections=(
            Section(heading="Inledning", blocks=_introduction(doc)),
            Section(
                heading="Beslut",
                blocks=(
                    paragraph(
                        "Skolinspektionen avslutar uppföljningen av kvalitetsgranskningen och prövar i stället frågan "
                        "inom ramen för tillsyn."
                    ),
                    paragraph(f"Tillsynsärendet har Dnr {doc.reference}."),
                ),
            ),
            Section(heading="Skäl för beslutet", blocks=paragraphs(doc.reason)),
            Section(heading="Bakgrund", blocks=tuple(history)),
        ),
        signatories=(Signatory(name=doc.decision_maker, role=DECISION_MAKER),),
    )


def _layout(
    doc: DocumentBase,
    *,
    kind_label: str,
    title: str,
    sections: tuple[Section, ...],
    signatories: tuple[Signatory, ...],
) -> Layout:
    return Layout(
        kind_label=kind_label,
        title=title,
        pdf_title=f"{kind_label}, Dnr {doc.dnr}, {doc.decided_on.isoformat()}",
        dnr=doc.dnr,
        date=doc.decided_on.isoformat(),
        parties=(
            Party(label="Huvudman", value=doc.organiser.name),
            Party(label="Organisationsnummer", value=doc.organiser.organisation_number),
            Party(label="Ärende", value=doc.case_title),
        ),
        sections=sections,
        signatories=signatories,
    )


def _introduction(doc: DocumentBase) -> tuple[Block, ...]:
    text = f"Skolinspektionen har genomfört en {doc.review_type} av {doc.organiser.name.upper()}."
    if doc.review_period:
        text += f" Granskningen genomfördes under {doc.review_period}."
    return (paragraph(text),)


def _due(value: date | None) -> str:
    # The input models' validators guarantee a due date wherever a sentence asks for one.
    assert value is not None, "a due date the input model guarantees is missing"
    return sv_date(value)


def _area_basis(area: DocumentArea) -> list[Block]:
    return [subheading(area.title), label("Författningsstöd"), paragraph(area.legal_basis)]


def _requirements_intro(area: DocumentArea, verb: str) -> str:
    plural = "ar" if len(area.requirements) > 1 else ""
    return f"Ett utvecklingsarbete {verb} inledas inom följande del{plural}:"


def _areas_phrase(areas: list[DocumentArea], definite: bool = False) -> str:
    if definite:
        return "bedömningsområdet" if len(areas) == 1 else "bedömningsområdena"
    return "följande bedömningsområde" if len(areas) == 1 else "följande bedömningsområden"


def _titles(areas: list[DocumentArea]) -> str:
    names = [_lower_first(a.title) for a in areas]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
