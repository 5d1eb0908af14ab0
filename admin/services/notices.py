"""Notices (the letters of a case) and their delivery status, as an operator reads them.

A user reads a case's notices through ``CaseService.case_notices``, which checks who may; the
delivery itself is a process of its own (``notices.delivery``, wired by ``runtime.bootstrap``).
"""

from __future__ import annotations

import asyncpg

from store import notices as outbox
from store.notices import NoticeRow

__all__ = ["NoticeRow", "NoticeService"]


class NoticeService:
    """The outbox, read."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def of_case(self, case_id: str) -> list[NoticeRow]:
        """Every notice of the case with its status, attempts and last error, oldest first."""
        return await outbox.for_case(self.pool, case_id)
