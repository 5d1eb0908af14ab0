"""Request ids bound to their first use: the case, the command and the user (issue 14).

A client chooses each command's ``request_id``; a retry sends the same one. The first use binds
the id; another use with another case, command or user is a conflict. The binding is made before
the command reaches the case's workflow, so a refused command's id stays bound to that command,
case and user: its corrected retry is welcome, anything else is not.
"""

from __future__ import annotations

import asyncpg
from pydantic import BaseModel, ConfigDict


class RequestBinding(BaseModel):
    """What a request id was first used for."""

    model_config = ConfigDict(frozen=True)

    request_id: str
    case_id: str
    command: str
    username: str


async def bind(pool: asyncpg.Pool, binding: RequestBinding) -> RequestBinding:
    """Bind the request id to ``binding`` unless it is bound already; the binding that holds."""
    row = await pool.fetchrow(
        """WITH new AS (
               INSERT INTO request_ids (request_id, case_id, command, username) VALUES ($1, $2, $3, $4)
               ON CONFLICT (request_id) DO NOTHING
               RETURNING request_id, case_id, command, username
           )
           SELECT * FROM new
           UNION ALL
           SELECT request_id, case_id, command, username FROM request_ids WHERE request_id = $1
           LIMIT 1""",
        binding.request_id,
        binding.case_id,
        binding.command,
        binding.username,
    )
    return RequestBinding(**dict(row)) if row else binding
