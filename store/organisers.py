"""Organisers: registered once, with the address their notices go to."""

from __future__ import annotations

import asyncpg

from domain.organisers import Organiser

_COLUMNS = "organiser_id, name, email"


async def save(pool: asyncpg.Pool, organiser: Organiser) -> bool:
    """Register ``organiser`` or update its name and address; True when it is new."""
    row = await pool.fetchrow(
        f"""INSERT INTO organisers ({_COLUMNS}) VALUES ($1, $2, $3)
            ON CONFLICT (organiser_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
                                                     updated_at = now()
            RETURNING (xmax = 0) AS inserted""",
        organiser.organiser_id,
        organiser.name,
        organiser.email,
    )
    return bool(row and row["inserted"])


async def get(pool: asyncpg.Pool | asyncpg.Connection, organiser_id: str) -> Organiser | None:
    """The organiser, or None when it is not registered."""
    row = await pool.fetchrow(f"SELECT {_COLUMNS} FROM organisers WHERE organiser_id = $1", organiser_id)
    return Organiser(**dict(row)) if row else None


async def list_all(pool: asyncpg.Pool) -> list[Organiser]:
    """Every registered organiser, by name."""
    rows = await pool.fetch(f"SELECT {_COLUMNS} FROM organisers ORDER BY name, organiser_id")
    return [Organiser(**dict(r)) for r in rows]
