"""Inputs of the decision documents for the Ludvika seed, built from the seed's commands (admin/seeds.py).

Seed 003 gives the Inspectorate's motivations word for word; ``admin/seeds.py`` still replays
Ludvika's follow-up with a generic sentence, so the motivations below are seed 003's (issue 17
asks the seeds to carry them; then take them from there). Full names, the review's kind and
period are stand-ins where the commands carry no such field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from admin.seeds import LUDVIKA
from documents.models import (
    DecisionDocument,
    DocumentArea,
    FollowUpDecisionDocument,
    FollowUpDocumentArea,
    Organiser,
    ReferralDocument,
)
from domain.values import Outcome

FULL_NAMES = {"marta.rivelis": "Marta Rivelis", "malin.jern": "Malin Jern"}
REVIEW = {"review_type": "planerad kvalitetsgranskning", "review_period": "vårterminen 2025"}
SEED_003 = "docs/seeds/003_20179328ea451c20.txt"

ANALYS_MOTIVATION = (
    "Av huvudmannens redovisning av vidtagna åtgärder framgår att huvudmannen påbörjat ett arbete med att"
    " analysera variationer i studie- och trygghetsresultat mellan flickor och pojkar på ett sätt som "
    "höjer kvaliteten i huvudmannens arbete. Huvudmannen har i såväl de återkommande resultatdialogerna "
    "med rektorerna och elevhälsan som i kvalitetsrapporten fördjupat uppföljningen och analysen av "
    "skillnader i resultat mellan könen. Huvudmannen har även från och med innevarande läsår infört "
    "justerade mallar för rektorsområdenas kvalitetsrapporter så att analys av eventuella könsskillnader "
    "också ingår där samt uppdaterat innehållet i elevhälsans skattningsverktyg.\n\nHuvudmannen har noterat "
    "att det finns ett mönster som visar att flickor generellt har högre kunskapsresultat både "
    "beträffande gymnasiebehörighet och meritvärde, medan pojkar generellt upplever högre trygghet och "
    "studiero. Däremot framkommer av redovisningen att huvudmannen inte hittat några entydiga orsaker som"
    " kan identifiera skillnaderna. Av den anledningen har huvudmannen initierat ett ökat fokus på "
    "könsskillnader i uppföljningen av resultat och i kvalitetsdialogerna. Kränkningsanmälningar "
    "analyseras också utifrån ett könsperspektiv vilket förbättrat underlaget till arbetet med skolornas "
    "planer för att motverka trakasserier, diskriminering och kränkande behandling. Några direkta "
    "insatser för att motverka skillnader mellan könen har däremot inte vidtagits. Det framgår av "
    "redovisningen att huvudmannen planerar för ett antal ytterligare åtgärder framöver som exempelvis "
    "kan kopplas till trygg lärmiljö. Bland annat ska fortsatta lektionsobservationer och kollegiala "
    "samtal genomföras med mer fokus på könsskillnader. Den utökade uppföljningen av könsskillnader har "
    "enligt huvudmannen ökat medvetenheten kring frågan både hos huvudmannen och inom "
    "verksamheterna.\n\nSkolinspektionen förutsätter att arbetet fortsätter och att analyserna därefter "
    "ligger till grund för framtagande av konkreta insatser för att motverka identifierade "
    "resultatskillnader mellan flickor och pojkar. Huvudmannen behöver också säkerställa att resultatet "
    "av de vidtagna åtgärderna utvärderas systematiskt.\n\nSkolinspektionen bedömer utifrån ovanstående att "
    "huvudmannen har påbörjat ett arbete som ligger i linje med Skolinspektionens bedömning av vad som "
    "behövs för att höja kvaliteten inom bedömningsområdet huvudmannens analys av studieresultat och "
    "trygghet."
)

KOMP_MOTIVATION = (
    "Av huvudmannens redovisning av vidtagna åtgärder framgår att huvudmannen påbörjat ett arbete med att"
    " fördjupa analyserna av de behov elevgrupper med sämre förutsättningar att nå utbildningens mål har."
    " Det framkommer av redovisningen att huvudmannen under höstterminen 2025 analyserade skolornas "
    "kunskapsresultat utifrån ett socioekonomiskt perspektiv i syfte att tydliggöra hur elevernas "
    "socioekonomiska bakgrund hänger samman med kunskapsresultaten. Analysen uppvisade ett tydligt "
    "mönster som huvudmannen använder som en förklaringsgrund till skillnaderna i kunskapsresultaten "
    "mellan skolorna. Det framgår att huvudmannen utifrån analysen förstärkt det kompensatoriska arbetet."
    " Analysen används exempelvis som underlag för prioritering av resurser, riktade språkutvecklande "
    "insatser, elevhälsosatsningar och områdesbaserade insatser. Huvudmannen har under höstterminen 2025 "
    "anställt ett flertal föräldrarådgivare som fokuserar på de socioekonomiska utsatta områdena och som "
    "arbetar förebyggande genom att exempelvis handleda föräldrar i frågor som rör läxläsning. "
    "Huvudmannen deltar också i ett kommungemensamt arbete i de bostadsområden som uppvisar låga "
    "studieresultat och utanförskap, bland annat med läxhjälp. Utöver detta har ett antal rektorer och "
    "utvalda funktioner hos huvudmannen deltagit i en konferens i syfte att lära av andra huvudmän om "
    "deras arbetssätt för att bygga en likvärdig skola.\n\nAv redovisningen framgår att huvudmannen ännu "
    "inte kunnat mäta eventuella effekter av insatserna men att det är något som från och med innevarande"
    " termin avses att göras löpande genom det systematiska kvalitetsarbetet. Framöver planerar "
    "huvudmannen även för att ta fram ytterligare insatser som kan riktas till specifika skolor eller "
    "arbetslag inom flera olika områden som form av stödpaket. Bland annat ska ett stödpaket tas fram "
    "inom språkutveckling eftersom analysen visat att språkutvecklande insatser är ett identifierat behov"
    " på de skolor som har en högre andel elever bosatta i socioekonomiskt utsatta områden. Under "
    "innevarande läsår kommer huvudmannen även genomföra en översyn av resursfördelningsmodellen för att "
    "tydligare koppla huvudmannens analys av resultaten på enhetsnivå till socioekonomiska faktorer. Från"
    " och med 2026 kommer huvudmannen också att följa upp hur respektive skolenhet knyter sin pott för "
    "budgetförstärkning till de socioekonomiska behov som framkommer i "
    "resultatanalyserna.\n\nSkolinspektionen bedömer utifrån ovanstående att huvudmannen har påbörjat ett "
    "arbete som ligger i linje med Skolinspektionens bedömning av vad som krävs för att höja kvaliteten "
    "inom bedömningsområdet huvudmannens kompensatoriska arbete. Skolinspektionen förutsätter att arbetet"
    " fortsätter och att resultatet av de vidtagna åtgärderna utvärderas."
)

MOTIVATIONS = {"analys": ANALYS_MOTIVATION, "kompensatoriskt": KOMP_MOTIVATION}


def _step(command: str) -> tuple[dict[str, Any], str]:
    step = next(s for s in LUDVIKA.steps if s.command == command)
    return step.payload, step.username


def _areas() -> dict[str, dict[str, Any]]:
    opened, _ = _step("open-case")
    drafted, _ = _step("draft-decision")
    judged = {a["code"]: a for a in drafted["areas"]}
    return {a["code"]: {**a, **judged[a["code"]]} for a in opened["areas"]}


def _common(decided_on: str, signer: str) -> dict[str, Any]:
    opened, _ = _step("open-case")
    day = date.fromisoformat(decided_on)
    return {
        "dnr": opened["dnr"],
        "case_title": opened["title"],
        "organiser": Organiser(name=LUDVIKA.organiser_name, organisation_number=LUDVIKA.organiser_id),
        "decided_on": day,
        "issued_at": datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC),
        "decision_maker": FULL_NAMES[signer],
        **REVIEW,
    }


def ludvika_decision() -> DecisionDocument:
    """The decision of 26 June 2025."""
    drafted, drafter = _step("draft-decision")
    signed, signer = _step("sign-decision")
    return DecisionDocument(
        **_common(signed["decided_on"], signer),
        drafter=FULL_NAMES[drafter],
        areas=tuple(DocumentArea(**a) for a in _areas().values()),
        response_due=date.fromisoformat(drafted["response_due"]),
    )


def ludvika_follow_up() -> FollowUpDecisionDocument:
    """The follow-up decision of seed 003: both areas in line, the review closed."""
    decision_drafted, _ = _step("draft-decision")
    decision_signed, _ = _step("sign-decision")
    submitted, _ = _step("submit-response")
    drafted, drafter = _step("draft-follow-up")
    signed, signer = _step("sign-follow-up")
    areas = _areas()
    return FollowUpDecisionDocument(
        **_common(signed["decided_on"], signer),
        drafter=FULL_NAMES[drafter],
        round=1,
        first_decided_on=date.fromisoformat(decision_signed["decided_on"]),
        response_due=date.fromisoformat(decision_drafted["response_due"]),
        received_on=date.fromisoformat(submitted["submitted_on"]),
        areas=tuple(
            FollowUpDocumentArea(**areas[a["code"]], outcome=Outcome(a["outcome"]), motivation=MOTIVATIONS[a["code"]])
            for a in drafted["areas"]
        ),
        next_response_due=None,
    )


def ludvika_referral() -> ReferralDocument:
    """A referral of the Ludvika case to supervision (not in the seeds: the account never came)."""
    decision_drafted, _ = _step("draft-decision")
    decision_signed, signer = _step("sign-decision")
    return ReferralDocument(
        **_common("2026-02-16", signer),
        first_decided_on=date.fromisoformat(decision_signed["decided_on"]),
        response_due=date.fromisoformat(decision_drafted["response_due"]),
        areas=tuple(DocumentArea(**a) for a in _areas().values()),
        reason="Huvudmannen har inte redovisat vidtagna åtgärder trots påminnelser.\n\n"
        "Skolinspektionen bedömer att frågan bör prövas inom ramen för tillsyn.",
        reference="2026:0815",
    )
