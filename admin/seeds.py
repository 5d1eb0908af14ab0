"""The two real cases of ../shared/seeds/ told as the commands people issue.

Ludvika kommun (follow-up decision, one round, both areas in line, closed) and
Trelleborg kommun (Dnr 2020:7120: area 1 in line at the first follow-up, area 2 into
round 2). Dates and texts come from the documents; where a document is silent (Ludvika's
Dnr, the opening dates, Ludvika's board, Trelleborg's due dates) the value is a plausible
stand-in and says so in ``NOTE``. Used by the tests, the demo data and ``inspections seeds``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from domain import Role, User

NOTE = (
    "Stand-ins where the seed documents are silent: Ludvika's Dnr and opening date, its board "
    "and paragraph, the date of its follow-up decision; Trelleborg's opening date and due dates."
)

ANALYS = {
    "code": "analys",
    "title": "Huvudmannens analys av studieresultat och trygghet",
    "legal_basis": "1 kap. 9 §, 4 kap. 3, 5-7 §§, 5 kap. 3 § skollagen",
}
KOMPENSATORISKT = {
    "code": "kompensatoriskt",
    "title": "Huvudmannens kompensatoriska arbete",
    "legal_basis": "1 kap. 9 §, 2 kap. 8 §, 4 kap. 7 § skollagen",
}
ANALYS_ASSESSMENT = (
    "Huvudmannen gör i flera delar relevanta analyser av studieresultat och resultat avseende trygghet, "
    "som kan utgöra underlag för förbättringsåtgärder inom dessa områden."
)
ANALYS_REQUIREMENT = (
    "Huvudmannen behöver fördjupa sina analyser av såväl låga som höga studie- och trygghetsresultat på ett "
    "sådant sätt att huvudmannen finner relevanta förklaringar till variationer och skillnader mellan "
    "flickor och pojkar."
)
KOMP_ASSESSMENT = (
    "Huvudmannen har i låg utsträckning vidtagit relevanta kompensatoriska åtgärder, som syftar till att "
    "elever med sämre förutsättningar ska nå utbildningens mål så långt som möjligt."
)
KOMP_REQUIREMENT = (
    "Huvudmannen behöver fördjupa sina analyser av de behov som elevgrupper med sämre förutsättningar att "
    "nå utbildningens mål har, samt genomföra kompensatoriska åtgärder som träffsäkert möter dessa behov "
    "och ger effekt."
)
IN_LINE_TEXT = (
    "Huvudmannen har påbörjat ett arbete som ligger i linje med Skolinspektionens bedömning av vad som "
    "behövs för att höja kvaliteten i huvudmannens arbete."
)


class SeedStep(BaseModel):
    """One command as a person issued it, on a business day."""

    model_config = ConfigDict(frozen=True)

    on: date
    username: str
    command: str
    payload: dict[str, Any]


class SeedCase(BaseModel):
    """A case told as commands, with the people and the organiser it needs."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    organiser_id: str
    organiser_name: str
    organiser_email: str
    users: dict[str, User]
    steps: tuple[SeedStep, ...]


def _users(organiser_id: str, organiser_user: str) -> dict[str, User]:
    return {
        "marta.rivelis": User(username="marta.rivelis", roles=frozenset({Role.INSPECTOR})),
        "malin.jern": User(username="malin.jern", roles=frozenset({Role.DECISION_MAKER})),
        organiser_user: User(username=organiser_user, roles=frozenset({Role.ORGANISER}), organiser_id=organiser_id),
    }


def _step(on: str, username: str, command: str, request_id: str, **payload: Any) -> SeedStep:
    return SeedStep(
        on=date.fromisoformat(on), username=username, command=command, payload={"request_id": request_id, **payload}
    )


