"""Who acts: users with roles, and the (username, role) pair every event records."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    """The roles of docs/api.md, plus ``system`` for facts the workflow records by itself."""

    INSPECTOR = "inspector"
    DECISION_MAKER = "decision_maker"
    ORGANISER = "organiser"
    AUDITOR = "auditor"
    ADMIN = "admin"
    REGISTRAR = "registrar"
    """Registers incoming documents (an account that arrived by post or e-mail) and reads the register."""
    SYSTEM = "system"


USER_ROLES: tuple[Role, ...] = tuple(r for r in Role if r is not Role.SYSTEM)


class ActorRef(BaseModel):
    """The actor as recorded on an event: who, and in which role they acted."""

    model_config = ConfigDict(frozen=True)

    username: str
    role: Role


class User(BaseModel):
    """A person issuing commands. An organiser user belongs to exactly one organiser."""

    model_config = ConfigDict(frozen=True)

    username: str
    roles: frozenset[Role]
    organiser_id: str | None = None

    def has(self, role: Role) -> bool:
        """True when the user holds ``role``."""
        return role in self.roles

    def acting_as(self, role: Role) -> ActorRef:
        """The actor reference recorded when this user acts in ``role``."""
        return ActorRef(username=self.username, role=role)


SYSTEM_USER = User(username="system", roles=frozenset({Role.SYSTEM}))
"""The workflow itself, for reminders and overdue facts no person triggers."""
