"""Register a seed case's organiser and people in the users table, as the record activity checks them there."""

from __future__ import annotations

import asyncpg

from admin.seeds import SeedCase
from domain.organisers import Organiser
from store import organisers, users


async def register_people(pool: asyncpg.Pool, case: SeedCase) -> None:
    """The case's organiser and every user of its steps, active, with their roles (no usable password)."""
    organiser = Organiser(organiser_id=case.organiser_id, name=case.organiser_name, email=case.organiser_email)
    await organisers.save(pool, organiser)
    for user in case.users.values():
        if await users.get(pool, user.username) is None:
            roles = sorted(r.value for r in user.roles)
            await users.create(pool, user.username, "!", roles, user.organiser_id, None)