LUDVIKA = SeedCase(
    case_id="ludvika-2025",
    organiser_id="212000-2270",
    organiser_name="Ludvika kommun",
    organiser_email="barn.utbildning@ludvika.example",
    users=_users("212000-2270", "ludvika.forvaltning"),
    steps=(
        _step(
            "2025-01-20",
            "marta.rivelis",
            "open-case",
            "ludvika-open",
            dnr="2025:1234",
            organiser_id="212000-2270",
            title="Kvalitetsgranskning av Ludvika kommun, vårterminen 2025",
            opened_on="2025-01-20",
            areas=[ANALYS, KOMPENSATORISKT],
        ),
        _step(
            "2025-06-19",
            "marta.rivelis",
            "draft-decision",
            "ludvika-draft-decision",
            response_due="2026-01-02",
            areas=[
                {"code": "analys", "assessment": ANALYS_ASSESSMENT, "requirements": [ANALYS_REQUIREMENT]},
                {"code": "kompensatoriskt", "assessment": KOMP_ASSESSMENT, "requirements": [KOMP_REQUIREMENT]},
            ],
        ),
        _step("2025-06-26", "malin.jern", "sign-decision", "ludvika-sign-decision", decided_on="2025-06-26"),
        _step(
            "2025-12-15",
            "ludvika.forvaltning",
            "draft-response",
            "ludvika-draft-response",
            areas=[
                {
                    "code": "analys",
                    "measures": "Fördjupad uppföljning och analys av skillnader i resultat mellan "
                    "flickor och pojkar i resultatdialoger, elevhälsan och kvalitetsrapporten; justerade mallar.",
                    "evaluation": "Könsskillnader följs upp i kvalitetsdialogerna och i kvalitetsrapporten.",
                },
                {
                    "code": "kompensatoriskt",
                    "measures": "Analys av kunskapsresultat utifrån ett socioekonomiskt "
                    "perspektiv; riktade språkutvecklande insatser, föräldrarådgivare och områdesbaserade insatser.",
                    "evaluation": "Effekterna mäts löpande i det systematiska kvalitetsarbetet från vårterminen 2026.",
                },
            ],
        ),
        _step(
            "2025-12-18",
            "ludvika.forvaltning",
            "approve-response",
            "ludvika-approve",
            body="Barn- och utbildningsnämnden",
            decided_on="2025-12-17",
            paragraph="§ 87",
        ),
        _step("2025-12-30", "ludvika.forvaltning", "submit-response", "ludvika-submit", submitted_on="2025-12-30"),
        _step(
            "2026-03-02",
            "marta.rivelis",
            "draft-follow-up",
            "ludvika-draft-follow-up",
            next_response_due=None,
            areas=[
                {"code": "analys", "outcome": "in_line", "motivation": IN_LINE_TEXT},
                {"code": "kompensatoriskt", "outcome": "in_line", "motivation": IN_LINE_TEXT},
            ],
        ),
        _step("2026-03-05", "malin.jern", "sign-follow-up", "ludvika-sign-follow-up", decided_on="2026-03-05"),
    ),
)

