"""The words of the seed cases: texts quoted from the two seed documents, and every stand-in in one place.

``docs/seeds/003_20179328ea451c20.txt`` is Skolinspektionen's follow-up decision for Ludvika kommun;
``docs/seeds/000_07f1176e1f07cdf2.txt`` is Trelleborg kommun's own account of its second round (Dnr
2020:7120). Texts below marked "seed 003" or "seed 000" are quoted from them as written (line breaks
joined; blank lines separate paragraphs). Where the documents are silent, :data:`STAND_INS` declares the
value used and why: nothing else in ``admin/seeds.py`` is invented.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StandIn(BaseModel):
    """A value the seed documents do not give: what is used instead, and why."""

    model_config = ConfigDict(frozen=True)

    value: str
    why: str


STAND_INS: dict[str, StandIn] = {
    # -- Ludvika (seed 003: the follow-up decision; it names neither Dnr nor the dates of the steps before it) --
    "ludvika.dnr": StandIn(value="2025:1234", why="seed 003 carries no Dnr"),
    "ludvika.email": StandIn(value="barn.utbildning@ludvika.example", why="a notice address (example domain)"),
    "ludvika.opened_on": StandIn(value="2025-01-20", why="the review was carried out in the spring term of 2025"),
    "ludvika.decision_drafted_on": StandIn(value="2025-06-19", why="a week before the decision of 26 June 2025"),
    "ludvika.account_drafted_on": StandIn(value="2025-12-15", why="before the account arrived on 30 December 2025"),
    "ludvika.board": StandIn(value="Barn- och utbildningsnämnden", why="seed 003 does not say who approved"),
    "ludvika.board_decided_on": StandIn(value="2025-12-17", why="seed 003 does not say when it was approved"),
    "ludvika.board_paragraph": StandIn(value="§ 87", why="seed 003 does not give the paragraph"),
    "ludvika.approval_registered_on": StandIn(value="2025-12-18", why="the day the approval was registered"),
    "ludvika.follow_up_drafted_on": StandIn(value="2026-03-02", why="seed 003 is undated"),
    "ludvika.follow_up_decided_on": StandIn(value="2026-03-05", why="seed 003 is undated"),
    "ludvika.account_texts": StandIn(
        value="summaries of the account", why="seed 003 describes the account; its own words are not given"
    ),
    # -- Trelleborg (seed 000: its own account of round 2, which recounts the earlier steps with their dates) --
    "trelleborg.opened_on": StandIn(value="2020-10-05", why="seed 000 does not say when the review began"),
    "trelleborg.decision_texts": StandIn(
        value="Ludvika's decision texts (seed 003's \"Bedömningen var\")",
        why="seed 000 names Trelleborg's two areas but does not quote the decision of 2021-03-23",
    ),
    "trelleborg.decision_drafted_on": StandIn(value="2021-03-16", why="a week before the decision of 2021-03-23"),
    "trelleborg.response_due": StandIn(value="2021-09-30", why="seed 000 does not give the first due date"),
    "trelleborg.account_drafted_on": StandIn(value="2021-09-01", why="before the board approved on 2021-09-15"),
    "trelleborg.account_texts": StandIn(
        value="short summaries", why="seed 000 does not quote the first round's account"
    ),
    "trelleborg.follow_up_drafted_on": StandIn(value="2021-12-20", why="before the follow-up decision of 2021-12-23"),
    "trelleborg.next_response_due": StandIn(value="2022-06-30", why="seed 000 does not give round 2's due date"),
    "trelleborg.round_2_drafted_on": StandIn(value="2022-05-16", why="seed 000 is undated"),
    "trelleborg.round_2_board_decided_on": StandIn(
        value="2022-06-01", why="seed 000 is the account put to the board; the date of its approval is not given"
    ),
    "trelleborg.round_2_board_paragraph": StandIn(value="§ 58", why="seed 000 does not give the paragraph"),
    "trelleborg.round_2_submitted_on": StandIn(value="2022-06-08", why="seed 000 does not say when it was sent"),
    # -- both --
    "people": StandIn(
        value="marta.rivelis (föredragande), malin.jern (beslutsfattare), one organiser user each",
        why="seed 003 names Marta Rivelis and Malin Jern; seed 000 names no one, so they serve Trelleborg too",
    ),
}
"""Every value the seed cases use that the seed documents do not give."""


def stand_in(key: str) -> str:
    """The stand-in value declared as ``key`` in :data:`STAND_INS`."""
    return STAND_INS[key].value


def note() -> str:
    """The stand-ins in one sentence (printed by ``inspections seeds``)."""
    return "Stand-ins where the seed documents are silent: " + "; ".join(
        f"{key} = {s.value!r} ({s.why})" for key, s in STAND_INS.items()
    )


# -- seed 003 (Ludvika): the decision's assessments ("Bedömningen var: …") and requirements --

ANALYS_ASSESSMENT = (
    "Huvudmannen gör i flera delar relevanta analyser av studieresultat och resultat avseende "
    "trygghet, som kan utgöra underlag för förbättringsåtgärder inom dessa områden."
)

ANALYS_REQUIREMENT = (
    "Huvudmannen behöver fördjupa sina analyser av såväl låga som höga studie- och trygghetsresultat "
    "på ett sådant sätt att huvudmannen finner relevanta förklaringar till variationer och "
    "skillnader mellan flickor och pojkar."
)

KOMP_ASSESSMENT = (
    "Huvudmannen har i låg utsträckning vidtagit relevanta kompensatoriska åtgärder, som syftar till "
    "att elever med sämre förutsättningar ska nå utbildningens mål så långt som möjligt."
)

KOMP_REQUIREMENT = (
    "Huvudmannen behöver fördjupa sina analyser av de behov som elevgrupper med sämre "
    "förutsättningar att nå utbildningens mål har, samt genomföra kompensatoriska åtgärder som "
    "träffsäkert möter dessa behov och ger effekt."
)


# -- seed 003 (Ludvika): "ligger i linje", and the motivation of each area, word for word --

IN_LINE_TEXT = (
    "Huvudmannen har påbörjat ett arbete som ligger i linje med Skolinspektionens bedömning av vad "
    "som behövs för att höja kvaliteten i huvudmannens arbete."
)

LUDVIKA_ANALYS_MOTIVATION = (
    "Av huvudmannens redovisning av vidtagna åtgärder framgår att huvudmannen påbörjat ett arbete "
    "med att analysera variationer i studie- och trygghetsresultat mellan flickor och pojkar på ett "
    "sätt som höjer kvaliteten i huvudmannens arbete. Huvudmannen har i såväl de återkommande "
    "resultatdialogerna med rektorerna och elevhälsan som i kvalitetsrapporten fördjupat "
    "uppföljningen och analysen av skillnader i resultat mellan könen. Huvudmannen har även från och "
    "med innevarande läsår infört justerade mallar för rektorsområdenas kvalitetsrapporter så att "
    "analys av eventuella könsskillnader också ingår där samt uppdaterat innehållet i elevhälsans "
    "skattningsverktyg.\n\n"
    "Huvudmannen har noterat att det finns ett mönster som visar att flickor generellt har högre "
    "kunskapsresultat både beträffande gymnasiebehörighet och meritvärde, medan pojkar generellt "
    "upplever högre trygghet och studiero. Däremot framkommer av redovisningen att huvudmannen inte "
    "hittat några entydiga orsaker som kan identifiera skillnaderna. Av den anledningen har "
    "huvudmannen initierat ett ökat fokus på könsskillnader i uppföljningen av resultat och i "
    "kvalitetsdialogerna. Kränkningsanmälningar analyseras också utifrån ett könsperspektiv vilket "
    "förbättrat underlaget till arbetet med skolornas planer för att motverka trakasserier, "
    "diskriminering och kränkande behandling. Några direkta insatser för att motverka skillnader "
    "mellan könen har däremot inte vidtagits. Det framgår av redovisningen att huvudmannen planerar "
    "för ett antal ytterligare åtgärder framöver som exempelvis kan kopplas till trygg lärmiljö. "
    "Bland annat ska fortsatta lektionsobservationer och kollegiala samtal genomföras med mer fokus "
    "på könsskillnader. Den utökade uppföljningen av könsskillnader har enligt huvudmannen ökat "
    "medvetenheten kring frågan både hos huvudmannen och inom verksamheterna.\n\n"
    "Skolinspektionen förutsätter att arbetet fortsätter och att analyserna därefter ligger till "
    "grund för framtagande av konkreta insatser för att motverka identifierade resultatskillnader "
    "mellan flickor och pojkar. Huvudmannen behöver också säkerställa att resultatet av de vidtagna "
    "åtgärderna utvärderas systematiskt.\n\n"
    "Skolinspektionen bedömer utifrån ovanstående att huvudmannen har påbörjat ett arbete som ligger "
    "i linje med Skolinspektionens bedömning av vad som behövs för att höja kvaliteten inom "
    "bedömningsområdet huvudmannens analys av studieresultat och trygghet."
)

LUDVIKA_KOMP_MOTIVATION = (
    "Av huvudmannens redovisning av vidtagna åtgärder framgår att huvudmannen påbörjat ett arbete "
    "med att fördjupa analyserna av de behov elevgrupper med sämre förutsättningar att nå "
    "utbildningens mål har. Det framkommer av redovisningen att huvudmannen under höstterminen 2025 "
    "analyserade skolornas kunskapsresultat utifrån ett socioekonomiskt perspektiv i syfte att "
    "tydliggöra hur elevernas socioekonomiska bakgrund hänger samman med kunskapsresultaten. "
    "Analysen uppvisade ett tydligt mönster som huvudmannen använder som en förklaringsgrund till "
    "skillnaderna i kunskapsresultaten mellan skolorna. Det framgår att huvudmannen utifrån analysen "
    "förstärkt det kompensatoriska arbetet. Analysen används exempelvis som underlag för "
    "prioritering av resurser, riktade språkutvecklande insatser, elevhälsosatsningar och "
    "områdesbaserade insatser. Huvudmannen har under höstterminen 2025 anställt ett flertal "
    "föräldrarådgivare som fokuserar på de socioekonomiska utsatta områdena och som arbetar "
    "förebyggande genom att exempelvis handleda föräldrar i frågor som rör läxläsning. Huvudmannen "
    "deltar också i ett kommungemensamt arbete i de bostadsområden som uppvisar låga studieresultat "
    "och utanförskap, bland annat med läxhjälp. Utöver detta har ett antal rektorer och utvalda "
    "funktioner hos huvudmannen deltagit i en konferens i syfte att lära av andra huvudmän om deras "
    "arbetssätt för att bygga en likvärdig skola.\n\n"
    "Av redovisningen framgår att huvudmannen ännu inte kunnat mäta eventuella effekter av "
    "insatserna men att det är något som från och med innevarande termin avses att göras löpande "
    "genom det systematiska kvalitetsarbetet. Framöver planerar huvudmannen även för att ta fram "
    "ytterligare insatser som kan riktas till specifika skolor eller arbetslag inom flera olika "
    "områden som form av stödpaket. Bland annat ska ett stödpaket tas fram inom språkutveckling "
    "eftersom analysen visat att språkutvecklande insatser är ett identifierat behov på de skolor "
    "som har en högre andel elever bosatta i socioekonomiskt utsatta områden. Under innevarande "
    "läsår kommer huvudmannen även genomföra en översyn av resursfördelningsmodellen för att "
    "tydligare koppla huvudmannens analys av resultaten på enhetsnivå till socioekonomiska faktorer. "
    "Från och med 2026 kommer huvudmannen också att följa upp hur respektive skolenhet knyter sin "
    "pott för budgetförstärkning till de socioekonomiska behov som framkommer i resultatanalyserna.\n\n"
    "Skolinspektionen bedömer utifrån ovanstående att huvudmannen har påbörjat ett arbete som ligger "
    "i linje med Skolinspektionens bedömning av vad som krävs för att höja kvaliteten inom "
    "bedömningsområdet huvudmannens kompensatoriska arbete. Skolinspektionen förutsätter att arbetet "
    "fortsätter och att resultatet av de vidtagna åtgärderna utvärderas."
)


# -- seed 000 (Trelleborg): the follow-up decision of 2021-12-23 as it recounts it, and its round-2 account --

TRELLEBORG_IN_LINE = (
    "Huvudmannen har påbörjat ett arbete som ligger i linje med vad som behövs för att höja kvaliteten i denna del."
)

TRELLEBORG_FURTHER = (
    "Ytterligare kvalitetshöjande åtgärder behövs som konkretiserar och förtydligar de redan "
    "redovisade åtgärderna i den nya organisationen avseende uppföljningen av effekten av "
    "kompensatoriska åtgärder så att de är träffsäkra på alla skolenheter för elever med sämre "
    "förutsättningar."
)

TRELLEBORG_ROUND_2_MEASURES = (
    "Uppföljning och utvärdering av effekterna av den kompensatoriska resursfördelningen har stärkts "
    "genom 4 tillfällen per läsår på samtliga grundskolor i kommunen. Då bedöms och analyseras "
    "elevernas måluppfyllelse i samtliga ämnen och avvikelser identifieras.\n\n"
    "Under läsåret 2021/22 bedrivs ett arbete för att förbättra det systematiska kvalitetsarbetet "
    "inom bildningsförvaltningens verksamheter. Resultatet av det arbetet är en bättre integration "
    "mellan det konkreta kvalitetsarbetet ute på enheterna och dokumentationen i form av den "
    "kvalitetsrapport som upprättas årligen i varje rektorsområde. Det nationella uppdraget och de "
    "av bildningsnämnden prioriterade effektmålen integreras också på ett tydligare sätt i styrning "
    "samt uppföljning och utvärdering.\n\n"
    "Den nya mallen för kvalitetsrapport som kommer att användas för första gången i samband med det "
    "här läsårets slut har fokus på elevernas kunskapsprogression i 1 - 16 års perspektiv. Data i "
    "form av kunskapsbedömningar i grundskolans samtliga ämnen analyseras 4 ggr under läsåret i det "
    "konkreta systematiska kvalitetsarbetet. De elever och grupper som ännu inte når en godtagbar "
    "kunskapsnivå identifieras och åtgärder vidtages i form av extra anpassningar, särskilt stöd "
    "eller andra åtgärder som bedöms relevanta.\n\n"
    "Grundsärskolan och resursskolorna har egna kvalitetsrapporter från och med 2022 för att "
    "huvudmannen ska kunna bedöma effekterna av den kompensatoriska resursfördelningen för eleverna "
    "på dessa enheter.\n\n"
    "De kvalitetsdialoger och verksamhetsdialoger mellan förvaltningen och rektorerna som äger rum "
    "har också fokus på elevernas kunskapsprogression samt det kompensatoriska uppdraget, både kring "
    "förutsättningarna, åtgärder och insatser samt effekten av dessa."
)

TRELLEBORG_ROUND_2_EVALUATION = (
    "Vid nästa uppföljningstillfälle analyseras återigen elevernas kunskapsprogression med fokus på "
    "effekten av vidtagna åtgärder i det kompensatoriska arbetet och bedömning görs om fortsatta "
    "insatser eller eventuellt andra insatser. I anvisningarna till kvalitetsrapporten betonas "
    "analysen av elevernas kunskapsprogression samt effekterna av extra anpassningar, särskilt stöd, "
    "extra utmaningar samt resultat och måluppfyllelse för nyanlända."
)
