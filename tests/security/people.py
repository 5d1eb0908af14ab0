"""Register seed cases' organisers and people in the users table, as the record activity checks them there.

Every test that runs the case workflow with a real worker needs this: the record activity refuses an
actor the users table does not vouch for (issue 14), so the seeds' people must exist, active, with
their roles.
"""

from __future__ import annotations

import asyncpg

from admin.seeds import LUDVIKA, TRELLEBORG, SeedCase
from domain.organisers import Organiser
from store import organisers, users


async def register_users(pool: asyncpg.Pool, case: SeedCase) -> None:
    """Every user of the case's steps, active, with their roles (no usable password); existing ones are kept.

    The case's organiser must be registered already (an organiser user belongs to it).
    """
    for user in case.users.values():
        if await users.get(pool, user.username) is None:
            roles = sorted(r.value for r in user.roles)
            await users.create(pool, user.username, "!", roles, user.organiser_id, None)


async def register_people(pool: asyncpg.Pool, case: SeedCase) -> None:
    """The case's organiser (its name and address as the seed has them) and every user of its steps."""
    organiser = Organiser(organiser_id=case.organiser_id, name=case.organiser_name, email=case.organiser_email)
    await organisers.save(pool, organiser)
    await register_users(pool, case)


async def register_seed_people(pool: asyncpg.Pool) -> None:
    """Both seed cases' organisers and people (Ludvika and Trelleborg)."""
    for case in (LUDVIKA, TRELLEBORG):
        await register_people(pool, case)
