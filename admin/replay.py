"""Drive a seed case through the pure domain, in memory: its events and its timeline."""

from __future__ import annotations

from collections.abc import Iterator

from admin.seeds import SeedCase
from domain import CaseState, Event, OpenCase, decide, decide_open, evolve, parse_command


def replay(seed: SeedCase) -> Iterator[tuple[CaseState, list[Event]]]:
    """Issue each step's command in order; yield the state after it and the events it produced."""
    state: CaseState | None = None
    for step in seed.steps:
        user = seed.users[step.username]
        command = parse_command(step.command, step.payload)
        if isinstance(command, OpenCase):
            events = decide_open(seed.case_id, command, user, step.on)
        else:
            assert state is not None, "a seed must start by opening its case"
            events = decide(state, command, user, step.on)
        for event in events:
            state = evolve(state, event)
        assert state is not None
        yield state, events


def seed_events(seed: SeedCase) -> list[Event]:
    """All events of a seed case, oldest first."""
    return [event for _, events in replay(seed) for event in events]
