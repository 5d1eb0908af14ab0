"""The admin app in-process against real servers: Temporal start-dev, embedded PostgreSQL and a worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from admin.seeds import SeedCase
from admin.services.audit import CheckpointFiles
from admin.services.auth import hash_password
from runtime.checkpoint_key import ensure_signer
from store import users

PASSWORD = "correct-horse-battery"


@dataclass
class Stack:
    """An HTTP client on the app, and the pool behind it."""

    http: httpx.AsyncClient
    pool: asyncpg.Pool

    async def token(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        answer = await self.http.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    async def add_user(self, username: str, roles: list[str], organiser_id: str | None = None) -> None:
        await users.create(self.pool, username, hash_password(PASSWORD), roles, organiser_id, None)

    async def seed_people(self, seed: SeedCase) -> None:
        """Register the seed's organiser and its people (once)."""
        from domain.organisers import register
        from store import organisers

        await organisers.save(self.pool, register(seed.organiser_id, seed.organiser_name, seed.organiser_email))
        for user in seed.users.values():
            if await users.get(self.pool, user.username) is None:
                await self.add_user(user.username, sorted(r.value for r in user.roles), user.organiser_id)


def checkpoint_files(folder: Path) -> CheckpointFiles:
    """A checkpoint key and a sent-out folder in ``folder``, as ``make run`` makes them in its data folder."""
    ensure_signer(folder / "checkpoint-key")
    return CheckpointFiles(folder / "checkpoint-key", folder / "checkpoints")


def error_of(answer: httpx.Response) -> dict[str, Any]:
    """The error object of an error answer (and that it has docs/api.md's shape)."""
    body = answer.json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"]), body
    return body["error"]
