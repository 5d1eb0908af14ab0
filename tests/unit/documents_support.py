"""Inputs of the decision documents for the Ludvika seed, built from the seed's commands (admin/seeds.py).

The seed carries seed 003's words (its motivations, the review's kind and period); the full names are
the users' (the seed's commands carry usernames).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from admin.seed_texts import LUDVIKA_ANALYS_MOTIVATION as ANALYS_MOTIVATION
from admin.seed_texts import LUDVIKA_KOMP_MOTIVATION as KOMP_MOTIVATION
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
