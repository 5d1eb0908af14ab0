"""The pure domain of inspection follow-up: events, commands, the fold and the rules.

Nothing here does I/O or imports temporalio, asyncpg or structlog (a test enforces it),
so the workflow sandbox, the API and the tests can all call the same rules.
"""

from domain.actors import SYSTEM_USER, ActorRef, Role, User
from domain.commands import COMMAND_TYPES, PERSON_COMMANDS, CommandBase, OpenCase, parse_command
from domain.decide import allowed_commands, check_may_issue, decide, decide_open
from domain.errors import DomainError, ErrorCode
from domain.events import EVENT_TYPES, Event, event_from_record
from domain.state import CaseState, evolve, fold
from domain.values import AreaStatus, CaseStatus, Outcome

__all__ = [
    "COMMAND_TYPES",
    "EVENT_TYPES",
    "PERSON_COMMANDS",
    "SYSTEM_USER",
    "ActorRef",
    "AreaStatus",
    "CaseState",
    "CaseStatus",
    "CommandBase",
    "DomainError",
    "ErrorCode",
    "Event",
    "OpenCase",
    "Outcome",
    "Role",
    "User",
    "allowed_commands",
    "check_may_issue",
    "decide",
    "decide_open",
    "event_from_record",
    "evolve",
    "fold",
    "parse_command",
]
