"""The two real cases of ``docs/seeds/`` told as the commands people issue.

Ludvika kommun (seed 003: the follow-up decision — one round, both areas in line, closed) and
Trelleborg kommun (seed 000: Dnr 2020:7120 — area 1 in line at the first follow-up, area 2 into
round 2, whose account seed 000 itself is). Dates and texts come from the documents
(``admin/seed_texts.py`` quotes them); every value they do not give is a stand-in declared once, in
``admin.seed_texts.STAND_INS``. Used by the tests, the demo data and ``inspections seeds``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from admin.seed_texts import (
    ANALYS_ASSESSMENT,
    ANALYS_REQUIREMENT,
    IN_LINE_TEXT,
    KOMP_ASSESSMENT,
    KOMP_REQUIREMENT,
    LUDVIKA_ANALYS_MOTIVATION,
    LUDVIKA_KOMP_MOTIVATION,
    TRELLEBORG_FURTHER,
    TRELLEBORG_IN_LINE,
    TRELLEBORG_ROUND_2_EVALUATION,
    TRELLEBORG_ROUND_2_MEASURES,
    note,
    stand_in,
)
from domain import Role, User

NOTE = note()
"""Every stand-in, in one sentence."""

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
DECISION_AREAS = [
    {"code": "analys", "assessment": ANALYS_ASSESSMENT, "requirements": [ANALYS_REQUIREMENT]},
    {"code": "kompensatoriskt", "assessment": KOMP_ASSESSMENT, "requirements": [KOMP_REQUIREMENT]},
]
"""Seed 003's decision of 26 June 2025 (Trelleborg's are a stand-in: ``trelleborg.decision_texts``)."""

__all__ = [
    "ANALYS",
    "ANALYS_ASSESSMENT",
    "ANALYS_REQUIREMENT",
    "DECISION_AREAS",
    "IN_LINE_TEXT",
    "KOMPENSATORISKT",
    "KOMP_ASSESSMENT",
    "KOMP_REQUIREMENT",
    "LUDVIKA",
    "NOTE",
    "SEEDS",
    "TRELLEBORG",
    "TRELLEBORG_ROUND_2",
    "TRELLEBORG_ROUND_2_STEPS",
    "SeedCase",
    "SeedStep",
    "compressed",
    "shifted",
]


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
    organiser_email=stand_in("ludvika.email"),
    users=_users("212000-2270", "ludvika.forvaltning"),
    steps=(
        _step(
            stand_in("ludvika.opened_on"),
            "marta.rivelis",
            "open-case",
            "ludvika-open",
            dnr=stand_in("ludvika.dnr"),
            organiser_id="212000-2270",
            title="Kvalitetsgranskning av Ludvika kommun, vårterminen 2025",
            opened_on=stand_in("ludvika.opened_on"),
            areas=[ANALYS, KOMPENSATORISKT],
            review_type="planerad kvalitetsgranskning",  # seed 003: "en planerad kvalitetsgranskning"
            review_period="vårterminen 2025",  # seed 003: "Granskningen genomfördes under vårterminen 2025."
        ),
        _step(
            stand_in("ludvika.decision_drafted_on"),
            "marta.rivelis",
            "draft-decision",
            "ludvika-draft-decision",
            response_due="2026-01-02",
            areas=DECISION_AREAS,
        ),
        _step("2025-06-26", "malin.jern", "sign-decision", "ludvika-sign-decision", decided_on="2025-06-26"),
        _step(
            stand_in("ludvika.account_drafted_on"),
            "ludvika.forvaltning",
            "draft-response",
            "ludvika-draft-response",
            areas=[  # stand-in ludvika.account_texts: summaries of what seed 003 says the account contained
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
            stand_in("ludvika.approval_registered_on"),
            "ludvika.forvaltning",
            "approve-response",
            "ludvika-approve",
            body=stand_in("ludvika.board"),
            decided_on=stand_in("ludvika.board_decided_on"),
            paragraph=stand_in("ludvika.board_paragraph"),
        ),
        _step("2025-12-30", "ludvika.forvaltning", "submit-response", "ludvika-submit", submitted_on="2025-12-30"),
        _step(
            stand_in("ludvika.follow_up_drafted_on"),
            "marta.rivelis",
            "draft-follow-up",
            "ludvika-draft-follow-up",
            next_response_due=None,
            areas=[  # seed 003's motivations, word for word
                {"code": "analys", "outcome": "in_line", "motivation": LUDVIKA_ANALYS_MOTIVATION},
                {"code": "kompensatoriskt", "outcome": "in_line", "motivation": LUDVIKA_KOMP_MOTIVATION},
            ],
        ),
        _step(
            stand_in("ludvika.follow_up_decided_on"),
            "malin.jern",
            "sign-follow-up",
            "ludvika-sign-follow-up",
            decided_on=stand_in("ludvika.follow_up_decided_on"),
        ),
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
            stand_in("trelleborg.opened_on"),
            "marta.rivelis",
            "open-case",
            "trelleborg-open",
            dnr="2020:7120",
            organiser_id="212000-1173",
            title="Regelbunden kvalitetsgranskning av Trelleborgs kommun",
            opened_on=stand_in("trelleborg.opened_on"),
            areas=[ANALYS, KOMPENSATORISKT],
            review_type="regelbunden kvalitetsgranskning",  # seed 000: "en regelbunden kvalitetsgranskning"
        ),
        _step(
            stand_in("trelleborg.decision_drafted_on"),
            "marta.rivelis",
            "draft-decision",
            "trelleborg-draft-decision",
            response_due=stand_in("trelleborg.response_due"),
            areas=DECISION_AREAS,  # stand-in trelleborg.decision_texts
        ),
        _step("2021-03-23", "malin.jern", "sign-decision", "trelleborg-sign-decision", decided_on="2021-03-23"),
        _step(
            stand_in("trelleborg.account_drafted_on"),
            "trelleborg.bildning",
            "draft-response",
            "trelleborg-draft-response",
            areas=[  # stand-in trelleborg.account_texts
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
        _step(  # seed 000: "godkändes av bildningsnämnden 2021-09-15 § 122"
            "2021-09-15",
            "trelleborg.bildning",
            "approve-response",
            "trelleborg-approve",
            body="Bildningsnämnden",
            decided_on="2021-09-15",
            paragraph="§ 122",
        ),
        _step(  # seed 000: "skickades in till myndigheten 2021-09-22"
            "2021-09-22", "trelleborg.bildning", "submit-response", "trelleborg-submit", submitted_on="2021-09-22"
        ),
        _step(
            stand_in("trelleborg.follow_up_drafted_on"),
            "marta.rivelis",
            "draft-follow-up",
            "trelleborg-draft-follow-up",
            next_response_due=stand_in("trelleborg.next_response_due"),
            areas=[  # seed 000's account of the follow-up decision of 2021-12-23
                {"code": "analys", "outcome": "in_line", "motivation": TRELLEBORG_IN_LINE},
                {"code": "kompensatoriskt", "outcome": "further_measures_required", "motivation": TRELLEBORG_FURTHER},
            ],
        ),
        _step("2021-12-23", "malin.jern", "sign-follow-up", "trelleborg-sign-follow-up", decided_on="2021-12-23"),
    ),
)
"""Trelleborg up to its second round, awaiting the account."""

TRELLEBORG_ROUND_2_STEPS = (
    _step(
        stand_in("trelleborg.round_2_drafted_on"),
        "trelleborg.bildning",
        "draft-response",
        "trelleborg-round-2-draft",
        areas=[  # seed 000, as written
            {
                "code": "kompensatoriskt",
                "measures": TRELLEBORG_ROUND_2_MEASURES,
                "evaluation": TRELLEBORG_ROUND_2_EVALUATION,
            }
        ],
    ),
    _step(
        stand_in("trelleborg.round_2_board_decided_on"),
        "trelleborg.bildning",
        "approve-response",
        "trelleborg-round-2-approve",
        body="Bildningsnämnden",  # seed 000 is the administration's account put to the board
        decided_on=stand_in("trelleborg.round_2_board_decided_on"),
        paragraph=stand_in("trelleborg.round_2_board_paragraph"),
    ),
    _step(
        stand_in("trelleborg.round_2_submitted_on"),
        "trelleborg.bildning",
        "submit-response",
        "trelleborg-round-2-submit",
        submitted_on=stand_in("trelleborg.round_2_submitted_on"),
    ),
)
"""Trelleborg's round-2 account: seed 000 itself."""

TRELLEBORG_ROUND_2 = TRELLEBORG.model_copy(update={"steps": (*TRELLEBORG.steps, *TRELLEBORG_ROUND_2_STEPS)})
"""Trelleborg through its second round's account (received), as seed 000 tells it."""

SEEDS: dict[str, SeedCase] = {"ludvika": LUDVIKA, "trelleborg": TRELLEBORG_ROUND_2}

_DATE_FIELDS = (
    "opened_on",
    "response_due",
    "decided_on",
    "submitted_on",
    "next_response_due",
    "sent_on",
    "received_on",
)


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