TRELLEBORG = SeedCase(
    case_id="trelleborg-2020-7120",
    organiser_id="212000-1173",
    organiser_name="Trelleborgs kommun",
    organiser_email="bildningsforvaltningen@trelleborg.example",
    users=_users("212000-1173", "trelleborg.bildning"),
    steps=(
        _step(
            "2020-10-05",
            "marta.rivelis",
            "open-case",
            "trelleborg-open",
            dnr="2020:7120",
            organiser_id="212000-1173",
            title="Regelbunden kvalitetsgranskning av Trelleborgs kommun",
            opened_on="2020-10-05",
            areas=[ANALYS, KOMPENSATORISKT],
        ),
        _step(
            "2021-03-16",
            "marta.rivelis",
            "draft-decision",
            "trelleborg-draft-decision",
            response_due="2021-09-30",
            areas=[
                {"code": "analys", "assessment": ANALYS_ASSESSMENT, "requirements": [ANALYS_REQUIREMENT]},
                {"code": "kompensatoriskt", "assessment": KOMP_ASSESSMENT, "requirements": [KOMP_REQUIREMENT]},
            ],
        ),
        _step("2021-03-23", "malin.jern", "sign-decision", "trelleborg-sign-decision", decided_on="2021-03-23"),
        _step(
            "2021-09-01",
            "trelleborg.bildning",
            "draft-response",
            "trelleborg-draft-response",
            areas=[
                {
                    "code": "analys",
                    "measures": "Analysen av studieresultat och trygghet har fördjupats.",
                    "evaluation": "Följs upp i den årliga kvalitetsrapporten.",
                },
                {
                    "code": "kompensatoriskt",
                    "measures": "Kompensatorisk resursfördelning utifrån "
                    "vårdnadshavarnas utbildningsbakgrund; ny organisation för uppföljning.",
                    "evaluation": "Effekten följs upp i kvalitetsdialogerna med rektorerna.",
                },
            ],
        ),
        _step(
            "2021-09-15",
            "trelleborg.bildning",
            "approve-response",
            "trelleborg-approve",
            body="Bildningsnämnden",
            decided_on="2021-09-15",
            paragraph="§ 122",
        ),
        _step("2021-09-22", "trelleborg.bildning", "submit-response", "trelleborg-submit", submitted_on="2021-09-22"),
        _step(
            "2021-12-20",
            "marta.rivelis",
            "draft-follow-up",
            "trelleborg-draft-follow-up",
            next_response_due="2022-06-30",
            areas=[
                {"code": "analys", "outcome": "in_line", "motivation": IN_LINE_TEXT},
                {
                    "code": "kompensatoriskt",
                    "outcome": "further_measures_required",
                    "motivation": "Ytterligare kvalitetshöjande åtgärder behövs som konkretiserar och förtydligar "
                    "de redan redovisade åtgärderna avseende uppföljningen av effekten av kompensatoriska åtgärder, så "
                    "att de är träffsäkra på alla skolenheter för elever med sämre förutsättningar.",
                },
            ],
        ),
        _step("2021-12-23", "malin.jern", "sign-follow-up", "trelleborg-sign-follow-up", decided_on="2021-12-23"),
    ),
)

SEEDS: dict[str, SeedCase] = {"ludvika": LUDVIKA, "trelleborg": TRELLEBORG}

_DATE_FIELDS = ("opened_on", "response_due", "decided_on", "submitted_on", "next_response_due")


def shifted(seed: SeedCase, opened_on: date, case_id: str | None = None, dnr: str | None = None) -> SeedCase:
    """The same case moved in time so that it opens on ``opened_on`` (every date keeps its distance).

    Workflows take "today" from their clock, so a seed run on a live stack or a test server
    must start today; ``case_id`` and ``dnr`` let one seed be run many times.
    """
    delta = opened_on - seed.steps[0].on

    def move(payload: dict[str, Any]) -> dict[str, Any]:
        moved = dict(payload)
        for name in _DATE_FIELDS:
            if moved.get(name):
                moved[name] = (date.fromisoformat(moved[name]) + delta).isoformat()
        if dnr is not None and "dnr" in moved:
            moved["dnr"] = dnr
        if case_id is not None:
            moved["request_id"] = f"{case_id}:{moved['request_id']}"
        return moved

    steps = tuple(s.model_copy(update={"on": s.on + delta, "payload": move(s.payload)}) for s in seed.steps)
    return seed.model_copy(update={"steps": steps, "case_id": case_id or seed.case_id})


def compressed(seed: SeedCase, today: date, case_id: str, dnr: str) -> SeedCase:
    """The case with every step issued ``today`` and every due date as far ahead as it was.

    For a live clock that cannot be moved: dates of things that happened become today,
    due dates keep their distance from the step that set them.
    """
    moved_steps = []
    for step in seed.steps:
        payload = dict(step.payload)
        for name in _DATE_FIELDS:
            if not payload.get(name):
                continue
            if name.endswith("due"):
                ahead = date.fromisoformat(payload[name]) - step.on
                payload[name] = (today + ahead).isoformat()
            else:
                payload[name] = today.isoformat()
        if "dnr" in payload:
            payload["dnr"] = dnr
        payload["request_id"] = f"{case_id}:{payload['request_id']}"
        moved_steps.append(step.model_copy(update={"on": today, "payload": payload}))
    return seed.model_copy(update={"steps": tuple(moved_steps), "case_id": case_id})
