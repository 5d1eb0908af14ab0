"""Organisers: the one place they are registered (API, pages, CLI, demo), with the address notices go to."""

from __future__ import annotations

import asyncpg

from domain import DomainError, ErrorCode
from domain.organisers import Organiser, register
from store import organisers


class OrganiserTaken(DomainError):
    """An organiser with this organisation number is registered already."""

    def __init__(self, organiser_id: str) -> None:
        super().__init__(ErrorCode.CONFLICT, "organiser.taken", "organiser_id", {"value": organiser_id})
        self.organiser_id = organiser_id


class OrganiserService:
    """Register, change and list organisers."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def register(self, organiser_id: str, name: str, email: str) -> Organiser:
        """Register a new organiser after the domain's checks; OrganiserTaken when it is registered already."""
        organiser = register(organiser_id, name, email)  # a DomainError names the wrong field
        if await organisers.get(self.pool, organiser.organiser_id) is not None:
            raise OrganiserTaken(organiser.organiser_id)
        await organisers.save(self.pool, organiser)
        return organiser

    async def save(self, organiser_id: str, name: str, email: str) -> tuple[Organiser, bool]:
        """Register an organiser or change its name and address (operators); the organiser and whether it is new."""
        organiser = register(organiser_id, name, email)
        return organiser, await organisers.save(self.pool, organiser)

    async def get(self, organiser_id: str) -> Organiser | None:
        """The organiser, or None when it is not registered."""
        return await organisers.get(self.pool, organiser_id)

    async def list(self) -> list[Organiser]:
        """Every registered organiser, by name."""
        return await organisers.list_all(self.pool)

    async def names(self) -> dict[str, str]:
        """Organisation number → name, for lists of cases."""
        return {o.organiser_id: o.name for o in await self.list()}
