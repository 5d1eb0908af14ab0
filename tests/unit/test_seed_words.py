"""The seed cases say what the seed documents say: texts quoted word for word, and every other value a
declared stand-in (admin/seed_texts.py), so nothing in admin/seeds.py is silently made up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from admin.replay import seed_events
from admin.seed_texts import STAND_INS
from admin.seeds import LUDVIKA, SEEDS, TRELLEBORG_ROUND_2
from domain import CaseStatus, fold
from domain import events as ev
from notices.render import sv_date

SEEDS_DIR = Path(__file__).parents[2] / "docs" / "seeds"


def flat(text: str) -> str:
    """``text`` with its line breaks and runs of blanks as single spaces (the seeds are PDF text)."""
    return " ".join(text.split())


SEED_003 = flat((SEEDS_DIR / "003_20179328ea451c20.txt").read_text())
SEED_000 = flat((SEEDS_DIR / "000_07f1176e1f07cdf2.txt").read_text())


def paragraphs(text: str) -> list[str]:
    return [flat(p) for p in text.split("\n\n") if p.strip()]


def test_ludvikas_decision_and_motivations_are_seed_003s_words() -> None:
    follow_up = next(e for e in seed_events(LUDVIKA) if isinstance(e, ev.FollowUpDrafted))
    decision = next(e for e in seed_events(LUDVIKA) if isinstance(e, ev.DecisionDrafted))
    for area in follow_up.areas:
        for paragraph in paragraphs(area.motivation):
            assert paragraph in SEED_003, paragraph[:80]
    for area in decision.areas:
        assert flat(area.assessment) in SEED_003
        assert all(flat(r) in SEED_003 for r in area.requirements)


def test_trelleborgs_round_2_account_is_seed_000() -> None:
    events = seed_events(TRELLEBORG_ROUND_2)
    drafted = [e for e in events if isinstance(e, ev.ResponseDrafted)][-1]
    assert (drafted.round, [a.code for a in drafted.areas]) == (2, ["kompensatoriskt"])
    for text in (drafted.areas[0].measures, drafted.areas[0].evaluation):
        for paragraph in paragraphs(text):
            assert paragraph in SEED_000, paragraph[:80]
    state = fold(events)
    assert state is not None and (state.status, state.round) == (CaseStatus.RESPONSE_RECEIVED, 2)


def test_every_date_of_the_seeds_is_in_a_seed_document_or_a_declared_stand_in() -> None:
    declared = {s.value for s in STAND_INS.values()}

    def told(day: date) -> bool:
        iso = day.isoformat()
        return iso in declared or iso in SEED_000 or iso in SEED_003 or sv_date(day) in SEED_003 + SEED_000

    for seed in SEEDS.values():
        for step in seed.steps:
            assert told(step.on), (seed.case_id, step.command, step.on)
            for name, value in step.payload.items():
                if isinstance(value, str) and name.endswith(("_on", "_due")):
                    assert told(date.fromisoformat(value)), (seed.case_id, step.command, name, value)


def test_every_stand_in_says_why() -> None:
    assert all(s.value and s.why for s in STAND_INS.values())
