"""The JSON API of docs/api.md under ``/api/v1``: each route checks the caller and calls one service."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request

from admin.api import accounts, audit, documents, records
from admin.api.models import (
    CaseList,
    CheckpointAnswer,
    Credentials,
    EventAnswer,
    EventList,
    NewOrganiser,
    NewUser,
    NoticeAnswer,
    NoticeList,
    TokenAnswer,
    UserAnswer,
    WorkItemAnswer,
    WorklistAnswer,
)
from admin.context import AppContext, app_context, client_address, current_user, require
from admin.errors import documented
from domain import Role, User
from domain.views import CaseView

router = APIRouter(prefix="/api/v1")
Ctx = Annotated[AppContext, Depends(app_context)]
Caller = Annotated[User, Depends(current_user)]


@router.post("/auth/token", response_model=TokenAnswer, tags=["auth"], responses=documented(400, 401, 422, 429))
async def token(credentials: Credentials, ctx: Ctx, request: Request) -> TokenAnswer:
    """Exchange a username and password for a bearer token (expires after 8 hours, or at logout).

    Failed logins slow down further tries of that username from that address, and of any username
    from that address: 429 with Retry-After (docs/api.md; README, "Security").
    """
    address = client_address(request)
    return TokenAnswer(access_token=await ctx.login(credentials.username, credentials.password, address, "api"))


@router.post(
    "/users", status_code=201, response_model=UserAnswer, tags=["admin"], responses=documented(400, 401, 403, 409, 422)
)
async def create_user(body: NewUser, ctx: Ctx, caller: Caller) -> UserAnswer:
    """Create a user (role admin). A user with role organiser must name its organiser_id."""
    require(caller, Role.ADMIN)
    account = await ctx.services.users.add(body.username, body.password, body.roles, body.organiser_id, body.full_name)
    return UserAnswer(
        username=account.username,
        roles=[r.value for r in account.roles],
        organiser_id=account.organiser_id,
        full_name=account.full_name,
        active=account.active,
    )


@router.get("/users", response_model=list[UserAnswer], tags=["admin"], responses=documented(401, 403))
async def list_users(ctx: Ctx, caller: Caller) -> list[UserAnswer]:
    """Every user (role admin)."""
    require(caller, Role.ADMIN)
    return [
        UserAnswer(
            username=u.username,
            roles=[r.value for r in u.roles],
            organiser_id=u.organiser_id,
            full_name=u.full_name,
            active=u.active,
        )
        for u in await ctx.services.users.list()
    ]


@router.post(
    "/organisers",
    status_code=201,
    response_model=NewOrganiser,
    tags=["admin"],
    responses=documented(400, 401, 403, 409, 422),
)
async def create_organiser(body: NewOrganiser, ctx: Ctx, caller: Caller) -> NewOrganiser:
    """Register an organiser with the address its notices go to (roles admin, inspector)."""
    require(caller, Role.ADMIN, Role.INSPECTOR)
    organiser = await ctx.services.organisers.register(body.organiser_id, body.name, body.email)
    return NewOrganiser(**organiser.model_dump())


@router.get("/organisers", response_model=list[NewOrganiser], tags=["admin"], responses=documented(401, 403))
async def list_organisers(ctx: Ctx, caller: Caller) -> list[NewOrganiser]:
    """Every registered organiser (inspectorate staff and admins; not organiser users)."""
    require(caller, Role.ADMIN, Role.INSPECTOR, Role.DECISION_MAKER, Role.AUDITOR)
    return [NewOrganiser(**o.model_dump()) for o in await ctx.services.organisers.list()]


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseView,
    tags=["cases"],
    responses=documented(400, 401, 403, 409, 422, 503),
)
async def open_case(
    ctx: Ctx,
    caller: Caller,
    body: Annotated[
        dict[str, Any],
        Body(
            openapi_examples={
                "ludvika": {
                    "value": {
                        "request_id": "8b0f8e8e-7d0a-4a51-9a3b-3f3c2f3f0001",
                        "dnr": "2025:1234",
                        "organiser_id": "212000-2270",
                        "title": "Kvalitetsgranskning",
                        "opened_on": "2025-01-20",
                        "areas": [
                            {
                                "code": "analys",
                                "title": "Huvudmannens analys av studieresultat och trygghet",
                                "legal_basis": "1 kap. 9 § skollagen",
                            }
                        ],
                    }
                }
            }
        ),
    ],
) -> CaseView:
    """Open a case (role inspector). The same request_id again answers with the same case."""
    view, _ = await ctx.cases.open_case(caller, body)
    return view


@router.get("/cases", response_model=CaseList, tags=["cases"], responses=documented(401, 422))
async def list_cases(
    ctx: Ctx,
    caller: Caller,
    q: str | None = None,
    state: str | None = None,
    organiser_id: str | None = None,
    responsible: str | None = None,
    overdue: Annotated[bool | None, Query()] = None,
    include_closed: bool = False,
    limit: int = 50,
    cursor: str | None = None,
) -> CaseList:
    """Cases matching every filter, the soonest due first, a page at a time (docs/api.md, Finding work).

    ``q``: Dnr or organisation number by prefix, title or organiser name by words or substring;
    ``responsible=me``: the caller's own; closed and referred cases only with ``include_closed=true``
    (or a ``state`` naming them). ``limit`` is 1–200 (more is refused, never lowered); follow
    ``next_cursor`` until it is null. An organiser user sees only its own organiser's cases.
    """
    found = await ctx.services.finding.page(
        caller,
        q=q,
        state=state,
        organiser_id=organiser_id,
        responsible=responsible,
        overdue=overdue,
        include_closed=include_closed,
        limit=limit,
        cursor=cursor,
    )
    return CaseList(cases=found.cases, next_cursor=found.next_cursor)


@router.get("/worklist", response_model=WorklistAnswer, tags=["cases"], responses=documented(401))
async def worklist(ctx: Ctx, caller: Caller) -> WorklistAnswer:
    """What the caller can do now, most urgent first: signatures awaiting a decision maker, received and
    overdue accounts and cases under review of the inspector responsible, the organiser's accounts to
    draft, approve or submit; for an auditor the cases ended in the last 30 days and the checkpoints' lag."""
    found = await ctx.services.finding.worklist(caller)
    items = [WorkItemAnswer(case=w.case, action=w.item.action, due=w.item.due, since=w.item.since) for w in found.items]
    checkpoint = CheckpointAnswer(**vars(found.checkpoint)) if found.checkpoint else None
    return WorklistAnswer(items=items, checkpoint=checkpoint)


