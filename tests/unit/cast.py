"""Who acts in the random histories of test_properties, and how often each command is drawn."""

from __future__ import annotations

from functools import cache

from hypothesis import strategies as st

from domain import COMMAND_TYPES, SYSTEM_USER, Role, User

CASE_ID = "case-under-test"
ORGANISER = "212000-2270"
OTHER_ORGANISER = "212000-1173"
CASE_COMMANDS = tuple(n for n in COMMAND_TYPES if n != "open-case")
ALL_COMMANDS = tuple(COMMAND_TYPES)


def user(name: str, *roles: Role, organiser_id: str | None = None) -> User:
    return User(username=name, roles=frozenset(roles), organiser_id=organiser_id)


PEOPLE = (
    user("marta", Role.INSPECTOR),
    user("malin", Role.DECISION_MAKER),
    user("marta", Role.INSPECTOR, Role.DECISION_MAKER),  # Marta when she also signs: never her own text
    user("bo", Role.INSPECTOR, Role.DECISION_MAKER),
    user("forvaltningen", Role.ORGANISER, organiser_id=ORGANISER),
    user("grannkommunen", Role.ORGANISER, organiser_id=OTHER_ORGANISER),
    user("arkivarie", Role.AUDITOR),
    SYSTEM_USER,
)
"""The usual cast; RANDOM_USERS adds anyone else (admins, organisers of no organiser, odd role mixes)."""
RANDOM_USERS = st.builds(
    User,
    username=st.sampled_from(["marta", "malin", "bo", "forvaltningen", "kim"]),
    roles=st.frozensets(st.sampled_from(list(Role)), max_size=3),
    organiser_id=st.sampled_from([ORGANISER, OTHER_ORGANISER, None]),
)
DAYS_PASSING = st.sampled_from([0, 0, 0, 1, 3, 14, 45, 120, 200])
WEIGHTS = {
    "refer-to-supervision": 1,
    "reject-draft": 1,
    "send-reminder": 1,
    "mark-overdue": 1,
    "extend-deadline": 1,
    "request-supplement": 2,
    "draft-response": 4,
    "draft-decision": 6,
    "approve-response": 8,
    "submit-response": 12,
    "sign-decision": 8,
    "sign-follow-up": 8,
    "draft-follow-up": 8,
}
"""How often a sensible step picks each command it may: progress first, detours now and then (others: 1)."""


MOSTLY_PLAUSIBLE = st.sampled_from([True, True, True, False])
ANY_COMMAND = st.sampled_from(ALL_COMMANDS)
ANYONE = st.one_of(st.sampled_from(PEOPLE), RANDOM_USERS)


@cache
def weighted_choice(names: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Progress is likelier than a detour: referral and rejection are drawn less often."""
    return st.sampled_from([name for name in names for _ in range(WEIGHTS.get(name, 1))])


@cache
def choice(users: tuple[User, ...]) -> st.SearchStrategy[User]:
    return st.sampled_from(users)
