"""The case as the admin tool shows it (docs/api.md's ``<case>``), for one calling user."""

from __future__ import annotations

from datetime import date

from domain.actors import User
from domain.decide import allowed_commands
from domain.disclosure import responsible_for
from domain.state import CaseState
from domain.values import AreaStatus, CaseStatus, Frozen


class AreaView(Frozen):
    """One area of docs/api.md's case: code, title and status."""

    code: str
    title: str
    status: AreaStatus


class CaseView(Frozen):
    """docs/api.md's case object."""

    case_id: str
    dnr: str
    organiser_id: str
    title: str
    responsible: str | None = None
    """The responsible inspector (handläggare); None for an organiser, who is not told staff names."""
    designated_signer: str | None = None
    """The decision maker designated to sign the case's decisions (None: any but the drafter; and for an organiser)."""
    state: CaseStatus
    round: int
    response_due: date | None
    overdue: bool
    areas: tuple[AreaView, ...]
    allowed_commands: tuple[str, ...]


def case_view(state: CaseState, user: User) -> CaseView:
    """The case as ``user`` sees it, with the commands that user may issue now."""
    return CaseView(
        case_id=state.case_id,
        dnr=state.dnr,
        organiser_id=state.organiser_id,
        title=state.title,
        responsible=responsible_for(user, state.responsible),  # organisers: not named (domain.disclosure)
        designated_signer=responsible_for(user, state.designated_signer),
        state=state.status,
        round=state.round,
        response_due=state.response_due,
        overdue=state.overdue,
        areas=tuple(AreaView(code=a.code, title=a.title, status=a.status) for a in state.areas),
        allowed_commands=tuple(allowed_commands(state, user)),
    )