@router.get("/cases/{case_id}", response_model=CaseView, tags=["cases"], responses=documented(401, 403, 404))
async def get_case(case_id: str, ctx: Ctx, caller: Caller) -> CaseView:
    """One case, with the commands the caller may issue now."""
    return await ctx.cases.get(caller, case_id)


@router.post(
    "/cases/{case_id}/commands/{command}",
    response_model=CaseView,
    tags=["cases"],
    responses=documented(400, 401, 403, 404, 409, 422, 503),
)
async def run_command(
    case_id: str, command: str, ctx: Ctx, caller: Caller, body: Annotated[dict[str, Any], Body()]
) -> CaseView:
    """Issue a command (docs/api.md's table); answers once the change is durable. Retries: same request_id."""
    return await ctx.cases.command(caller, case_id, command, body)


@router.get("/cases/{case_id}/events", response_model=EventList, tags=["records"], responses=documented(401, 403, 404))
async def case_events(case_id: str, ctx: Ctx, caller: Caller) -> EventList:
    """The case's events, oldest first (inspector, decision_maker, auditor; organiser for its own)."""
    events = await ctx.cases.case_events(caller, case_id)
    return EventList(events=[EventAnswer(**e.model_dump(exclude={"case_id"})) for e in events])


@router.get(
    "/cases/{case_id}/notices", response_model=NoticeList, tags=["records"], responses=documented(401, 403, 404)
)
async def case_notices(case_id: str, ctx: Ctx, caller: Caller) -> NoticeList:
    """The case's notices and their delivery status."""
    rows = await ctx.cases.case_notices(caller, case_id)
    return NoticeList(notices=[NoticeAnswer(**r.model_dump(include=set(NoticeAnswer.model_fields))) for r in rows])


router.include_router(accounts.router)  # /auth/logout, /users/{username}/... (admin.api.accounts)
router.include_router(audit.router)  # /audit/verify, /audit/checkpoints, /audit/export (admin.api.audit)
router.include_router(records.router)  # /register, /cases/{case_id}/archive-package (admin.api.records)
router.include_router(documents.router)  # /cases/{case_id}/documents[/{sha256}] (admin.api.documents)
