"""Random histories: commands with plausible and implausible payloads, by the right people, the
wrong people and people with random roles, on days that move forward. Whatever is tried, the
rules of docs/domain.md hold after every step.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import event as statistic
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain import (
    PERSON_COMMANDS,
    AreaStatus,
    CaseState,
    CaseStatus,
    CommandBase,
    DomainError,
    ErrorCode,
    OpenCase,
    Role,
    User,
    allowed_commands,
    check_may_issue,
    decide,
    decide_open,
    evolve,
    fold,
    parse_command,
)
from domain import events as ev
from domain.values import TERMINAL_STATUSES
from tests.unit.cast import (
    ANY_COMMAND,
    ANYONE,
    CASE_COMMANDS,
    CASE_ID,
    DAYS_PASSING,
    MOSTLY_PLAUSIBLE,
    ORGANISER,
    PEOPLE,
    choice,
    weighted_choice,
)
from tests.unit.payloads import AREA_POOL, draw_payload


def _passes_check(state: CaseState, name: str, user: User) -> bool:
    try:
        check_may_issue(state, name, user)
    except DomainError:
        return False
    return True


class CaseHistory(RuleBasedStateMachine):
    """One case, and everyone trying everything on it."""

    @initialize(
        codes=st.lists(st.sampled_from(AREA_POOL), min_size=1, max_size=3, unique=True),
        opened_on=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    )
    def open_the_case(self, codes: list[str], opened_on: date) -> None:
        command = OpenCase.model_validate(
            {
                "request_id": "open",
                "dnr": "2025:1234",
                "organiser_id": ORGANISER,
                "title": "Kvalitetsgranskning",
                "opened_on": opened_on.isoformat(),
                "areas": [{"code": c, "title": c.title(), "legal_basis": "1 kap. 9 § skollagen"} for c in codes],
            }
        )
        self.events: list[ev.Event] = list(decide_open(CASE_ID, command, PEOPLE[0], opened_on))
        self.state = fold(self.events)
        self.today = opened_on
        self.highest_round = 0
        self.requests = 0
        self._offers: dict[str, tuple[User, ...]] = {}
        self._offers_for = None
        self._checked: CaseState | None = None
        self._status_before_draft: CaseStatus | None = None
        self._rejected_back_to: CaseStatus | None = None
        self._closed_areas: set[str] = set()

    # -- the step: someone acts, sensibly or not --

    @rule(data=st.data(), days=DAYS_PASSING, sensibly=st.sampled_from([True, True, True, False]))
    def someone_acts(self, data: st.DataObject, days: int, sensibly: bool) -> None:
        self.today += timedelta(days=days)
        offered = self._offered()
        if sensibly and offered:
            name = data.draw(weighted_choice(tuple(sorted(offered))))
            user = data.draw(choice(offered[name]))
            plausible = data.draw(MOSTLY_PLAUSIBLE)
        else:
            name = data.draw(ANY_COMMAND)
            user = data.draw(ANYONE)
            plausible = data.draw(st.booleans())
        self._issue(name, user, draw_payload(data, name, self.state, self.today, plausible))

    def _offered(self) -> dict[str, tuple[User, ...]]:
        """Who may issue which case command now (computed once per state)."""
        if self._offers_for is not self.state:
            offers: dict[str, list[User]] = {}
            for user in PEOPLE:
                for name in CASE_COMMANDS:
                    if _passes_check(self.state, name, user):
                        offers.setdefault(name, []).append(user)
            self._offers = {name: tuple(users) for name, users in offers.items()}
            self._offers_for = self.state
        return self._offers

    def _issue(self, name: str, user: User, payload: dict[str, Any]) -> None:
        before = self.state
        snapshot = before.model_dump()
        self.requests += 1
        request_id = f"request-{self.requests}"
        try:
            command = parse_command(name, {"request_id": request_id, **payload})
        except DomainError as malformed:
            assert malformed.code is ErrorCode.VALIDATION_ERROR and malformed.field
            return
        try:
            check_may_issue(before, name, user)
            gate = None
        except DomainError as refused:
            gate = refused
        if name in PERSON_COMMANDS and name != "open-case":
            offered = name in allowed_commands(before, user)
            assert offered == (gate is None), "allowed_commands and check_may_issue disagree"
        try:
            events = decide(before, command, user, self.today)
        except DomainError as refusal:
            # a refusal records nothing and leaves the case as it was
            statistic(f"refused {name}: {refusal.code.value}" + (" (a field)" if refusal.field else ""))
            assert before.model_dump() == snapshot and self.state is before
            if gate is not None:
                assert refusal == gate, "decide must refuse for the reason check_may_issue gives"
            elif name in PERSON_COMMANDS:
                # offered to this user: only the command's content can be wrong
                assert refusal.code in (ErrorCode.VALIDATION_ERROR, ErrorCode.INVALID_STATE) and refusal.field
            return
        assert gate is None and events
        assert before.status not in TERMINAL_STATUSES, f"{name} was accepted on a {before.status} case"
        self._check_accepted(before, command, user, events)

    def _check_accepted(self, before: CaseState, command: CommandBase, user: User, events: list[ev.Event]) -> None:
        known_ids = {e.event_id for e in self.events}
        for event in events:
            assert event.case_id == CASE_ID and event.event_id not in known_ids
            assert (event.actor.username, event.actor.role) == (user.username, type(command).acting_role(user))
            assert event.occurred_on <= self.today, "a fact is never dated in the future"
            if isinstance(event, ev.DecisionSigned | ev.FollowUpSigned):
                assert event.drafted_by != event.actor.username, "the drafter signed their own text"
                assert event.drafted_by == before.pending_drafter
        if type(command).role is Role.ORGANISER:
            assert user.organiser_id == before.organiser_id, "an organiser acted on another organiser's case"
        self._check_lifecycle(before, events)
        # the same request again on the same case gives the same answer (retries are safe)
        assert decide(before, command, user, self.today) == events
        state = before
        for fact in events:
            state = evolve(state, fact)
        self.events.extend(events)
        self.state = state
        statistic(f"reached {state.status.value}" + (f" in round {state.round}" if state.round > 1 else ""))
        # retried after it took effect, the request is refused or repeats ids already recorded
        try:
            again = decide(state, command, user, self.today)
        except DomainError:
            again = []
        assert {e.event_id for e in again} <= {e.event_id for e in self.events}

    def _check_lifecycle(self, before: CaseState, events: list[ev.Event]) -> None:
        """Rules about how the case moves, read from the facts just recorded and the history before them."""
        history = [e.type for e in self.events]
        for event in events:
            if isinstance(event, ev.DecisionDrafted | ev.FollowUpDrafted):
                self._status_before_draft = before.status
            if isinstance(event, ev.DraftRejected):
                assert self._status_before_draft is not None
                self._status_before_draft, self._rejected_back_to = None, self._status_before_draft
            if isinstance(event, ev.RoundStarted):
                assert event.round == before.round + 1, "rounds are numbered 1, 2, 3, ..."
            if isinstance(event, ev.ResponseSubmitted):
                # the account submitted is the latest draft, approved after it was written (a supplement
                # request that keeps the approval does not start the account afresh)
                restart = max(
                    i
                    for i, e in enumerate(self.events)
                    if isinstance(e, ev.RoundStarted)
                    or (isinstance(e, ev.SupplementRequested) and not e.keeps_approval)
                )
                drafted = max((i for i, t in enumerate(history) if t == "ResponseDrafted"), default=-1)
                approved = max((i for i, t in enumerate(history) if t == "ResponseApproved"), default=-1)
                assert restart < drafted < approved, "submitted without an approval of the latest draft"

    # -- what must hold after every step --

    @invariant()
    def the_rules_hold(self) -> None:
        """Every rule below, after every step (state rules only when the state changed)."""
        self.only_a_passed_due_date_is_overdue()
        if self._checked is self.state:
            return  # a refusal leaves the very same state object: nothing new to check
        self._checked = self.state
        self.the_state_is_the_fold_of_its_events()
        self.rounds_never_go_back()
        self.a_rejected_draft_returns_the_case_to_where_it_was()
        self.a_closed_area_stays_closed()
        self.a_closed_case_has_no_open_area()
        self.a_round_covers_exactly_the_open_areas()
        self.a_draft_awaits_a_signature_exactly_in_the_pending_states()
        self.a_draft_names_each_area_it_must_once_and_no_other()
        self.allowed_commands_agree_with_check_may_issue()

    def a_rejected_draft_returns_the_case_to_where_it_was(self) -> None:
        if self._rejected_back_to is not None:
            assert self.state.status is self._rejected_back_to
            self._rejected_back_to = None

    def a_closed_area_stays_closed(self) -> None:
        statuses = {a.code: a.status for a in self.state.areas}
        assert all(statuses[code] is not AreaStatus.OPEN for code in self._closed_areas)
        self._closed_areas |= {code for code, status in statuses.items() if status is not AreaStatus.OPEN}

    def only_a_passed_due_date_is_overdue(self) -> None:
        if self.state.overdue:
            assert self.state.response_due is not None and self.state.response_due < self.today

    def the_state_is_the_fold_of_its_events(self) -> None:
        assert self.state.version == len(self.events)
        assert self.state == fold(self.events)

    def rounds_never_go_back(self) -> None:
        assert self.state.round >= self.highest_round
        self.highest_round = self.state.round

    def a_closed_case_has_no_open_area(self) -> None:
        if self.state.status is CaseStatus.CLOSED:
            assert all(a.status in (AreaStatus.IN_LINE, AreaStatus.NO_REQUIREMENTS) for a in self.state.areas)
            assert self.state.closed_reason in ("no_requirements", "all_in_line")

    def a_round_covers_exactly_the_open_areas(self) -> None:
        state = self.state
        if state.round >= 1 and state.status is not CaseStatus.CLOSED:
            assert set(state.round_areas) == set(state.open_codes) and state.open_codes
        if state.status is CaseStatus.AWAITING_RESPONSE:
            assert state.round >= 1 and state.response_due is not None
        if state.overdue:
            assert state.status is CaseStatus.AWAITING_RESPONSE

    def a_draft_awaits_a_signature_exactly_in_the_pending_states(self) -> None:
        state = self.state
        assert (state.decision_draft is not None) == (state.status is CaseStatus.DECISION_PENDING_SIGNATURE)
        assert (state.follow_up_draft is not None) == (state.status is CaseStatus.FOLLOW_UP_PENDING_SIGNATURE)

    def a_draft_names_each_area_it_must_once_and_no_other(self) -> None:
        state = self.state
        if state.decision_draft is not None:
            assert sorted(a.code for a in state.decision_draft.areas) == sorted(a.code for a in state.areas)
        for draft in (state.response_draft, state.follow_up_draft):
            if draft is not None:
                assert sorted(a.code for a in draft.areas) == sorted(state.open_codes)

    def allowed_commands_agree_with_check_may_issue(self) -> None:
        offered = self._offered()
        for user in PEOPLE:
            expected = [n for n in PERSON_COMMANDS if user in offered.get(n, [])]
            assert allowed_commands(self.state, user) == expected
            if self.state.status in TERMINAL_STATUSES:
                assert expected == []
            if self.state.pending_drafter == user.username:
                assert not {"sign-decision", "sign-follow-up"} & set(expected)


CaseHistory.TestCase.settings = settings(
    max_examples=200, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestCaseHistory = CaseHistory.TestCase
