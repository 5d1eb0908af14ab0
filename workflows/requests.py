"""The request ids a case remembers, so that a retried command takes effect once and gets the same answer.

Only a window of the most recent ``WINDOW`` request ids is kept (and carried across
continue-as-new), each with a fingerprint of who asked what and a compact answer: the carried
state stays bounded however long the case lives. A request id seen with another user or
command is refused as a conflict (docs/api.md). A retry older than the window is recognised by the
audit store instead: its events have deterministic ids, so recording them again records
nothing, and the admin service answers it from the store (see ``InspectionCaseWorkflow``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.state import CaseState
    from domain.views import CaseView
    from workflows.models import Answer, CommandRequest, Remembered

WINDOW = 256
"""Request ids remembered per case: ~300 bytes each, so at most ~80 KB carried."""


def fingerprint(request: CommandRequest) -> str:
    """A digest of the user and the command, the same in every process (roles sorted, keys sorted)."""
    user = request.user
    canonical = {
        "user": [user.username, sorted(r.value for r in user.roles), user.organiser_id],
        "command": request.command.model_dump(mode="json"),
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def update_id(request: CommandRequest) -> str:
    """The Update id a client sends a command with: its request id and fingerprint.

    Temporal answers a repeated Update id from its own record without asking the workflow, so the
    id must change when the content does: a true retry (same id) gets the same answer from the
    server or the window; a request id reused for another command or user reaches the workflow,
    which refuses it as a conflict.
    """
    return f"{request.command.request_id}#{fingerprint(request)[:16]}"


class RequestReused(Exception):
    """A request id already carried out for another user or command."""


class RecentRequests:
    """The window of remembered request ids, oldest first."""

    def __init__(self, remembered: Iterable[Remembered] = (), legacy: Mapping[str, CaseView] | None = None) -> None:
        self._by_id: dict[str, Remembered] = {}
        # Answers carried by earlier releases had no fingerprint; the newest of them join the window.
        for request_id, view in (legacy or {}).items():
            self._add(Remembered(request_id=request_id, fingerprint=None, answer=Answer.of(view)))
        for entry in remembered:
            self._add(entry)

    def known(self, request: CommandRequest) -> Remembered | None:
        """The remembered entry of the request's id, or None; :class:`RequestReused` for another request."""
        entry = self._by_id.get(request.command.request_id)
        if entry is not None and entry.fingerprint not in (None, fingerprint(request)):
            raise RequestReused(
                f"request_id {request.command.request_id!r} was already used for another command or user; "
                "choose a new request_id."
            )
        return entry

    def remember(self, request: CommandRequest, view: CaseView) -> None:
        """Keep the request's answer (the oldest entry leaves the window when it is full)."""
        self._add(
            Remembered(request_id=request.command.request_id, fingerprint=fingerprint(request), answer=Answer.of(view))
        )

    def carried(self) -> tuple[Remembered, ...]:
        """The window as carried into the next run."""
        return tuple(self._by_id.values())

    def _add(self, entry: Remembered) -> None:
        self._by_id.pop(entry.request_id, None)
        self._by_id[entry.request_id] = entry
        while len(self._by_id) > WINDOW:
            del self._by_id[next(iter(self._by_id))]


def answer_again(entry: Remembered, state: CaseState) -> CaseView:
    """The answer the request got the first time."""
    return entry.answer.view_in(state)
